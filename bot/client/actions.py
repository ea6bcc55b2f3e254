"""One door per verb for a client's life: every adapter (Telegram, console, CLI, clock) calls these.

Each action changes the client in the caller's transaction and does everything the change implies
(check-ins replanned or cancelled, the policy's alert raised), so no door can forget a part.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule
from bot.checkin.models import Checkin
from bot.checkin.service import mark_blocked as cancel_for_blocked
from bot.client import contacts, erasure, history
from bot.client import invite as invites
from bot.client.data_export import Export, build_export
from bot.client.enrollment import Enrollment
from bot.client.enrollment import enroll as enroll_client
from bot.client.history import CLIENT, Event
from bot.client.models import ENDED, Client, ClientStatus, Invite
from bot.client.record_models import StaffNote
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.escalation import apply
from bot.plan import service as plans
from bot.plan.models import PlanVersion
from bot.plan.schema import PlanDocument
from bot.staff.models import Staff
from bot.taper.window import CheckinWindow
from bot.texts.translation import SUPPORTED, supported

logger = logging.getLogger(__name__)


class ClientEnded(InvalidInput):
    """The client stopped or graduated: nothing is planned for them again."""


@dataclass(frozen=True)
class Changed:
    """Whether the action changed anything, and the client's next check-in after it."""

    changed: bool
    next_due: datetime | None = None


async def _next(session: AsyncSession, client: Client) -> datetime | None:
    return await schedule.next_due(session, client_id=client.id)


async def enroll(
    session: AsyncSession, *, therapist: Staff, enrollment: Enrollment, by: str, now: datetime
) -> Client:
    """A new client (invited) with their plan (version 1) and planned check-ins."""
    client = await enroll_client(
        session, therapist=therapist, enrollment=enrollment, saved_by=by, now=now
    )
    history.record(session, client_id=client.id, event=Event.enrolled, by=by, now=now)
    return client


async def invite(
    session: AsyncSession, *, client: Client, valid_days: int, by: str, now: datetime
) -> tuple[str, Invite]:
    """A new single-use link code; any earlier unused one stops working."""
    code, row = await invites.create_invite(session, client=client, now=now, valid_days=valid_days)
    until = f"valid until {row.expires_at:%Y-%m-%d %H:%M} UTC"
    history.record(session, client_id=client.id, event=Event.invited, by=by, now=now, detail=until)
    return code, row


async def update_plan(
    session: AsyncSession, *, client: Client, plan: PlanDocument, by: str, now: datetime
) -> PlanVersion:
    """The plan the client reads becomes `plan`; the earlier version is kept. Dated triggers
    that changed replan the caring check-ins."""
    _replannable(client)
    before = await plans.get_document(session, client_id=client.id)
    version = await plans.save(session, client_id=client.id, document=plan, saved_by=by, now=now)
    history.record(
        session,
        client_id=client.id,
        event=Event.plan_changed,
        by=by,
        now=now,
        detail=f"version {version.number}",
    )
    if before is None or before.dated_triggers != plan.dated_triggers:
        await schedule.replan(session, client=client, now=now)
    return version


async def add_note(
    session: AsyncSession, *, client: Client, staff: Staff, author: str, text: str, now: datetime
) -> StaffNote:
    """A staff note on the client's timeline; an empty or overlong note is refused."""
    note = StaffNote(
        client_id=client.id,
        staff_id=staff.id,
        author=author[:200],
        at=now,
        text=history.check_note(text),
    )
    session.add(note)
    await session.flush()
    return note


async def follow(
    session: AsyncSession, *, client: Client, staff: Staff, by: str, now: datetime
) -> Changed:
    """`staff` sees the client too (a colleague covering or co-working)."""
    if staff.clinic_id != client.clinic_id:
        raise InvalidInput("only a colleague of the same clinic can follow this client")
    if staff.id == client.therapist_id:
        raise InvalidInput(f"{staff.name} is this client's therapist already")
    if not await history.add_follower(session, client_id=client.id, staff_id=staff.id, now=now):
        return Changed(False)
    history.record(
        session,
        client_id=client.id,
        event=Event.follower_added,
        by=by,
        now=now,
        detail=f"staff {staff.id}",
    )
    return Changed(True)


async def unfollow(
    session: AsyncSession, *, client: Client, staff: Staff, by: str, now: datetime
) -> Changed:
    if not await history.remove_follower(session, client_id=client.id, staff_id=staff.id):
        return Changed(False)
    history.record(
        session,
        client_id=client.id,
        event=Event.follower_removed,
        by=by,
        now=now,
        detail=f"staff {staff.id}",
    )
    return Changed(True)


async def pause(
    session: AsyncSession, *, client: Client, now: datetime, by: str = CLIENT
) -> Changed:
    """No check-ins until resumed; unchanged unless they were running."""
    if client.status is not ClientStatus.active:
        return Changed(False)
    client.status = ClientStatus.paused
    history.record(session, client_id=client.id, event=Event.paused, by=by, now=now)
    await session.flush()
    return Changed(True)


async def resume(
    session: AsyncSession, *, client: Client, now: datetime, by: str = CLIENT
) -> Changed:
    """Check-ins start again (from paused or blocked); what was missed becomes one catch-up."""
    if client.status not in (ClientStatus.paused, ClientStatus.blocked):
        return Changed(False, await _next(session, client))
    client.status = ClientStatus.active
    await schedule.replan(session, client=client, now=now)
    history.record(session, client_id=client.id, event=Event.resumed, by=by, now=now)
    return Changed(True, await _next(session, client))


