"""Runs a backend over the held-out files and lays the results side by side."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.nlu.curve import (
    GRID,
    IDIOM_TARGET,
    ORDINARY_ASKED_TARGET,
    ORDINARY_PAGED_TARGET,
    Kind,
    Outcome,
    Reading,
    curve,
    outcome,
)
from bot.nlu.evaluation import (
    BackendReport,
    IntentReport,
    intent_scores,
    percentile,
    recall_of,
)
from bot.nlu.held_out import TUNE, HeldOutFile
from bot.nlu.risk import CRISIS_INTENT
from bot.nlu.service import Backend, Understander
from bot.nlu.thresholds import Thresholds, thresholds_for
from bot.nlu.understanding import Risk, Understanding

# Issue 9's floor for macro-F1 over the 18 intents, for files outside the two parts.
MACRO_F1_TARGET = TUNE.macro_f1_target


@dataclass(frozen=True)
class Scored:
    """One held-out message as the backend read it."""

    file: str
    text: str
    gold: str
    kind: Kind
    intent: str
    risk: Risk
    reading: Reading


async def evaluate_backend(
    understander: Understander,
    backend: Backend,
    examples: Sequence[tuple[str, str]] = (),
    hard_negatives: Sequence[tuple[str, str]] = (),
    *,
    files: Sequence[HeldOutFile] = (),
    thresholds: Thresholds | None = None,
    language: str | None = None,
) -> BackendReport:
    """Scores one backend on `files` (or plain example lists); raises BackendUnavailable.

    Labelled messages count towards macro-F1; crisis ones must get resources (paged or
    asked), the others are ordinary. Figurative messages must get neither.
    """
    sets = list(files)
    if examples:
        sets.append(HeldOutFile("examples", tuple(examples)))
    if hard_negatives:
        sets.append(HeldOutFile("hard negatives", tuple(hard_negatives), figurative=True))
    operating = thresholds or thresholds_for(backend, language or "en")
    latencies: list[float] = []
    scored: list[Scored] = []
    for held_out in sets:
        for text, gold in held_out.examples:
            started = time.perf_counter()
            result = await understander.understand_using(text, backend, language=language)
            latencies.append((time.perf_counter() - started) * 1000)
            kind: Kind = (
                "idiom"
                if held_out.figurative
                else "crisis"
                if gold == CRISIS_INTENT
                else "ordinary"
            )
            reading = reading_of(result, kind)
            scored.append(
                Scored(held_out.name, text, gold, kind, result.intent, result.risk, reading)
            )
    labelled = [s for s in scored if s.kind != "idiom"]
    crisis = [s for s in scored if s.kind == "crisis"]
    idioms = [s for s in scored if s.kind == "idiom"]
    resourced = [outcome(s.reading, operating) != "none" for s in crisis]
    alarms = [s.text for s in idioms if outcome(s.reading, operating) != "none"]
    return BackendReport(
        backend=backend,
        intents=intent_scores([s.gold for s in labelled], [s.intent for s in labelled]),
        crisis_recall=recall_of(resourced),
        crisis_missed=tuple(s.text for s, ok in zip(crisis, resourced, strict=True) if not ok),
        false_alarms=len(alarms),
        hard_negatives=len(idioms),
        false_alarm_texts=tuple(alarms),
        latency_p50_ms=percentile(latencies, 50),
        latency_p99_ms=percentile(latencies, 99),
        scored=tuple(scored),
        thresholds=operating,
    )


def reading_of(result: Understanding, kind: Kind) -> Reading:
    """The parts of a reading the threshold curve needs."""
    # In evaluation the classifier answers, so needs_review means a sure crisis in an idiom.
    held = result.risk is Risk.needs_review
    return Reading(
        kind=kind,
        net=bool(result.net_matches),
        score=result.crisis_score,
        on_top=result.crisis_on_top,
        held=held,
        cue=bool(result.cue_matches),
    )


def outcomes(report: BackendReport, kind: Kind) -> dict[Outcome, list[Scored]]:
    """The messages of one kind by what they got at the report's operating point."""
    assert report.thresholds is not None
    grouped: dict[Outcome, list[Scored]] = {"paged": [], "asked": [], "none": []}
    for item in report.scored:
        if item.kind == kind:
            grouped[outcome(item.reading, report.thresholds)].append(item)
    return grouped


