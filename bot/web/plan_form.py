"""The plan editor's form: its fields from a plan, a plan from its fields.

A plan from the form is checked by the same `parse_plan` as a plan file, under the name
"plan.yml", so the editor says exactly what `aftercare client add --plan plan.yml` would.
Blank rows are left out; a coping strategy's "helps with" names warning signs by their box.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.console.inputs import whole
from bot.plan.schema import PlanDocument, parse_plan

SOURCE = "plan.yml"
MAX_SIGNS = 12
MAX_ROWS = {"trigger": 20, "coping": 20, "support": 10, "professional": 10}
CONTACT_FIELDS = ("name", "how_to_reach", "note")
TRIGGER_FIELDS = ("situation", "what_to_do", "date")
LINE_LISTS = ("distractions", "safe_environment", "reasons_and_strengths")


class FormLike(Protocol):
    def get(self, key: str, /) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


@dataclass
class PlanFields:
    signs: list[str] = field(default_factory=lambda: [""] * MAX_SIGNS)
    triggers: list[dict[str, Any]] = field(default_factory=list)
    coping: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)
    professional: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=lambda: dict.fromkeys(LINE_LISTS, ""))
    closing_note: str = ""

    @property
    def signs_filled(self) -> int:
        return sum(1 for s in self.signs if s.strip())

    def with_blank_rows(self) -> PlanFields:
        """At least one empty row in each repeated section, to write a new one in."""
        for name, rows in self._rows().items():
            if len(rows) < MAX_ROWS[name] and (not rows or any(rows[-1].values())):
                rows.append(_blank(name))
        return self

    def _rows(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "trigger": self.triggers,
            "coping": self.coping,
            "support": self.support,
            "professional": self.professional,
        }


def _blank(name: str) -> dict[str, Any]:
    if name == "trigger":
        return {"situation": "", "what_to_do": "", "date": "", "every_year": False}
    if name == "coping":
        return {"action": "", "script": "", "helps": set()}
    return dict.fromkeys(CONTACT_FIELDS, "")


def from_plan(plan: PlanDocument | None) -> PlanFields:
    fields = PlanFields()
    if plan is None:
        return fields.with_blank_rows()
    for index, sign in enumerate(plan.warning_signs[:MAX_SIGNS]):
        fields.signs[index] = sign
    slots = {sign.casefold(): i for i, sign in enumerate(plan.warning_signs)}
    fields.triggers = [
        {
            "situation": t.situation,
            "what_to_do": t.what_to_do,
            "date": t.date.isoformat() if t.date else "",
            "every_year": t.every_year,
        }
        for t in plan.triggers
    ]
    fields.coping = [
        {
            "action": c.action,
            "script": c.script or "",
            "helps": {slots[h.casefold()] for h in c.helps_with if h.casefold() in slots},
        }
        for c in plan.coping_strategies
    ]
    for name, contacts in (("support", plan.support_people), ("professional", plan.professionals)):
        setattr(
            fields,
            name,
            [
                {"name": c.name, "how_to_reach": c.how_to_reach, "note": c.note or ""}
                for c in contacts
            ],
        )
    fields.lines = {
        "distractions": "\n".join(plan.distractions),
        "safe_environment": "\n".join(plan.safe_environment),
        "reasons_and_strengths": "\n".join(plan.reasons_and_strengths),
    }
    fields.closing_note = plan.closing_note
    return fields.with_blank_rows()


def _text(form: FormLike, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def _count(form: FormLike, name: str) -> int:
    raw = _text(form, f"{name}-count")
    return min(whole(raw) or 0, MAX_ROWS[name])


def from_form(form: FormLike) -> PlanFields:
    """The fields as typed (for showing the form again, blanks and all)."""
    fields = PlanFields()
    fields.signs = [_text(form, f"sign-{i}") for i in range(MAX_SIGNS)]
    for i in range(_count(form, "trigger")):
        row: dict[str, Any] = {key: _text(form, f"trigger-{i}-{key}") for key in TRIGGER_FIELDS}
        row["every_year"] = _text(form, f"trigger-{i}-every_year") == "yes"
        fields.triggers.append(row)
    for i in range(_count(form, "coping")):
        helps = {n for v in form.getlist(f"coping-{i}-helps") if (n := whole(str(v))) is not None}
        fields.coping.append(
            {
                "action": _text(form, f"coping-{i}-action"),
                "script": _text(form, f"coping-{i}-script"),
                "helps": {h for h in helps if h < MAX_SIGNS},
            }
        )
    for name in ("support", "professional"):
        rows = getattr(fields, name)
        for i in range(_count(form, name)):
            rows.append({key: _text(form, f"{name}-{i}-{key}") for key in CONTACT_FIELDS})
    fields.lines = {name: _text(form, name) for name in LINE_LISTS}
    fields.closing_note = _text(form, "closing_note")
    return fields


def _filled(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's non-blank values; a blank required field is left out, as in a plan file."""
    return {k: v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}


def to_data(fields: PlanFields) -> dict[str, Any]:
    """The plan file's shape: what `parse_plan` checks."""
    signs = {i: s.strip() for i, s in enumerate(fields.signs) if s.strip()}
    data: dict[str, Any] = {"warning_signs": list(signs.values())}
    triggers = []
    for row in fields.triggers:
        found = _filled({k: row[k] for k in TRIGGER_FIELDS})
        if found or row.get("every_year"):
            if row.get("every_year"):
                found["every_year"] = True
            triggers.append(found)
    coping = []
    for row in fields.coping:
        found = _filled({"action": row["action"], "script": row["script"]})
        helps = [signs[i] for i in sorted(row["helps"]) if i in signs]
        if found:
            coping.append({**found, **({"helps_with": helps} if helps else {})})
    data["triggers"] = triggers
    data["coping_strategies"] = coping
    data["support_people"] = [f for f in map(_filled, fields.support) if f]
    data["professionals"] = [f for f in map(_filled, fields.professional) if f]
    for name in LINE_LISTS:
        data[name] = [line.strip() for line in fields.lines[name].splitlines() if line.strip()]
    if fields.closing_note.strip():
        data["closing_note"] = fields.closing_note.strip()
    return data


def parse(fields: PlanFields) -> PlanDocument:
    """The plan, or PlanFileError with the plan file's message ("plan.yml: field ...")."""
    return parse_plan(to_data(fields), source=SOURCE)
