"""The validated questionnaires as data: one YAML file per instrument in `instruments/`.

A family (PHQ, GAD, AUDIT-C) has its items in the published order and one or more forms: a short
form that rides on check-ins and may step up to the full form, whose first items are the short
form's (their answers carry over). A next instrument is one more file here and, if its total is
not a plain sum, one scoring function in `scoring.py`; the conversation stays the same.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

FOLDER = Path(__file__).resolve().parent / "instruments"
# The order the families are asked in when several ride on one check-in.
FAMILIES = ("phq", "gad", "audit_c")
SafetyItem = Literal["item9"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Data):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,19}$")
    text: str = Field(min_length=1)
    # Its own answer labels (AUDIT-C); otherwise the family's.
    answers: tuple[str, ...] = ()
    # An answer whose value ends the form early, the rest scoring 0 (AUDIT-C's "Never").
    ends_form_at: int | None = None
    # Its answer goes through the escalation policy (PHQ-9 item 9).
    safety: SafetyItem | None = None


class Band(_Data):
    start: int = Field(alias="from", ge=0)
    label: str


class Form(_Data):
    key: str
    title: str
    # How many of the family's items, from the first.
    items: int = Field(ge=1)
    scoring: str
    positive_at: int | None = None
    steps_up_to: str | None = None
    # Whether the family's closing question (never scored) follows the last item.
    closing: bool = False
    bands: tuple[Band, ...] = ()
    reliable_change: int | None = None
    # Positive-screen cut-offs by the published group the therapist chose (AUDIT-C).
    cutoffs: dict[str, int] = Field(default_factory=dict)


class Instrument(_Data):
    family: str
    name: str
    min_days_between: int = Field(ge=1)
    at_months: tuple[int, ...] = ()
    stem: str | None
    answers: tuple[str, ...]
    items: tuple[Item, ...]
    closing: Item | None = None
    forms: tuple[Form, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        keys = {form.key for form in self.forms}
        for form in self.forms:
            if form.items > len(self.items):
                raise ValueError(f"form {form.key} has more items than the family")
            if form.steps_up_to is not None and form.steps_up_to not in keys:
                raise ValueError(f"form {form.key} steps up to an unknown form")
            if form.closing and self.closing is None:
                raise ValueError(f"form {form.key} asks a closing question the family lacks")
        for item in self.items:
            if not (item.answers or self.answers):
                raise ValueError(f"item {item.key} has no answers")
        return self

    def form(self, key: str) -> Form:
        for form in self.forms:
            if form.key == key:
                return form
        raise KeyError(f"{self.family} has no form {key!r}")

    @property
    def short_form(self) -> Form:
        """The form that rides on check-ins (the first listed)."""
        return self.forms[0]

    def answers_of(self, item: Item) -> tuple[str, ...]:
        return item.answers or self.answers

    def asked_items(self, form: Form) -> tuple[Item, ...]:
        """Everything the form asks, in order: its scored items, then the closing question."""
        scored = self.items[: form.items]
        return (*scored, self.closing) if form.closing and self.closing else scored

    def item(self, key: str) -> Item:
        for item in (*self.items, *((self.closing,) if self.closing else ())):
            if item.key == key:
                return item
        raise KeyError(f"{self.family} has no item {key!r}")

    def number_of(self, key: str) -> int:
        """1-based position in the family (the closing question comes after the last item)."""
        everything = [*self.items, *((self.closing,) if self.closing else ())]
        return [item.key for item in everything].index(key) + 1


def _load(path: Path) -> Instrument:
    return Instrument.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@functools.cache
def instruments() -> dict[str, Instrument]:
    """Every instrument, by family, in the order they are asked."""
    loaded = {path.stem: _load(path) for path in FOLDER.glob("*.yml")}
    for name, instrument in loaded.items():
        if instrument.family != name:
            raise ValueError(f"{name}.yml names its family {instrument.family!r}")
    return {family: loaded[family] for family in FAMILIES if family in loaded} | {
        family: instrument for family, instrument in loaded.items() if family not in FAMILIES
    }


def instrument(family: str) -> Instrument:
    return instruments()[family]


def form_of(key: str) -> tuple[Instrument, Form]:
    """The instrument and form with this key, e.g. "phq9"."""
    for found in instruments().values():
        for form in found.forms:
            if form.key == key:
                return found, form
    raise KeyError(f"no form {key!r}")
