"""A plan as the client reads it in the chat: their own words, sectioned, in plain text."""

from __future__ import annotations

from bot.plan.schema import Contact, PlanDocument
from bot.texts import plan as text
from bot.texts import silence
from bot.texts.translation import Translator, translator


def _contact(contact: Contact) -> str:
    note = f" ({contact.note})" if contact.note else ""
    return f"• {contact.name}: {contact.how_to_reach}{note}"


def _section(title: str, lines: list[str]) -> str:
    return f"{title}\n" + "\n".join(lines) if lines else ""


def render_plan(plan: PlanDocument, *, name: str, crisis: str, t: Translator | None = None) -> str:
    """The plan in the client's own words, under headings in their language."""
    t = t or translator(None)
    coping = []
    for strategy in plan.coping_strategies:
        coping.append(f"• {strategy.action}")
        if strategy.script:
            coping.append("   " + t(text.SCRIPT).format(script=strategy.script))
    triggers = [f"• {trigger.situation}: {trigger.what_to_do}" for trigger in plan.triggers]
    sections = [
        t(text.TITLE).format(name=name),
        _section(t(text.WARNING_SIGNS), [f"• {s}" for s in plan.warning_signs]),
        _section(t(text.TRIGGERS), triggers),
        _section(t(text.COPING), coping),
        _section(t(text.DISTRACTIONS), [f"• {d}" for d in plan.distractions]),
        _section(t(text.SUPPORT), [_contact(c) for c in plan.support_people]),
        _section(t(text.PROFESSIONALS), [_contact(c) for c in plan.professionals]),
        _section(t(text.SAFE), [f"• {s}" for s in plan.safe_environment]),
        _section(t(text.STRENGTHS), [f"• {s}" for s in plan.reasons_and_strengths]),
        _section(t(text.CLOSING), [plan.closing_note]),
        t(text.EMERGENCY).format(crisis=crisis),
    ]
    return "\n\n".join(s for s in sections if s)


def render_strategies(plan: PlanDocument, sign_indexes: list[int]) -> str:
    return "\n".join(f"• {s.action}" for s in plan.strategies_for(sign_indexes))


def contact_lines(contacts: list[Contact]) -> str:
    return "\n".join(_contact(c) for c in contacts)


def render_people(plan: PlanDocument) -> str:
    return contact_lines(plan.support_people)


def render_graduation(
    plan: PlanDocument | None, *, name: str, clinic: str, t: Translator | None = None
) -> str:
    """The goodbye at the end of the taper, with the plan in a few lines."""
    t = t or translator(None)
    if plan is None:
        signs = strategies = ""
        people = ""
    else:
        signs = "; ".join(plan.warning_signs)
        strategies = "; ".join(s.action for s in plan.coping_strategies[:3])
        names = ", ".join(f"{c.name} ({c.how_to_reach})" for c in plan.support_people)
        people = t(silence.GRADUATION_PEOPLE).format(people=names) if names else ""
    return t(silence.GRADUATION).format(
        name=name, clinic=clinic, signs=signs, strategies=strategies, people=people
    )
