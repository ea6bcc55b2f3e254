"""`aftercare nlu ...`: parse messages, evaluate the classifiers, retrain the embedded model."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.config import Settings
from bot.nlu.evaluation import BackendReport
from bot.nlu.held_out import TUNE
from bot.nlu.training_data import DEFAULT_TRAINING_FILE

if TYPE_CHECKING:
    from bot.nlu.held_out import HeldOutFile
    from bot.nlu.service import Backend

# The classifier modules pull in scikit-learn; they load inside the commands so that the rest of
# `aftercare` starts quickly.
from bot.nlu.training_data import TrainingDataError, load_examples

app = typer.Typer(help="Understanding what clients write: parse, evaluate, retrain.")

DataFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--data", help="Labelled held-out Rasa NLU YAML (repeat; default: every labelled file)."
    ),
]
FigurativeFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--hard-negatives",
        help="Figurative messages that must not be paged or asked about (repeat).",
    ),
]


class ParseBackend(StrEnum):
    embedded = "embedded"
    rasa = "rasa"


class EvalBackend(StrEnum):
    embedded = "embedded"
    rasa = "rasa"
    all = "all"


RasaUrl = Annotated[str | None, typer.Option(help="Rasa server URL (default: RASA_URL).")]


def _settings(ctx: typer.Context, rasa_url: str | None) -> Settings:
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    return settings.model_copy(update={"rasa_url": rasa_url}) if rasa_url else settings


def _as_backend(name: str) -> Backend:
    return "rasa" if name == "rasa" else "embedded"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@app.command()
def parse(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Message; omit to read one per line.")] = None,
    backend: Annotated[
        ParseBackend | None, typer.Option(help="Force one backend (default: as configured).")
    ] = None,
    rasa_url: RasaUrl = None,
    sign: Annotated[
        list[str] | None, typer.Option(help="A warning sign from the client's plan (repeat).")
    ] = None,
    trigger: Annotated[
        list[str] | None, typer.Option(help="A trigger situation from the plan (repeat).")
    ] = None,
    plan: Annotated[
        Path | None, typer.Option(help="A plan file: read messages against its signs/triggers.")
    ] = None,
) -> None:
    """Print what the app understands from a message, as one JSON object per message.

    `risk` is crisis (page), ask (ask directly), needs_review, elevated or none.
    """
    settings = _settings(ctx, rasa_url)
    if backend is ParseBackend.rasa and not settings.rasa_url:
        raise _fail("--backend rasa needs RASA_URL or --rasa-url")
    signs, triggers = list(sign or []), list(trigger or [])
    if plan is not None:
        from bot.plan.schema import PlanFileError, load_plan_file

        try:
            document = load_plan_file(plan)
        except PlanFileError as exc:
            raise _fail(str(exc)) from None
        signs += document.warning_signs
        triggers += [item.situation for item in document.triggers]
    messages = [text] if text is not None else [line.rstrip("\n") for line in sys.stdin]
    from bot.nlu.service import BackendUnavailable

    try:
        asyncio.run(_parse_all(settings, messages, backend, signs, triggers))
    except BackendUnavailable as exc:
        raise _fail(f"{backend} backend unavailable: {exc}") from None


async def _parse_all(
    settings: Settings,
    messages: list[str],
    backend: ParseBackend | None,
    signs: list[str],
    triggers: list[str],
) -> None:
    from bot.nlu.service import build_understander

    understander = build_understander(settings, use_rasa=backend is not ParseBackend.embedded)
    try:
        for message in messages:
            if backend is None:
                result = await understander.understand(
                    message, warning_signs=signs, triggers=triggers
                )
            else:
                result = await understander.understand_using(
                    message, _as_backend(backend), warning_signs=signs, triggers=triggers
                )
            typer.echo(result.to_json())
    finally:
        await understander.aclose()


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    data: DataFiles = None,
    hard_negatives: FigurativeFiles = None,
    backend: Annotated[EvalBackend, typer.Option()] = EvalBackend.all,
    rasa_url: RasaUrl = None,
) -> None:
    """Per-intent P/R/F1, macro-F1, issue-9 targets, the crisis threshold curve and latency.

    Crisis messages must get resources (paged or asked), ordinary ones rarely, idioms never.
    """
    settings = _settings(ctx, rasa_url)
    held_out = _held_out(data, hard_negatives)
    wanted = ["embedded", "rasa"] if backend is EvalBackend.all else [backend.value]
    from bot.nlu.scorecard import format_reports

    reports = asyncio.run(_evaluate_all(settings, wanted, held_out))
    typer.echo(format_reports(reports))
    failed = [r for r in reports if r.unavailable]
    if failed and (backend is not EvalBackend.all or len(failed) == len(reports)):
        raise _fail("; ".join(f"{r.backend} unavailable: {r.unavailable}" for r in failed))


@app.command()
def tune(
    ctx: typer.Context,
    data: DataFiles = None,
    hard_negatives: FigurativeFiles = None,
    backend: Annotated[EvalBackend, typer.Option()] = EvalBackend.all,
    rasa_url: RasaUrl = None,
    write: Annotated[
        bool, typer.Option(help="Store the chosen thresholds in bot/nlu/thresholds.yml.")
    ] = True,
) -> None:
    """Choose each backend's page and ask thresholds from the held-out curve (see eval)."""
    settings = _settings(ctx, rasa_url)
    held_out = _held_out(data, hard_negatives)
    wanted = ["embedded", "rasa"] if backend is EvalBackend.all else [backend.value]
    from bot.nlu.curve import choose, curve, outcome
    from bot.nlu.scorecard import format_curve
    from bot.nlu.thresholds import Thresholds, write_thresholds

    reports = asyncio.run(_evaluate_all(settings, wanted, held_out))
    chosen: dict[str, Thresholds] = {}
    details: dict[str, dict[str, object]] = {}
    for report in reports:
        if report.unavailable:
            typer.echo(f"[{report.backend}] unavailable: {report.unavailable}")
            continue
        readings = [item.reading for item in report.scored]
        thresholds, notes = choose(curve(readings))
        chosen[report.backend] = thresholds
        counts = {}
        for kind in ("crisis", "ordinary", "idiom"):
            got = [outcome(r, thresholds) for r in readings if r.kind == kind]
            counts[kind] = f"{got.count('paged')} paged, {got.count('asked')} asked of {len(got)}"
        details[report.backend] = {
            "tuned_on": [item.name for item in held_out],
            "measured": counts,
            "notes": notes,
        }
        shown = dataclasses.replace(report, thresholds=thresholds)
        typer.echo("\n".join(format_curve(shown)))
        for note in notes:
            typer.echo(f"[{report.backend}] note: {note}")
    if write and chosen:
        write_thresholds(chosen, details)
        typer.echo(f"wrote {', '.join(chosen)} thresholds to bot/nlu/thresholds.yml")
    if not chosen:
        raise _fail("no backend answered; nothing tuned")


