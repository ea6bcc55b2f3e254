"""The relapse-prevention plan document: what a plan file must contain, checked field by field.

Sections follow the Stanley-Brown safety plan and WRAP (docs/clinical-rationale.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Trigger(_Section):
    situation: str = Field(min_length=1, max_length=300)
    what_to_do: str = Field(min_length=1, max_length=600)
    # A day that matters (an anniversary, a court date): a caring check-in comes before it.
    date: dt.date | None = None
    every_year: bool = False

    @model_validator(mode="after")
    def _every_year_needs_a_date(self) -> Trigger:
        if self.every_year and self.date is None:
            raise ValueError("every_year needs a date (the first time the day comes)")
        return self


class CopingStrategy(_Section):
    action: str = Field(min_length=1, max_length=300)
    # A rehearsed script, e.g. what I say when I'm offered a drink.
    script: str | None = Field(default=None, max_length=600)
    # Which warning signs this helps with (their exact text); empty means "any".
    helps_with: list[str] = Field(default_factory=list)


class Contact(_Section):
    name: str = Field(min_length=1, max_length=100)
    how_to_reach: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=300)


class PlanDocument(_Section):
    warning_signs: list[str] = Field(min_length=1, max_length=12)
    triggers: list[Trigger] = Field(default_factory=list, max_length=20)
    coping_strategies: list[CopingStrategy] = Field(min_length=1, max_length=20)
    distractions: list[str] = Field(default_factory=list, max_length=20)
    support_people: list[Contact] = Field(default_factory=list, max_length=10)
    professionals: list[Contact] = Field(default_factory=list, max_length=10)
    safe_environment: list[str] = Field(default_factory=list, max_length=20)
    reasons_and_strengths: list[str] = Field(default_factory=list, max_length=20)
    closing_note: str = Field(min_length=1, max_length=2000)

    @field_validator("warning_signs", "distractions", "safe_environment", "reasons_and_strengths")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        cleaned = [item.strip() for item in items]
        for index, item in enumerate(cleaned):
            if not item:
                raise ValueError(f"item {index + 1} is empty")
            if len(item) > 300:
                raise ValueError(f"item {index + 1} is longer than 300 characters")
        if len({item.casefold() for item in cleaned}) != len(cleaned):
            raise ValueError("the same item is listed twice")
        return cleaned

    @property
    def dated_triggers(self) -> list[Trigger]:
        """The triggers that carry a date, in the order written."""
        return [t for t in self.triggers if t.date is not None]

    def strategies_for(self, sign_indexes: list[int]) -> list[CopingStrategy]:
        """Coping strategies that match the given warning signs, or all general ones."""
        signs = {
            self.warning_signs[i].casefold() for i in sign_indexes if i < len(self.warning_signs)
        }
        matched = [
            s for s in self.coping_strategies if {h.casefold() for h in s.helps_with} & signs
        ]
        general = [s for s in self.coping_strategies if not s.helps_with]
        return matched + [s for s in general if s not in matched]


class PlanFileError(ValueError):
    """A plan file that cannot be used; the message names the field and the reason."""


def parse_plan(data: Any, *, source: str = "plan") -> PlanDocument:
    if not isinstance(data, dict):
        raise PlanFileError(f"{source}: expected a mapping of plan sections at the top level")
    try:
        plan = PlanDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part + 1) if isinstance(part, int) else part for part in first["loc"])
        reason = first["msg"]
        if first["type"] == "extra_forbidden":
            reason = "unknown field (check the spelling against examples/plan.yml)"
        raise PlanFileError(f"{source}: field '{field}': {reason}") from None
    unknown = {h for s in plan.coping_strategies for h in s.helps_with} - set(plan.warning_signs)
    if unknown:
        name = sorted(unknown)[0]
        raise PlanFileError(
            f"{source}: field 'coping_strategies.helps_with': '{name}' is not one of the "
            "warning_signs (use the exact text)"
        )
    return plan


def load_plan_file(path: Path) -> PlanDocument:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot be read ({exc})") from None
    return load_plan_text(raw, source=str(path))


def load_plan_text(raw: str, *, source: str) -> PlanDocument:
    """A plan from a plan file's text (an upload, a file read); errors name `source`."""
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise PlanFileError(f"{source}: not valid YAML{where}") from None
    return parse_plan(data, source=source)


def dump_plan(plan: PlanDocument) -> str:
    """The plan as a plan file (YAML) that `load_plan_text` reads back to the same plan."""
    data = plan.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("closing_note", plan.closing_note)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
