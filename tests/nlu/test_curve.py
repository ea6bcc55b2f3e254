"""The threshold curve and the rule that picks the operating point from it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.nlu.curve import GRID, Reading, choose, curve, outcome
from bot.nlu.thresholds import (
    FALLBACK_THRESHOLDS,
    Thresholds,
    load_thresholds,
    thresholds_for,
    write_thresholds,
)


def readings(kind: str, scores: list[float], on_top_from: float = 0.5) -> list[Reading]:
    return [Reading(kind, net=False, score=s, on_top=s >= on_top_from) for s in scores]  # type: ignore[arg-type]


def test_outcome() -> None:
    t = Thresholds(page=0.7, ask=0.3)
    assert outcome(Reading("crisis", net=True, score=0.0, on_top=False), t) == "paged"
    assert outcome(Reading("crisis", net=False, score=0.8, on_top=True), t) == "paged"
    assert outcome(Reading("crisis", net=False, score=0.8, on_top=True, held=True), t) == "none"
    assert outcome(Reading("crisis", net=False, score=0.6, on_top=True), t) == "asked"
    assert outcome(Reading("crisis", net=False, score=0.2, on_top=True), t) == "asked"
    assert outcome(Reading("crisis", net=False, score=0.3, on_top=False), t) == "asked"
    assert outcome(Reading("crisis", net=False, score=0.1, on_top=False, cue=True), t) == "asked"
    assert outcome(Reading("ordinary", net=False, score=0.29, on_top=False), t) == "none"


def test_curve_is_monotone() -> None:
    data = readings("crisis", [0.05 * i for i in range(21)]) + readings(
        "ordinary", [0.01 * i for i in range(100)]
    )
    points = curve(data)
    assert [p.threshold for p in points] == list(GRID)
    for earlier, later in itertools.pairwise(points):
        assert later.crisis_flagged <= earlier.crisis_flagged
        assert later.ordinary_flagged <= earlier.ordinary_flagged
        assert later.ordinary_paged <= earlier.ordinary_paged


def test_choose_keeps_recall_and_respects_budgets() -> None:
    # Crisis messages score 0.3 and up; 200 ordinary ones are low except a few stragglers.
    crisis = readings("crisis", [0.3, 0.35, 0.5, 0.8, 0.95], on_top_from=0.5)
    ordinary = readings(
        "ordinary", [0.01] * 190 + [0.1, 0.12, 0.15, 0.2, 0.22, 0.25, 0.4, 0.45, 0.55, 0.6]
    )
    idioms = readings("idiom", [0.0] * 40)
    chosen, notes = choose(curve(crisis + ordinary + idioms))
    assert chosen.ask <= 0.3  # every crisis message still asked
    flagged = [outcome(r, chosen) for r in ordinary]
    assert flagged.count("paged") <= 0.0025 * len(ordinary)
    assert chosen.page <= 0.8
    assert notes == []


def test_recall_wins_over_the_budget() -> None:
    crisis = readings("crisis", [0.05, 0.9])
    ordinary = readings("ordinary", [0.1] * 10 + [0.0] * 90)
    chosen, _ = choose(curve(crisis + ordinary))
    assert chosen.ask <= 0.05


def test_thresholds_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.yml"
    write_thresholds({"embedded": Thresholds(0.7, 0.2)}, {"embedded": {"notes": ["x"]}}, path)
    write_thresholds({"rasa": Thresholds(0.9, 0.4)}, {}, path)
    loaded = load_thresholds(path)
    assert loaded == {"embedded": Thresholds(0.7, 0.2), "rasa": Thresholds(0.9, 0.4)}
    assert path.read_text().startswith("# Crisis operating points")


@pytest.mark.parametrize(
    "content", [None, "backends: [", "backends:\n  embedded:\n    page: 0.1\n    ask: 0.5\n"]
)
def test_a_broken_thresholds_file_falls_back(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "thresholds.yml"
    if content is not None:
        path.write_text(content)
    assert load_thresholds(path) == {}
    assert FALLBACK_THRESHOLDS.ask < FALLBACK_THRESHOLDS.page


def test_the_shipped_file_has_both_backends() -> None:
    loaded = load_thresholds()
    assert set(loaded) >= {"embedded", "rasa"}
    assert thresholds_for("embedded") == loaded["embedded"]
    assert thresholds_for("something else") == loaded["embedded"]
