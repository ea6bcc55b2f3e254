"""`aftercare nlu ...`: parse messages, evaluate the classifiers, retrain the embedded model."""

from __future__ import annotations

import asyncio
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.config import Settings
from bot.nlu.evaluation import BackendReport
from bot.nlu.held_out import (
    PARTS_BY_LANGUAGE,
    BlindFileError,
    HeldOutFile,
    HeldOutPart,
    refuse_blind,
)
from bot.nlu.training_data import TRAINING_FILES

if TYPE_CHECKING:
    from bot.nlu.service import Backend

# The classifier modules pull in scikit-learn; they load inside the commands so that the rest of
# `aftercare` starts quickly.
from bot.nlu.training_data import TrainingDataError, load_examples

app = typer.Typer(help="Understanding what clients write: parse, evaluate, retrain.")

DataFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--data", help="Labelled held-out Rasa NLU YAML (repeat; default: the part's files)."
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


class EvalPart(StrEnum):
    tune = "tune"
    blind = "blind"
    all = "all"


# A titled set of held-out files and the macro-F1 it is held to.
Section = tuple[str, list[HeldOutFile], float]


RasaUrl = Annotated[str | None, typer.Option(help="Rasa server URL (default: RASA_URL).")]
LANGUAGES = tuple(PARTS_BY_LANGUAGE)
EvalLanguage = Annotated[
    str, typer.Option(help=f"The model and held-out files of one language: {', '.join(LANGUAGES)}.")
]


def _language(language: str) -> str:
    code = language.strip().lower()
    if code not in PARTS_BY_LANGUAGE:
        raise _fail(f"--language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return code


def _settings(ctx: typer.Context, rasa_url: str | None, language: str = "en") -> Settings:
    """The settings, with `--rasa-url` as the Rasa server of `language`'s model."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if not rasa_url:
        return settings
    return settings.model_copy(update={"rasa_url" if language == "en" else "rasa_url_es": rasa_url})


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
    language: Annotated[
        str | None,
        typer.Option(help="Read as a client with this language (en, es); default: with none."),
    ] = None,
) -> None:
    """Print what the app understands from a message, as one JSON object per message.

    `risk` is crisis (page), ask (ask directly), needs_review, elevated or none; `language` is
    what it was read as, `detected` the language check's answer, `unreadable` whether the bot
    cannot read that language.
    """
    code = _language(language) if language is not None else None
    settings = _settings(ctx, rasa_url, code or "en")
    url = settings.rasa_url_es if code == "es" else settings.rasa_url
    if backend is ParseBackend.rasa and not url:
        raise _fail("--backend rasa needs RASA_URL (RASA_URL_ES for Spanish) or --rasa-url")
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
        asyncio.run(_parse_all(settings, messages, backend, signs, triggers, code))
    except BackendUnavailable as exc:
        raise _fail(f"{backend} backend unavailable: {exc}") from None


async def _parse_all(
    settings: Settings,
    messages: list[str],
    backend: ParseBackend | None,
    signs: list[str],
    triggers: list[str],
    language: str | None = None,
) -> None:
    from bot.nlu.service import build_understander

    understander = build_understander(settings, use_rasa=backend is not ParseBackend.embedded)
    try:
        for message in messages:
            if backend is None:
                result = await understander.understand(
                    message, language=language, warning_signs=signs, triggers=triggers
                )
            else:
                result = await understander.understand_using(
                    message,
                    _as_backend(backend),
                    language=language,
                    warning_signs=signs,
                    triggers=triggers,
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
    part: Annotated[
        EvalPart, typer.Option(help="Held-out part: tune, blind, or all (each on its own).")
    ] = EvalPart.all,
    rasa_url: RasaUrl = None,
    language: EvalLanguage = "en",
) -> None:
    """Per-intent P/R/F1, macro-F1, the targets, the crisis threshold curve and latency, for
    the tuning part (in-sample) and the blind part (never tuned on), each on its own, for one
    language's model and held-out files.

    Crisis messages must get resources (paged or asked), ordinary ones rarely, idioms never.
    """
    code = _language(language)
    settings = _settings(ctx, rasa_url, code)
    tune_part = PARTS_BY_LANGUAGE[code][0]
    if data is not None or hard_negatives is not None:
        held_out = _held_out(data, hard_negatives, code)
        sections = [("the given files", held_out, tune_part.macro_f1_target)]
    else:
        parts = [p for p in PARTS_BY_LANGUAGE[code] if part is EvalPart.all or p.name == part]
        sections = [_section(p) for p in parts]
    wanted = ["embedded", "rasa"] if backend is EvalBackend.all else [backend.value]
    from bot.nlu.scorecard import format_reports

    sets = [files for _, files, _ in sections]
    results = asyncio.run(_evaluate_all(settings, wanted, sets, code))
    for (title, _, target), reports in zip(sections, results, strict=True):
        typer.echo(f"== {title} ==")
        typer.echo(format_reports(reports, macro_f1_target=target) + "\n")
    failed = [r for r in results[0] if r.unavailable]
    if failed and (backend is not EvalBackend.all or len(failed) == len(results[0])):
        raise _fail("; ".join(f"{r.backend} unavailable: {r.unavailable}" for r in failed))


def _section(part: HeldOutPart) -> Section:
    try:
        files = part.load()
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    where = f"rasa_project/tests/{part.name}/" + ("" if part.language == "en" else "*_es.yml")
    return (
        f"{part.name}: {where} ({part.about})",
        files,
        part.macro_f1_target,
    )


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
    language: EvalLanguage = "en",
) -> None:
    """Choose each backend's page and ask thresholds from the tuning part's curve (see eval).

    Reads rasa_project/tests/tune/ (or the files given) and refuses blind files; with
    `--language es` the Spanish tuning files, stored as that language's operating point.
    """
    code = _language(language)
    settings = _settings(ctx, rasa_url, code)
    try:
        refuse_blind([*(data or []), *(hard_negatives or [])])
    except BlindFileError as exc:
        raise _fail(str(exc)) from None
    held_out = _held_out(data, hard_negatives, code)
    wanted = ["embedded", "rasa"] if backend is EvalBackend.all else [backend.value]
    from bot.nlu.thresholds import Thresholds, threshold_key, write_thresholds
    from bot.nlu.tuning import tune_report

    typer.echo(f"tuning on {', '.join(item.name for item in held_out)}")
    (reports,) = asyncio.run(_evaluate_all(settings, wanted, [held_out], code))
    chosen: dict[str, Thresholds] = {}
    details: dict[str, dict[str, object]] = {}
    for report in reports:
        if report.unavailable:
            typer.echo(f"[{report.backend}] unavailable: {report.unavailable}")
            continue
        tuned = tune_report(report, [item.name for item in held_out])
        key = threshold_key(report.backend, code)
        chosen[key], details[key] = tuned.thresholds, tuned.details
        typer.echo("\n".join(tuned.lines))
    if write and chosen:
        write_thresholds(chosen, details)
        typer.echo(f"wrote {', '.join(chosen)} thresholds to bot/nlu/thresholds.yml")
    if not chosen:
        raise _fail("no backend answered; nothing tuned")


def _held_out(
    data: list[Path] | None, figurative: list[Path] | None, language: str = "en"
) -> list[HeldOutFile]:
    tune_part = PARTS_BY_LANGUAGE[language][0]
    try:
        labelled = [HeldOutFile.load(path) for path in (data or tune_part.labelled)]
        idioms = [
            HeldOutFile.load(path, figurative=True)
            for path in (tune_part.figurative if figurative is None else figurative)
            if figurative is not None or path.exists()
        ]
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    return labelled + idioms


async def _evaluate_all(
    settings: Settings, backends: list[str], sets: list[list[HeldOutFile]], language: str = "en"
) -> list[list[BackendReport]]:
    """One report per backend for each set of files, read by one understander."""
    from bot.nlu.scorecard import evaluate_backend
    from bot.nlu.service import BackendUnavailable, build_understander

    understander = build_understander(settings)
    results: list[list[BackendReport]] = []
    try:
        for files in sets:
            reports = []
            for name in backends:
                try:
                    chosen = _as_backend(name)
                    reports.append(
                        await evaluate_backend(understander, chosen, files=files, language=language)
                    )
                except BackendUnavailable as exc:
                    reports.append(BackendReport(backend=name, unavailable=str(exc)))
            results.append(reports)
    finally:
        await understander.aclose()
    return results


@app.command()
def train(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option(help="Rasa NLU YAML to learn from (default: the language's).")
    ] = None,
    language: EvalLanguage = "en",
) -> None:
    """Rebuild one language's embedded model from its training file and cache it."""
    code = _language(language)
    settings = _settings(ctx, None)
    data = data or TRAINING_FILES[code]
    try:
        examples = load_examples(data)
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    intents = len({intent for _, intent in examples})
    typer.echo(f"training on {len(examples)} examples, {intents} intents from {data} ...", err=True)
    started = time.perf_counter()
    from bot.nlu.embedded import EmbeddedClassifier, file_sha256, save_cache

    classifier = EmbeddedClassifier.train(examples, file_sha256(data))
    cache = settings.data_dir / "nlu" / ("" if code == "en" else code)
    saved = save_cache(cache, classifier)
    elapsed = time.perf_counter() - started
    where = f"cached at {saved}" if saved else "not cached (data dir not writable)"
    typer.echo(f"trained in {elapsed:.1f} s; model {classifier.data_hash[:12]} {where}")
