"""The screener section of `aftercare client show`: the plan, then each screener's date, totals,
band, change and item 9, one line each in the client's local time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.screener import plans
from bot.screener.instrument import instruments
from bot.screener.models import families_of
from bot.screener.views import AdministrationLine, administrations, behind_alert
from bot.taper.time_words import local_stamp
from bot.texts import screener as text


def _result(line: AdministrationLine) -> str:
    if line.total is None:
        shown = text.SHOW_ANSWERED.format(count=line.answered, of=line.asked)
        if line.short_total is not None and line.short_title:
            shown = (
                text.SHOW_SHORT_FIRST.format(short=line.short_total, short_form=line.short_title)
                + shown
            )
        return shown
    shown = text.SHOW_TOTAL.format(total=line.total, band=line.band or "").strip()
    if line.short_total is not None and line.short_title:
        shown = (
            text.SHOW_SHORT_FIRST.format(short=line.short_total, short_form=line.short_title)
            + shown
        )
    if line.change is not None:
        since = text.SINCE_ENDING if line.reference_kind == "ending" else text.SHOW_SINCE_FIRST
        shown += text.SHOW_CHANGE.format(delta=line.change, since=since)
        if line.reliable == "deterioration":
            shown += text.SHOW_RELIABLE_UP
        elif line.reliable == "improvement":
            shown += text.SHOW_RELIABLE_DOWN
    if line.back_in_caseness:
        shown += text.SHOW_BACK_IN_CASENESS
    if line.item9 is not None:
        shown += text.SHOW_ITEM9.format(answer=line.item9)
    return shown


async def lines(session: AsyncSession, client: Client) -> list[str]:
    """The section's lines, from its heading."""
    found = [text.SHOW_HEADING]
    plan = await plans.get(session, client_id=client.id)
    chosen = families_of(plan.families) if plan else []
    if not chosen:
        found.append(text.SHOW_PLAN_NONE)
    else:
        assert plan is not None
        known = instruments()
        cutoff = (
            text.SHOW_CUTOFF.format(cutoff=plan.audit_c_cutoff)
            if "audit_c" in chosen and plan.audit_c_cutoff
            else ""
        )
        totals = ", ".join(f"{form} {total}" for form, total in (plan.ending_totals or {}).items())
        found.append(
            text.SHOW_PLAN.format(
                families=", ".join(known[f].short_form.title for f in chosen),
                cutoff=cutoff,
                ending=text.SHOW_ENDING.format(totals=totals) if totals else "",
            )
        )
    sent = await administrations(session, client_id=client.id)
    for line in sent:
        assert line.sent_at is not None
        found.append(
            text.SHOW_LINE.format(
                when=local_stamp(line.sent_at, client.timezone),
                form=line.title,
                status=line.status,
                result=_result(line),
            ).rstrip()
        )
    if not sent:
        found.append(text.SHOW_NONE_YET)
    return found


async def render(session: AsyncSession, client: Client) -> str:
    return "\n".join(await lines(session, client))


async def alert_lines(session: AsyncSession, *, alert_id: int) -> list[str]:
    """What in a screener raised this alert, for `aftercare alerts show` (none: no lines)."""
    behind = await behind_alert(session, alert_id=alert_id)
    found = [
        text.ALERT_ANSWER.format(
            form=answer.form, number=answer.number, wording=answer.wording, answer=answer.answer
        )
        for answer in behind.answers
    ]
    found += [
        text.ALERT_TOTAL.format(form=line.title, result=_result(line))
        for line in behind.administrations
    ]
    return found
