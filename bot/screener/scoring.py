"""Totals, bands and reliable change, as published (docs/screeners.md); pure functions.

Each form names its scoring function; a plain sum with bands serves the PHQ and the GAD, and
the AUDIT-C has its own for its sex-specific cut-offs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.screener.instrument import Form, Instrument


@dataclass(frozen=True)
class Score:
    total: int
    # The published band for the total ("moderate"), or the screen's result ("positive screen").
    band: str | None
    # At or past the form's cut-off: caseness for a full form, a positive screen for a short one.
    positive: bool


POSITIVE_SCREEN = "positive screen"
NEGATIVE_SCREEN = "negative screen"


def _scored(instrument: Instrument, form: Form, answers: Mapping[str, int]) -> list[int]:
    """The form's scored answers; an item skipped by an earlier answer (AUDIT-C) counts 0."""
    values = []
    for item in instrument.items[: form.items]:
        if item.key not in answers:
            raise ValueError(f"{form.title} item {item.key} is not answered")
        value = answers[item.key]
        if not 0 <= value < len(instrument.answers_of(item)):
            raise ValueError(f"{form.title} item {item.key}: {value} is not one of its answers")
        values.append(value)
        if item.ends_form_at is not None and value == item.ends_form_at:
            break
    return values


def band_of(form: Form, total: int) -> str | None:
    label = None
    for band in form.bands:
        if total >= band.start:
            label = band.label
    return label


def summed(
    instrument: Instrument, form: Form, answers: Mapping[str, int], cutoff: str | None
) -> Score:
    """A plain sum of the item scores (PHQ, GAD), banded; positive at the form's cut-off."""
    total = sum(_scored(instrument, form, answers))
    positive = form.positive_at is not None and total >= form.positive_at
    band = band_of(form, total)
    if band is None and form.positive_at is not None:
        band = POSITIVE_SCREEN if positive else NEGATIVE_SCREEN
    return Score(total, band, positive)


def audit_c(
    instrument: Instrument, form: Form, answers: Mapping[str, int], cutoff: str | None
) -> Score:
    """AUDIT-C (Bush et al. 1998): 0-12, positive at the cut-off for the group the therapist
    chose (Bradley et al. 2007: men 4, women 3); without a choice, the lower one."""
    total = sum(_scored(instrument, form, answers))
    threshold = form.cutoffs[cutoff] if cutoff in form.cutoffs else min(form.cutoffs.values())
    positive = total >= threshold
    return Score(total, POSITIVE_SCREEN if positive else NEGATIVE_SCREEN, positive)


Scorer = Callable[[Instrument, Form, Mapping[str, int], "str | None"], Score]
SCORERS: dict[str, Scorer] = {"summed": summed, "audit_c": audit_c}


def score(
    instrument: Instrument, form: Form, answers: Mapping[str, int], cutoff: str | None = None
) -> Score:
    return SCORERS[form.scoring](instrument, form, answers, cutoff)


def is_complete(instrument: Instrument, form: Form, answers: Mapping[str, int]) -> bool:
    """Whether every scored item the form asks has an answer (an early end counts)."""
    for item in instrument.items[: form.items]:
        if item.key not in answers:
            return False
        if item.ends_form_at is not None and answers[item.key] == item.ends_form_at:
            return True
    return True


@dataclass(frozen=True)
class Change:
    """A total against the reference: the end-of-therapy score, or else the first screener."""

    reference: int
    total: int
    reliable_change: int
    caseness: int | None

    @property
    def delta(self) -> int:
        return self.total - self.reference

    @property
    def reliable_deterioration(self) -> bool:
        return self.delta >= self.reliable_change

    @property
    def reliable_improvement(self) -> bool:
        return -self.delta >= self.reliable_change


def change(form: Form, reference: int | None, total: int) -> Change | None:
    """None when the form has no reliable-change figure or nothing to compare with."""
    if form.reliable_change is None or reference is None:
        return None
    return Change(reference, total, form.reliable_change, form.positive_at)


def back_in_caseness(form: Form, earlier: list[int], total: int) -> bool:
    """At caseness now, when the total before (the ending score or the last screener) was below
    it: "a move back into caseness after recovery"."""
    if form.positive_at is None or total < form.positive_at or not earlier:
        return False
    return earlier[-1] < form.positive_at
