"""A plan as the client reads it in the chat: their own words, sectioned, in plain text."""

from __future__ import annotations

from bot.plan.schema import Contact, PlanDocument
from bot.texts import plan as text
from bot.texts import silence


def _contact(contact: Contact) -> str:
    note = f" ({contact.note})" if contact.note else ""
    return f"• {contact.name}: {contact.how_to_reach}{note}"


def _section(title: str, lines: list[str]) -> str:
    return f"{title}\n" + "\n".join(lines) if lines else ""


def render_plan(plan: PlanDocument, *, name: str, crisis: str) -> str:
    coping = []
    for strategy in plan.coping_strategies:
        coping.append(f"• {strategy.action}")
        if strategy.script:
            coping.append("   " + text.SCRIPT.format(script=strategy.script))
    sections = [
        text.TITLE.format(name=name),
        _section(text.WARNING_SIGNS, [f"• {s}" for s in plan.warning_signs]),
        _section(text.TRIGGERS, [f"• {t.situation}: {t.what_to_do}" for t in plan.triggers]),
        _section(text.COPING, coping),
        _section(text.DISTRACTIONS, [f"• {d}" for d in plan.distractions]),
        _section(text.SUPPORT, [_contact(c) for c in plan.support_people]),
        _section(text.PROFESSIONALS, [_contact(c) for c in plan.professionals]),
        _section(text.SAFE, [f"• {s}" for s in plan.safe_environment]),
        _section(text.STRENGTHS, [f"• {s}" for s in plan.reasons_and_strengths]),
        _section(text.CLOSING, [plan.closing_note]),
        text.EMERGENCY.format(crisis=crisis),
    ]
    return "\n\n".join(s for s in sections if s)


def render_strategies(plan: PlanDocument, sign_indexes: list[int]) -> str:
    return "\n".join(f"• {s.action}" for s in plan.strategies_for(sign_indexes))


def contact_lines(contacts: list[Contact]) -> str:
    return "\n".join(_contact(c) for c in contacts)


def render_people(plan: PlanDocument) -> str:
    return contact_lines(plan.support_people)


def render_graduation(plan: PlanDocument | None, *, name: str, clinic: str) -> str:
    """The goodbye at the end of the taper, with the plan in a few lines."""
    if plan is None:
        signs = strategies = ""
        people = ""
    else:
        signs = "; ".join(plan.warning_signs)
        strategies = "; ".join(s.action for s in plan.coping_strategies[:3])
        names = ", ".join(f"{c.name} ({c.how_to_reach})" for c in plan.support_people)
        people = silence.GRADUATION_PEOPLE.format(people=names) if names else ""
    return silence.GRADUATION.format(
        name=name, clinic=clinic, signs=signs, strategies=strategies, people=people
    )