def _held_out(data: list[Path] | None, figurative: list[Path] | None) -> list[HeldOutFile]:
    from bot.nlu.held_out import HeldOutFile

    try:
        labelled = [HeldOutFile.load(path) for path in (data or TUNE.labelled)]
        idioms = [
            HeldOutFile.load(path, figurative=True)
            for path in (TUNE.figurative if figurative is None else figurative)
            if figurative is not None or path.exists()
        ]
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    return labelled + idioms


async def _evaluate_all(
    settings: Settings, backends: list[str], held_out: list[HeldOutFile]
) -> list[BackendReport]:
    from bot.nlu.scorecard import evaluate_backend
    from bot.nlu.service import BackendUnavailable, build_understander

    understander = build_understander(settings)
    reports = []
    try:
        for name in backends:
            try:
                chosen = _as_backend(name)
                reports.append(await evaluate_backend(understander, chosen, files=held_out))
            except BackendUnavailable as exc:
                reports.append(BackendReport(backend=name, unavailable=str(exc)))
    finally:
        await understander.aclose()
    return reports


@app.command()
def train(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Option(help="Rasa NLU YAML to learn from.")
    ] = DEFAULT_TRAINING_FILE,
) -> None:
    """Rebuild the embedded model from the training file and cache it."""
    settings = _settings(ctx, None)
    try:
        examples = load_examples(data)
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    intents = len({intent for _, intent in examples})
    typer.echo(f"training on {len(examples)} examples, {intents} intents from {data} ...", err=True)
    started = time.perf_counter()
    from bot.nlu.embedded import EmbeddedClassifier, file_sha256, save_cache

    classifier = EmbeddedClassifier.train(examples, file_sha256(data))
    saved = save_cache(settings.data_dir / "nlu", classifier)
    elapsed = time.perf_counter() - started
    where = f"cached at {saved}" if saved else "not cached (data dir not writable)"
    typer.echo(f"trained in {elapsed:.1f} s; model {classifier.data_hash[:12]} {where}")
