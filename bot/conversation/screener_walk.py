"""A screener walked through in conversation: one item a message with its published answer
buttons, the step-up from a positive short form, the total through the policy, the next screener
or the thanks; the one reminder and the closing after 4 days.

Every function writes into the caller's transaction; what the client sees goes through the
outbox. Item 9's own path (the direct question, the crisis path) is in `screener_taps.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.alert.raising import Raised
from bot.client.models import Client, ClientStatus
from bot.escalation import apply, replies
from bot.outbox.models import Buttons, Lane
from bot.policy.deadlines import SCREENER_EXPIRES_AFTER
from bot.policy.decide import decide_screener_total
from bot.screener import plans, scoring, service
from bot.screener.instrument import Form, Instrument, Item, instrument
from bot.screener.models import Administration, AdministrationStatus
from bot.taper.time_words import describe
from bot.texts import screener as text


def item_buttons(administration_id: int, found: Instrument, item: Item) -> Buttons:
    """The published answer labels in their published order, one a row, then "Not now"."""
    number = found.number_of(item.key)
    rows: Buttons = [
        [(label, button_data.screener_answer(administration_id, number, value))]
        for value, label in enumerate(found.answers_of(item))
    ]
    rows.append([(text.NOT_NOW, button_data.screener_later(administration_id))])
    return rows


def chosen_buttons(administration_id: int, found: Instrument, item: Item, value: int) -> Buttons:
    """What stays under an answered item: the answer given (a tap on it changes nothing)."""
    label = found.answers_of(item)[value]
    data = button_data.screener_answer(administration_id, found.number_of(item.key), value)
    return [[(text.CHOSEN.format(label=label), data)]]


def item_text(found: Instrument, form: Form, item: Item, intro: str | None = None) -> str:
    parts = [intro] if intro else []
    if item.key == (found.closing.key if found.closing else None):
        parts.append(item.text)
    else:
        if found.stem:
            parts.append(found.stem)
        number = found.number_of(item.key)
        parts.append(text.ITEM_NUMBER.format(number=number, count=form.items, text=item.text))
    return "\n\n".join(parts)


def next_item(found: Instrument, form: Form, answers: Mapping[str, int]) -> Item | None:
    """The first item the form still asks: scored items up to an early end, then the closing."""
    for item in found.items[: form.items]:
        if item.key not in answers:
            return item
        if item.ends_form_at is not None and answers[item.key] == item.ends_form_at:
            break
    closing = found.closing
    if form.closing and closing is not None and closing.key not in answers:
        return closing
    return None


async def ask(
    session: AsyncSession,
    client: Client,
    administration: Administration,
    item: Item,
    now: datetime,
    *,
    intro: str | None = None,
    lane: Lane = Lane.reply,
) -> None:
    found = instrument(administration.family)
    body = item_text(found, found.form(administration.form), item, intro)
    administration.status = AdministrationStatus.answering
    administration.asked_item = item.key
    buttons = item_buttons(administration.id, found, item)
    replies.say(session, client, body, now, lane=lane, buttons=buttons)


async def begin(
    session: AsyncSession,
    client: Client,
    administration: Administration,
    now: datetime,
    *,
    intro: str | None,
    lane: Lane = Lane.reply,
) -> None:
    """The first item not yet answered (the first of all for a new one)."""
    found = instrument(administration.family)
    answers = await service.answers_of(session, administration_id=administration.id)
    item = next_item(found, found.form(administration.form), answers)
    if item is None:
        await finish(session, client, administration, now)
        return
    await ask(session, client, administration, item, now, intro=intro, lane=lane)


async def begin_after_checkin(
    session: AsyncSession, client: Client, checkin_id: int, now: datetime
) -> bool:
    """The check-in is answered: the first screener that rode on it starts, if any."""
    waiting = await service.waiting_on(session, checkin_id=checkin_id)
    if not waiting or client.chat_id is None:
        return False
    await begin(session, client, waiting[0], now, intro=text.INTRO)
    return True


async def advance(
    session: AsyncSession, client: Client, administration: Administration, now: datetime
) -> None:
    """After an answer: the step-up, the total through the policy, the next item or the end."""
    found = instrument(administration.family)
    form = found.form(administration.form)
    answers = await service.answers_of(session, administration_id=administration.id)
    if administration.total is None and scoring.is_complete(found, form, answers):
        if form.steps_up_to is not None:
            short = scoring.score(found, form, answers)
            administration.short_total = short.total
            if short.positive:
                administration.form = form.steps_up_to
                full = found.form(form.steps_up_to)
                item = next_item(found, full, answers)
                assert item is not None, "a full form asks more than its short form"
                await ask(session, client, administration, item, now, intro=text.STEP_UP)
                return
        await score(session, client, administration, answers, now)
    item = next_item(found, form, answers)
    if item is not None:
        await ask(session, client, administration, item, now)
    else:
        await finish(session, client, administration, now)


async def _reference(
    session: AsyncSession, client_id: int, administration: Administration
) -> tuple[int | None, str | None]:
    """The end-of-therapy total the therapist entered, or else the first screener's."""
    plan = await plans.get(session, client_id=client_id)
    ending = (plan.ending_totals or {}).get(administration.form) if plan else None
    if ending is not None:
        return ending, "ending"
    first = await session.scalar(
        select(Administration.total)
        .where(
            Administration.client_id == client_id,
            Administration.form == administration.form,
            Administration.total.is_not(None),
            Administration.id != administration.id,
        )
        .order_by(Administration.sent_at, Administration.id)
        .limit(1)
    )
    return (first, "first") if first is not None else (None, None)


