"""The crisis threshold curve, and the rule that picks the page and ask thresholds from it.

Each held-out message is reduced to a `Reading`: did the safety net match, the classifier's
crisis probability, and whether crisis was its top intent. For any threshold pair the risk
rules (`bot/nlu/risk.py`) then say paged (crisis), asked (ask) or neither, so the curve shows
what every threshold would do without re-running the classifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.nlu.thresholds import Thresholds

Kind = Literal["crisis", "ordinary", "idiom"]
Outcome = Literal["paged", "asked", "none"]

# Issue 9's targets on ordinary messages and idioms, and the share of each `choose` aims for.
ORDINARY_PAGED_TARGET = 0.01
ORDINARY_ASKED_TARGET = 0.05
IDIOM_TARGET = 1 / 20
MARGIN = 0.5
# Paging is held to a quarter of its budget: a false page costs a clinician's urgent attention.
PAGE_MARGIN = 0.25
GRID: tuple[float, ...] = (
    *(round(step / 100, 2) for step in range(2, 99, 2)),
    0.99,
    0.995,
    0.999,
)


@dataclass(frozen=True)
class Reading:
    """What the risk rules need from one classified held-out message."""

    kind: Kind
    net: bool  # the safety net matched: paged whatever the thresholds
    score: float  # crisis probability (0 when an idiom explained the death words)
    on_top: bool  # crisis was the top real intent
    held: bool = False  # a sure crisis reading inside an idiom: needs_review, never paged/asked
    cue: bool = False  # an ask cue matched: asked at least, whatever the thresholds


def outcome(reading: Reading, thresholds: Thresholds) -> Outcome:
    """paged, asked or none, exactly as `assess_risk` decides for these thresholds."""
    if reading.net:
        return "paged"
    if not reading.held and reading.on_top and reading.score >= thresholds.page:
        return "paged"
    if reading.cue or (not reading.held and (reading.on_top or reading.score >= thresholds.ask)):
        return "asked"
    return "none"


@dataclass(frozen=True)
class CurvePoint:
    """At threshold t: t as the ask threshold (flagged = paged or asked) and as the page one."""

    threshold: float
    crisis_flagged: float
    crisis_paged: float
    ordinary_flagged: float
    ordinary_paged: float
    idiom_flagged: float
    idiom_paged: float


def curve(readings: Sequence[Reading], grid: Sequence[float] = GRID) -> list[CurvePoint]:
    """One point per threshold in `grid`."""
    points = []
    for t in grid:
        as_ask = Thresholds(page=1.0, ask=t)
        as_page = Thresholds(page=t, ask=t)
        points.append(
            CurvePoint(
                threshold=t,
                crisis_flagged=_share(readings, "crisis", as_ask, ("paged", "asked")),
                crisis_paged=_share(readings, "crisis", as_page, ("paged",)),
                ordinary_flagged=_share(readings, "ordinary", as_ask, ("paged", "asked")),
                ordinary_paged=_share(readings, "ordinary", as_page, ("paged",)),
                idiom_flagged=_share(readings, "idiom", as_ask, ("paged", "asked")),
                idiom_paged=_share(readings, "idiom", as_page, ("paged",)),
            )
        )
    return points


def choose(points: Sequence[CurvePoint]) -> tuple[Thresholds, list[str]]:
    """The operating point on this curve, and notes on anything the rule could not meet.

    ask  = the lower of: the highest t with every crisis message paged or asked, and the lowest
           t at which at most MARGIN of the ordinary (asked) and idiom budgets is flagged;
    page = the lowest t >= ask at which at most PAGE_MARGIN of the ordinary paging budget is
           paged and no idiom is.
    What no threshold changes (net and ask-cue matches, crisis as the top intent: the floor at
    the highest t) is allowed on top of a budget it already exceeds. Lower thresholds ask and
    page more: when recall and the budgets disagree, recall wins.
    """
    notes: list[str] = []
    ordered = sorted(points, key=lambda p: p.threshold)
    floor = ordered[-1]
    ordinary_budget = max(MARGIN * ORDINARY_ASKED_TARGET, floor.ordinary_flagged)
    idiom_budget = max(MARGIN * IDIOM_TARGET, floor.idiom_flagged)
    full_recall = [p.threshold for p in ordered if p.crisis_flagged >= 1.0]
    within_budget = [
        p.threshold
        for p in ordered
        if p.ordinary_flagged <= ordinary_budget and p.idiom_flagged <= idiom_budget
    ]
    if full_recall:
        t_recall = max(full_recall)
    else:
        t_recall = ordered[0].threshold
        notes.append("no threshold keeps crisis recall at 100%; ask at the lowest one")
    ask = min(t_recall, within_budget[0]) if within_budget else t_recall
    if floor.ordinary_flagged > MARGIN * ORDINARY_ASKED_TARGET:
        notes.append("net, cues and crisis-on-top alone flag more ordinary messages than budgeted")
    if floor.idiom_flagged > MARGIN * IDIOM_TARGET:
        notes.append("net, cues and crisis-on-top alone flag more idioms than budgeted")
    pageable = [
        p.threshold
        for p in ordered
        if p.threshold >= ask
        and p.ordinary_paged <= max(PAGE_MARGIN * ORDINARY_PAGED_TARGET, floor.ordinary_paged)
        and p.idiom_paged <= floor.idiom_paged
    ]
    page = pageable[0] if pageable else floor.threshold
    return Thresholds(page=page, ask=ask), notes


def _share(
    readings: Sequence[Reading], kind: Kind, thresholds: Thresholds, wanted: tuple[Outcome, ...]
) -> float:
    of_kind = [r for r in readings if r.kind == kind]
    if not of_kind:
        return 0.0
    return sum(outcome(r, thresholds) in wanted for r in of_kind) / len(of_kind)
