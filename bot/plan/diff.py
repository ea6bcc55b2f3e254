"""What changed between two versions of a plan, section by section, one line per item."""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass

from bot.plan.schema import Contact, PlanDocument, Trigger
from bot.texts import plan as text


class Change(enum.StrEnum):
    added = "added"
    removed = "removed"
    kept = "kept"


@dataclass(frozen=True)
class DiffLine:
    change: Change
    line: str


@dataclass(frozen=True)
class SectionDiff:
    title: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.change is not Change.kept for line in self.lines)


def _trigger(trigger: Trigger) -> str:
    when = ""
    if trigger.date is not None:
        every = text.EVERY_YEAR if trigger.every_year else ""
        when = f" [{trigger.date.isoformat()}{every}]"
    return f"{trigger.situation}: {trigger.what_to_do}{when}"


def _contact(contact: Contact) -> str:
    note = f" ({contact.note})" if contact.note else ""
    return f"{contact.name}: {contact.how_to_reach}{note}"


def section_lines(plan: PlanDocument) -> list[tuple[str, list[str]]]:
    """Each section's title and its items as single lines, in the order /plan shows them."""
    coping = []
    for strategy in plan.coping_strategies:
        extra = f" (“{strategy.script}”)" if strategy.script else ""
        helps = f" [{'; '.join(strategy.helps_with)}]" if strategy.helps_with else ""
        coping.append(f"{strategy.action}{extra}{helps}")
    return [
        (text.WARNING_SIGNS, list(plan.warning_signs)),
        (text.TRIGGERS, [_trigger(t) for t in plan.triggers]),
        (text.COPING, coping),
        (text.DISTRACTIONS, list(plan.distractions)),
        (text.SUPPORT, [_contact(c) for c in plan.support_people]),
        (text.PROFESSIONALS, [_contact(c) for c in plan.professionals]),
        (text.SAFE, list(plan.safe_environment)),
        (text.STRENGTHS, list(plan.reasons_and_strengths)),
        (text.CLOSING, [plan.closing_note]),
    ]


def diff(old: PlanDocument, new: PlanDocument) -> list[SectionDiff]:
    """Every section, its items marked added, removed or kept (a changed item is both)."""
    sections = []
    for (title, before), (_, after) in zip(section_lines(old), section_lines(new), strict=True):
        lines = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                lines += [DiffLine(Change.kept, line) for line in before[a1:a2]]
                continue
            lines += [DiffLine(Change.removed, line) for line in before[a1:a2]]
            lines += [DiffLine(Change.added, line) for line in after[b1:b2]]
        sections.append(SectionDiff(title, lines))
    return sections
