"""Metric math used by `aftercare nlu eval`."""

from __future__ import annotations

import pytest

from bot.nlu.evaluation import BackendReport, intent_scores, percentile, recall_of


def test_intent_scores_by_hand() -> None:
    gold = ["greet", "greet", "crisis", "crisis", "thanks"]
    predicted = ["greet", "thanks", "crisis", "nlu_fallback", "thanks"]
    report = intent_scores(gold, predicted)
    assert report.per_intent["greet"].precision == 1.0
    assert report.per_intent["greet"].recall == 0.5
    assert report.per_intent["greet"].f1 == pytest.approx(2 / 3)
    assert report.per_intent["thanks"].precision == 0.5
    assert report.per_intent["thanks"].recall == 1.0
    assert report.per_intent["crisis"].support == 2
    assert "nlu_fallback" not in report.per_intent
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 2 / 3) / 3)
    assert report.accuracy == pytest.approx(3 / 5)


def test_perfect_and_empty() -> None:
    assert intent_scores(["a", "b"], ["a", "b"]).macro_f1 == 1.0
    assert intent_scores([], []).macro_f1 == 0.0
    with pytest.raises(ValueError):
        intent_scores(["a"], [])


def test_never_predicted_intent_scores_zero() -> None:
    report = intent_scores(["a", "b"], ["a", "a"])
    assert report.per_intent["b"].f1 == 0.0
    assert report.per_intent["a"].precision == 0.5


def test_recall_of() -> None:
    assert recall_of([True, True, False, True]) == 0.75
    assert recall_of([]) == 1.0


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([], 50) == 0.0


def test_false_alarm_rate() -> None:
    assert BackendReport("x", false_alarms=1, hard_negatives=20).false_alarm_rate == 0.05
    assert BackendReport("x").false_alarm_rate == 0.0