async def score(
    session: AsyncSession,
    client: Client,
    administration: Administration,
    answers: Mapping[str, int],
    now: datetime,
) -> Raised | None:
    """The total and band; a full form's change against its reference goes through the policy
    (a reliable deterioration is an elevated alert)."""
    found = instrument(administration.family)
    form = found.form(administration.form)
    plan = await plans.get(session, client_id=client.id)
    result = scoring.score(found, form, answers, plan.audit_c_cutoff if plan else None)
    administration.total, administration.band = result.total, result.band
    administration.positive = result.positive
    if form.reliable_change is None:
        return None
    reference, kind = await _reference(session, client.id, administration)
    administration.reference_total, administration.reference_kind = reference, kind
    change = scoring.change(form, reference, result.total)
    decision = decide_screener_total(
        reliable_deterioration=change is not None and change.reliable_deterioration
    )
    if decision.alert is None or change is None:
        return None
    raised = await apply.raise_for(
        session,
        client,
        decision,
        evidence=await change_evidence(session, client, form, change, kind),
        now=now,
        signal=text.TAPER_SIGNAL,
    )
    administration.alert_id = raised.alert_id if raised else None
    return raised


async def change_evidence(
    session: AsyncSession, client: Client, form: Form, change: scoring.Change, kind: str | None
) -> str:
    """E.g. "PHQ-9 up 7 since the ending: 8 → 15"."""
    since = text.SINCE_ENDING
    if kind == "first":
        first = await session.scalar(
            select(Administration.sent_at)
            .where(Administration.client_id == client.id, Administration.form == form.key)
            .where(Administration.total.is_not(None))
            .order_by(Administration.sent_at, Administration.id)
            .limit(1)
        )
        since = text.SINCE_FIRST.format(date=f"{first:%d %b %Y}" if first else "?")
    return text.EVIDENCE_CHANGE.format(
        form=form.title,
        delta=change.delta,
        since=since,
        reference=change.reference,
        total=change.total,
    )


async def finish(
    session: AsyncSession, client: Client, administration: Administration, now: datetime
) -> None:
    """Done: the next screener that rode on the same check-in starts, or the thanks."""
    administration.status, administration.finished_at = AdministrationStatus.finished, now
    administration.asked_item = None
    waiting = (
        await service.waiting_on(session, checkin_id=administration.checkin_id)
        if administration.checkin_id is not None
        else []
    )
    if waiting:
        await begin(session, client, waiting[0], now, intro=text.NEXT_INSTRUMENT)
    else:
        replies.say(session, client, text.DONE, now)


async def end_for_crisis(
    session: AsyncSession, administration: Administration, now: datetime
) -> None:
    """The crisis path takes over: this one ends (unscored questions unasked), the others wait."""
    administration.status, administration.finished_at = AdministrationStatus.finished, now
    administration.asked_item = None
    await service.hold_others(session, administration)


async def skip(
    session: AsyncSession, client: Client, administration: Administration, now: datetime
) -> None:
    """ "Not now": this one and the others on the same check-in stop; answers so far stay."""
    scored = administration.total is not None
    administration.status = (
        AdministrationStatus.finished if scored else AdministrationStatus.skipped
    )
    administration.finished_at, administration.asked_item = now, None
    if administration.checkin_id is not None:
        for other in await service.waiting_on(session, checkin_id=administration.checkin_id):
            other.status, other.finished_at = AdministrationStatus.skipped, now
    replies.say(session, client, text.DONE if scored else text.NOT_NOW_REPLY, now)


async def remind(
    session: AsyncSession, client: Client, administration: Administration, now: datetime
) -> None:
    """The one gentle reminder: where they left off, and until when it stays open."""
    administration.reminded_at = now
    assert administration.sent_at is not None
    words = {
        "name": client.display_name,
        "until": describe(administration.sent_at + SCREENER_EXPIRES_AFTER, client.timezone, now),
    }
    if administration.status is AdministrationStatus.offered:
        intro = text.REMINDER_START.format(**words)
    else:
        intro = text.REMINDER_CONTINUE.format(**words)
    await begin(session, client, administration, now, intro=intro, lane=Lane.nudge)


async def remind_and_close(session: AsyncSession, *, now: datetime) -> tuple[int, int]:
    """Screeners sent 4 days ago close; those sent 2 days ago and not finished get their one
    gentle reminder (an active client only; a held one waits in silence). Returns (reminded,
    closed)."""
    closed = await service.expire_due(session, now=now)
    reminded = 0
    for administration in await service.due_reminders(session, now=now):
        client = await session.get(Client, administration.client_id)
        administration.reminded_at = now
        if client is None or client.status is not ClientStatus.active or client.chat_id is None:
            continue
        await remind(session, client, administration, now)
        reminded += 1
    return reminded, closed
