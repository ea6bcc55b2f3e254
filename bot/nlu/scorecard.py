"""Runs a backend over held-out and figurative messages and lays the results side by side."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.nlu.evaluation import BackendReport, intent_scores, percentile, recall_of
from bot.nlu.risk import CRISIS_INTENT
from bot.nlu.service import Backend, Understander
from bot.nlu.understanding import Risk


async def evaluate_backend(
    understander: Understander,
    backend: Backend,
    examples: Sequence[tuple[str, str]],
    hard_negatives: Sequence[tuple[str, str]] = (),
) -> BackendReport:
    """Scores one backend; raises BackendUnavailable if it cannot answer."""
    latencies: list[float] = []
    predicted: list[str] = []
    crisis_caught: list[bool] = []
    missed: list[str] = []
    for text, intent in examples:
        started = time.perf_counter()
        result = await understander.understand_using(text, backend)
        latencies.append((time.perf_counter() - started) * 1000)
        predicted.append(result.intent)
        if intent == CRISIS_INTENT:
            crisis_caught.append(result.risk == Risk.crisis)
            if result.risk != Risk.crisis:
                missed.append(text)
    alarms: list[str] = []
    for text, _ in hard_negatives:
        started = time.perf_counter()
        result = await understander.understand_using(text, backend)
        latencies.append((time.perf_counter() - started) * 1000)
        if result.risk == Risk.crisis:
            alarms.append(text)
    return BackendReport(
        backend=backend,
        intents=intent_scores([intent for _, intent in examples], predicted),
        crisis_recall=recall_of(crisis_caught),
        crisis_missed=tuple(missed),
        false_alarms=len(alarms),
        hard_negatives=len(hard_negatives),
        false_alarm_texts=tuple(alarms),
        latency_p50_ms=percentile(latencies, 50),
        latency_p99_ms=percentile(latencies, 99),
    )


def format_reports(reports: Sequence[BackendReport]) -> str:
    """A plain-text table: per-intent P/R/F1 then the summary lines, one column per backend."""
    ready = [r for r in reports if r.intents is not None]
    lines: list[str] = []
    header = f"{'intent':<22}" + "".join(f"{r.backend + ' P/R/F1':>24}" for r in ready)
    if ready:
        lines.append(header)
        intents = sorted({name for r in ready if r.intents for name in r.intents.per_intent})
        for name in intents:
            cells = []
            for report in ready:
                assert report.intents is not None
                s = report.intents.per_intent.get(name)
                cells.append(f"{s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f}" if s else "-")
            lines.append(f"{name:<22}" + "".join(f"{cell:>24}" for cell in cells))
        lines.append("")
    for label, value in (
        ("macro-F1", lambda r: f"{r.intents.macro_f1:.3f}"),
        ("accuracy", lambda r: f"{r.intents.accuracy:.3f}"),
        ("crisis recall (net+clf)", lambda r: f"{(r.crisis_recall or 0) * 100:.1f}%"),
        (
            "hard-negative alarms",
            lambda r: f"{r.false_alarms}/{r.hard_negatives} ({r.false_alarm_rate * 100:.1f}%)",
        ),
        ("latency p50 ms", lambda r: f"{r.latency_p50_ms:.2f}"),
        ("latency p99 ms", lambda r: f"{r.latency_p99_ms:.2f}"),
    ):
        lines.append(f"{label:<24}" + "".join(f"{value(r):>22}" for r in ready))
    for report in reports:
        for text in report.crisis_missed:
            lines.append(f"[{report.backend}] crisis missed: {text}")
        for text in report.false_alarm_texts:
            lines.append(f"[{report.backend}] false alarm: {text}")
        if report.unavailable:
            lines.append(f"[{report.backend}] unavailable: {report.unavailable}")
    return "\n".join(lines)