async def unblock(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """They unblocked the bot (or wrote to it): the taper is picked up again."""
    if client.status is not ClientStatus.blocked:
        return Changed(False)
    return await resume(session, client=client, now=now)


async def stop(
    session: AsyncSession, *, client: Client, now: datetime, by: str = CLIENT
) -> Changed:
    """Every message stops; the clinic hears of it, as the confirmation promises."""
    if client.status is ClientStatus.stopped:
        return Changed(False)
    client.status = ClientStatus.stopped
    history.record(session, client_id=client.id, event=Event.stopped, by=by, now=now)
    await schedule.cancel_upcoming(session, client_id=client.id)
    await session.flush()
    await apply.client_stopped(session, client=client, now=now)
    return Changed(True)


async def mark_blocked(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """Telegram says they blocked the bot: check-ins stop and the clinic is told, once."""
    if client.status is not ClientStatus.active:
        return Changed(False)
    logger.info("client %s blocked the bot", client.pseudonym)
    await cancel_for_blocked(session, client_ids={client.id})
    await session.refresh(client, ["status"])
    await apply.client_blocked(session, client=client, now=now)
    return Changed(True)


def _replannable(client: Client) -> None:
    if client.status in ENDED:
        raise ClientEnded(f"client {client.pseudonym} has {client.status.value}")


async def change_window(
    session: AsyncSession, *, client: Client, window: CheckinWindow, now: datetime, by: str = CLIENT
) -> Changed:
    """Check-ins move into a new daily window (the client's local time)."""
    _replannable(client)
    client.window_start, client.window_end = window.start, window.end
    history.record(
        session,
        client_id=client.id,
        event=Event.window_changed,
        by=by,
        now=now,
        detail=str(window),
    )
    await schedule.replan(session, client=client, now=now)
    return Changed(True, await _next(session, client))


async def change_timezone(
    session: AsyncSession, *, client: Client, timezone: str, now: datetime, by: str = CLIENT
) -> Changed:
    """Check-ins follow a new timezone; an unknown name is refused with the reason."""
    check_timezone(timezone)
    _replannable(client)
    client.timezone = timezone
    history.record(
        session,
        client_id=client.id,
        event=Event.timezone_changed,
        by=by,
        now=now,
        detail=timezone,
    )
    await schedule.replan(session, client=client, now=now)
    return Changed(True, await _next(session, client))


async def change_language(
    session: AsyncSession, *, client: Client, language: str, now: datetime, by: str = CLIENT
) -> Changed:
    """Everything the bot writes to the client from now on is in this language."""
    chosen = supported(language)
    if chosen is None:
        raise InvalidInput(f"unknown language {language!r}: use {', '.join(SUPPORTED)}")
    if client.language == chosen:
        return Changed(False)
    client.language = chosen
    history.record(
        session, client_id=client.id, event=Event.language_changed, by=by, now=now, detail=chosen
    )
    return Changed(True)


async def change_contacts(
    session: AsyncSession,
    *,
    client: Client,
    phone: str | None,
    emergency_contact: str | None,
    by: str,
    now: datetime,
) -> Changed:
    """A new phone or emergency contact; None leaves that one as it is, "" clears it."""
    fields = {"phone": (phone, contacts.clean_phone)}
    fields["emergency contact"] = (emergency_contact, contacts.clean_contact)
    changed = []
    for name, (value, clean) in fields.items():
        if value is None:
            continue
        attribute = name.replace(" ", "_")
        cleaned = clean(value)
        if getattr(client, attribute) != cleaned:
            setattr(client, attribute, cleaned)
            changed.append(name)
    if not changed:
        return Changed(False)
    # Which fields changed, never their values: the history is read more widely than the record.
    history.record(
        session,
        client_id=client.id,
        event=Event.contacts_changed,
        by=by,
        now=now,
        detail=", ".join(changed),
    )
    return Changed(True)


async def send_checkin_now(
    session: AsyncSession, *, client: Client, now: datetime, by: str = CLIENT
) -> Checkin:
    """A check-in outside the taper, sent with the next dispatch round."""
    _replannable(client)
    if client.status is not ClientStatus.active:
        raise InvalidInput(
            f"client {client.pseudonym} is {client.status.value}: check-ins go only to "
            "active clients"
        )
    if client.chat_id is None:
        raise InvalidInput(f"client {client.pseudonym} has not joined on Telegram yet")
    history.record(session, client_id=client.id, event=Event.checkin_sent_now, by=by, now=now)
    return await schedule.add_manual(session, client=client, now=now)


async def erase(session: AsyncSession, *, client_id: int, now: datetime) -> erasure.ErasureReceipt:
    """Everything the client asked to erase is gone; the clinic keeps the minimum (see erasure)."""
    return await erasure.erase_client(session, client_id=client_id, now=now)


async def export(
    session: AsyncSession, *, client_id: int, now: datetime, retention_days: int
) -> Export:
    """Everything kept about the client, as they may take it away."""
    return await build_export(session, client_id=client_id, now=now, retention_days=retention_days)
