"""Choosing one backend's operating point from its report on the tuning part."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.nlu.curve import choose, curve, outcome
from bot.nlu.evaluation import BackendReport
from bot.nlu.scorecard import format_curve
from bot.nlu.thresholds import Thresholds


@dataclass(frozen=True)
class Tuned:
    """The chosen thresholds, what to store beside them, and the curve to show."""

    thresholds: Thresholds
    details: dict[str, object]
    lines: list[str]


def tune_report(report: BackendReport, tuned_on: Sequence[str]) -> Tuned:
    """The operating point `choose` takes from the report's curve, with the counts it gives."""
    readings = [item.reading for item in report.scored]
    thresholds, notes = choose(curve(readings))
    counts = {}
    for kind in ("crisis", "ordinary", "idiom"):
        got = [outcome(r, thresholds) for r in readings if r.kind == kind]
        counts[kind] = f"{got.count('paged')} paged, {got.count('asked')} asked of {len(got)}"
    details: dict[str, object] = {"tuned_on": list(tuned_on), "measured": counts, "notes": notes}
    lines = format_curve(dataclasses.replace(report, thresholds=thresholds))
    lines += [f"[{report.backend}] note: {note}" for note in notes]
    return Tuned(thresholds, details, lines)