def format_reports(
    reports: Sequence[BackendReport], macro_f1_target: float = MACRO_F1_TARGET
) -> str:
    """Per-intent P/R/F1, the targets, then each backend's threshold curve."""
    ready = [r for r in reports if r.intents is not None]
    lines: list[str] = []
    if ready:
        header = f"{'intent':<22}" + "".join(f"{r.backend + ' P/R/F1':>24}" for r in ready)
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
        for label, cell in _summary_rows(macro_f1_target):
            lines.append(f"{label:<34}" + "".join(f"{cell(r):>20}" for r in ready))
    for report in ready:
        lines.extend(["", *format_curve(report)])
    for report in reports:
        for text in report.crisis_missed:
            lines.append(f"[{report.backend}] crisis without resources: {text}")
        if report.scored and report.thresholds:
            for item in outcomes(report, "ordinary")["paged"]:
                lines.append(f"[{report.backend}] ordinary paged: {item.text}")
            for item in outcomes(report, "ordinary")["asked"]:
                lines.append(f"[{report.backend}] ordinary asked: {item.text}")
        for text in report.false_alarm_texts:
            lines.append(f"[{report.backend}] idiom paged or asked: {text}")
        if report.unavailable:
            lines.append(f"[{report.backend}] unavailable: {report.unavailable}")
    return "\n".join(lines)


Cell = Callable[[BackendReport], str]


def _summary_rows(macro_f1_target: float) -> list[tuple[str, Cell]]:
    def ratio(kind: Kind, wanted: tuple[Outcome, ...]) -> Cell:
        def cell(report: BackendReport) -> str:
            if not report.scored or report.thresholds is None:
                return "-"
            grouped = outcomes(report, kind)
            count = sum(len(grouped[name]) for name in wanted)
            total = sum(len(items) for items in grouped.values())
            return f"{count}/{total} ({count / total * 100 if total else 0:.1f}%)"

        return cell

    return [
        (f"macro-F1 (target >= {macro_f1_target})", lambda r: f"{_intents(r).macro_f1:.3f}"),
        ("accuracy", lambda r: f"{_intents(r).accuracy:.3f}"),
        ("crisis resources (paged|asked)", ratio("crisis", ("paged", "asked"))),
        ("crisis paged", ratio("crisis", ("paged",))),
        (f"ordinary paged (<= {ORDINARY_PAGED_TARGET:.0%})", ratio("ordinary", ("paged",))),
        (f"ordinary asked (<= {ORDINARY_ASKED_TARGET:.0%})", ratio("ordinary", ("asked",))),
        (f"idioms paged|asked (<= {IDIOM_TARGET:.0%})", ratio("idiom", ("paged", "asked"))),
        ("latency p50 ms", lambda r: f"{r.latency_p50_ms:.2f}"),
        ("latency p99 ms", lambda r: f"{r.latency_p99_ms:.2f}"),
    ]


def _intents(report: BackendReport) -> IntentReport:
    assert report.intents is not None
    return report.intents


def format_curve(report: BackendReport, every: float = 0.05) -> list[str]:
    """The threshold table for one backend, with its operating point marked."""
    if not report.scored or report.thresholds is None:
        return []
    chosen = report.thresholds
    readings = [item.reading for item in report.scored]
    shown = {t for t in GRID if round(t / every, 6).is_integer() or t > 0.98}
    shown |= {chosen.ask, chosen.page}
    points = curve(readings, sorted(shown))
    lines = [
        f"[{report.backend}] crisis threshold curve: at t as the ask threshold, the share paged or"
        " asked; at t as the page threshold, the share paged",
        f"{'t':>6} {'crisis paged|asked':>19} {'crisis paged':>13} {'ordinary p|a':>13}"
        f" {'ordinary paged':>15} {'idioms p|a':>11} {'idioms paged':>13}",
    ]
    for p in points:
        mark = " <- ask" if p.threshold == chosen.ask else ""
        mark += " <- page" if p.threshold == chosen.page else ""
        lines.append(
            f"{p.threshold:>6.3f} {p.crisis_flagged:>19.1%} {p.crisis_paged:>13.1%}"
            f" {p.ordinary_flagged:>13.1%} {p.ordinary_paged:>15.1%} {p.idiom_flagged:>11.1%}"
            f" {p.idiom_paged:>13.1%}{mark}"
        )
    lines.append(
        f"[{report.backend}] operating point (bot/nlu/thresholds.yml): "
        f"page >= {chosen.page}, ask >= {chosen.ask} (or crisis as the top intent)"
    )
    return lines
