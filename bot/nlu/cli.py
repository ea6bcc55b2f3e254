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
from bot.nlu.training_data import DEFAULT_TRAINING_FILE

if TYPE_CHECKING:
    from bot.nlu.service import Backend

# The classifier modules pull in scikit-learn; they load inside the commands so that the rest of
# `aftercare` starts quickly.
from bot.nlu.training_data import TrainingDataError, load_examples

app = typer.Typer(help="Understanding what clients write: parse, evaluate, retrain.")

PROJECT = DEFAULT_TRAINING_FILE.parents[1]
DEFAULT_TEST_FILE = PROJECT / "tests" / "test_nlu.yml"
DEFAULT_HARD_NEGATIVES = PROJECT / "tests" / "hard_negatives.yml"


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
) -> None:
    """Print what the app understands from a message, as one JSON object per message."""
    settings = _settings(ctx, rasa_url)
    if backend is ParseBackend.rasa and not settings.rasa_url:
        raise _fail("--backend rasa needs RASA_URL or --rasa-url")
    messages = [text] if text is not None else [line.rstrip("\n") for line in sys.stdin]
    from bot.nlu.service import BackendUnavailable

    try:
        asyncio.run(_parse_all(settings, messages, backend))
    except BackendUnavailable as exc:
        raise _fail(f"{backend} backend unavailable: {exc}") from None


async def _parse_all(settings: Settings, messages: list[str], backend: ParseBackend | None) -> None:
    from bot.nlu.service import build_understander

    understander = build_understander(settings, use_rasa=backend is not ParseBackend.embedded)
    try:
        for message in messages:
            if backend is None:
                result = await understander.understand(message)
            else:
                result = await understander.understand_using(message, _as_backend(backend))
            typer.echo(result.to_json())
    finally:
        await understander.aclose()


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option(help="Rasa NLU YAML to score on.")] = DEFAULT_TEST_FILE,
    hard_negatives: Annotated[
        Path, typer.Option(help="Figurative messages that must not raise a crisis.")
    ] = DEFAULT_HARD_NEGATIVES,
    backend: Annotated[EvalBackend, typer.Option()] = EvalBackend.all,
    rasa_url: RasaUrl = None,
) -> None:
    """Per-intent precision/recall/F1, macro-F1, crisis recall, false alarms and latency."""
    settings = _settings(ctx, rasa_url)
    try:
        examples = load_examples(data)
        negatives = load_examples(hard_negatives) if hard_negatives.exists() else []
    except TrainingDataError as exc:
        raise _fail(str(exc)) from None
    wanted = ["embedded", "rasa"] if backend is EvalBackend.all else [backend.value]
    from bot.nlu.scorecard import format_reports

    reports = asyncio.run(_evaluate_all(settings, wanted, examples, negatives))
    typer.echo(format_reports(reports))
    failed = [r for r in reports if r.unavailable]
    if failed and (backend is not EvalBackend.all or len(failed) == len(reports)):
        raise _fail("; ".join(f"{r.backend} unavailable: {r.unavailable}" for r in failed))


async def _evaluate_all(
    settings: Settings,
    backends: list[str],
    examples: list[tuple[str, str]],
    negatives: list[tuple[str, str]],
) -> list[BackendReport]:
    from bot.nlu.scorecard import evaluate_backend
    from bot.nlu.service import BackendUnavailable, build_understander

    understander = build_understander(settings)
    reports = []
    try:
        for name in backends:
            try:
                chosen = _as_backend(name)
                reports.append(await evaluate_backend(understander, chosen, examples, negatives))
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
