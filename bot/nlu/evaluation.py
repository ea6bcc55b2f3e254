"""Metric math for NLU evaluation: pure functions over gold and predicted labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.nlu.scorecard import Scored
    from bot.nlu.thresholds import Thresholds


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 for one intent, with how many gold examples it had."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class IntentReport:
    """Per-intent scores plus macro-F1 (over intents present in the gold labels) and accuracy."""

    per_intent: dict[str, Scores]
    macro_f1: float
    accuracy: float


@dataclass(frozen=True)
class BackendReport:
    """Everything `aftercare nlu eval` prints for one backend."""

    backend: str
    intents: IntentReport | None = None
    crisis_recall: float | None = None
    crisis_missed: tuple[str, ...] = ()
    false_alarms: int = 0
    hard_negatives: int = 0
    false_alarm_texts: tuple[str, ...] = ()
    latency_p50_ms: float = 0.0
    latency_p99_ms: float = 0.0
    unavailable: str | None = None
    extras: dict[str, float] = field(default_factory=dict)
    # Every held-out message as read, and the operating point the counts above used.
    scored: tuple[Scored, ...] = ()
    thresholds: Thresholds | None = None

    @property
    def false_alarm_rate(self) -> float:
        """Share of figurative (hard-negative) messages paged or asked about."""
        return self.false_alarms / self.hard_negatives if self.hard_negatives else 0.0


def intent_scores(gold: Sequence[str], predicted: Sequence[str]) -> IntentReport:
    """Per-intent precision/recall/F1; a prediction outside the gold intents only costs recall."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    per_intent: dict[str, Scores] = {}
    for intent in sorted(set(gold)):
        true_pos = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == intent)
        predicted_count = sum(1 for p in predicted if p == intent)
        support = sum(1 for g in gold if g == intent)
        precision = _ratio(true_pos, predicted_count)
        recall = _ratio(true_pos, support)
        per_intent[intent] = Scores(precision, recall, _f1(precision, recall), support)
    macro = sum(s.f1 for s in per_intent.values()) / len(per_intent) if per_intent else 0.0
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return IntentReport(per_intent, macro, _ratio(correct, len(gold)))


def recall_of(flags: Sequence[bool]) -> float:
    """Share of True among the flags (1.0 for an empty list: nothing was missed)."""
    return sum(flags) / len(flags) if flags else 1.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
