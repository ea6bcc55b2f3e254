"""One door per verb: take, hand over, resolve, reopen, remind, escalate, return to the queue.

The console, the staff group's buttons, the command line and the clock call these and only
render what comes back. Each checks who may act, records the owner and the handling the same
way whichever door was used, and queues the staff-group message's new state (an outbox row) in
the caller's transaction. Raising stays in bot/alert/raising.py (bot.escalation.apply over it).

The alert row is locked first, so two people pressing at once get one winner and one clear
refusal, never two owners.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import overdue, raising, service
from bot.alert.handling_models import AlertHandling, HandlingStep, ResolutionReason
from bot.alert.models import Alert, AlertAction, AlertStatus
from bot.alert.views import build_view, clinic_admins
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.errors import InvalidInput, NotFound
from bot.outbox import service as outbox
from bot.outbox.models import Purpose
from bot.policy import deadlines
from bot.staff.models import Staff, StaffRole
from bot.texts import alerts as text

# Raising has one home: bot/escalation/apply.py over bot/alert/raising.py; named here too.
raise_alert = raising.raise_alert
# The roles that work the alert queue (the console refuses the others with 403).
QUEUE_ROLES = (StaffRole.duty, StaffRole.clinic_admin)
# The staff member's "handed over by" label fits the alert's column.
LABEL_LENGTH = 200


class Door(enum.StrEnum):
    console = "console"
    telegram = "telegram"
    cli = "cli"
    system = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts, and through which door; no staff member: the operator at the command line."""

    staff: Staff | None
    door: Door

    @property
    def label(self) -> str:
        return f"{self.staff.name} ({self.door})" if self.staff is not None else self.door.value


class NotAllowed(InvalidInput):
    """Not someone who may work this alert: another clinic, deactivated, or a role that can't."""

    def __init__(self, *, deactivated: bool) -> None:
        super().__init__("deactivated" if deactivated else "not staff who work this queue")
        self.deactivated = deactivated


class AlreadyTaken(InvalidInput):
    def __init__(self, who: str | None) -> None:
        super().__init__(f"already taken by {who}")
        self.who = who or ""


class AlreadyResolved(InvalidInput):
    pass


class NotTaken(InvalidInput):
    pass


class NotResolved(InvalidInput):
    pass


class NoteMissing(InvalidInput):
    pass


class NewerOpen(InvalidInput):
    """The client has another unresolved alert of this type: reopening would make two."""

    def __init__(self, other_id: int) -> None:
        super().__init__(f"alert {other_id} is open for the same client and type")
        self.other_id = other_id


class ColleagueUnavailable(InvalidInput):
    """The colleague can't take it: deactivated, can't work the queue, or it is already theirs."""

    def __init__(self, *, deactivated: bool) -> None:
        super().__init__("can't take alerts" if deactivated else "already theirs")
        self.deactivated = deactivated


def works_queue(staff: Staff, clinic_id: int) -> bool:
    """Active staff of this clinic whose role works the alert queue."""
    return (
        staff.clinic_id == clinic_id and staff.deactivated_at is None and staff.role in QUEUE_ROLES
    )


def can_receive(staff: Staff, clinic_id: int) -> bool:
    """Who an alert may be handed to: works the queue and has signed in (set a password)."""
    return works_queue(staff, clinic_id) and staff.password_hash is not None


async def hand_over_candidates(db: AsyncSession, *, alert: Alert) -> list[Staff]:
    """The colleagues an alert may be handed to, by name, leaving out whoever has it."""
    found = await db.scalars(
        select(Staff)
        .where(
            Staff.clinic_id == alert.clinic_id,
            Staff.deactivated_at.is_(None),
            Staff.role.in_(QUEUE_ROLES),
            Staff.password_hash.is_not(None),
        )
        .order_by(Staff.name, Staff.id)
    )
    return [s for s in found if s.id != alert.acknowledged_by_id]


def check(actor: Actor, alert: Alert) -> None:
    """Refuses (NotAllowed) anyone but the operator or staff who work this alert's queue."""
    if actor.staff is not None and not works_queue(actor.staff, alert.clinic_id):
        raise NotAllowed(deactivated=actor.staff.deactivated_at is not None)


async def lock(db: AsyncSession, *, alert_id: int) -> Alert:
    """The alert, locked for the rest of the transaction and read fresh."""
    if db.bind.dialect.name == "postgresql":
        alert = await db.scalar(
            select(Alert)
            .where(Alert.id == alert_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    else:
        # SQLite locks the whole database for a write: a write that changes nothing takes it.
        await db.execute(
            update(Alert)
            .where(Alert.id == alert_id)
            .values(count=Alert.count)
            .execution_options(synchronize_session=False)
        )
        alert = await db.get(Alert, alert_id, populate_existing=True)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}: see `aftercare alerts list`")
    return alert


async def _show_in_group(db: AsyncSession, alert: Alert, now: datetime) -> None:
    await db.flush()
    raising.show_change(db, await build_view(db, alert=alert), now)


def _handling(
    db: AsyncSession,
    alert: Alert,
    actor: Actor,
    step: HandlingStep,
    now: datetime,
    **fields: str | int | None,
) -> None:
    db.add(
        AlertHandling(
            alert_id=alert.id,
            at=now,
            staff_id=actor.staff.id if actor.staff is not None else None,
            actor_label=actor.label[:LABEL_LENGTH],
            step=step.value,
            **fields,
        )
    )


async def take(db: AsyncSession, *, alert_id: int, actor: Actor, now: datetime) -> Alert:
    """Acknowledge = take it: it is now this person's to handle."""
    alert = await lock(db, alert_id=alert_id)
    check(actor, alert)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved(f"alert {alert.id} is already resolved by {alert.resolved_by}")
    if alert.status is AlertStatus.acknowledged:
        raise AlreadyTaken(alert.acknowledged_by)
    alert.status = AlertStatus.acknowledged
    alert.acknowledged_at = now
    alert.acknowledged_by_id = actor.staff.id if actor.staff is not None else None
    alert.acknowledged_by = actor.label[:LABEL_LENGTH]
    if actor.staff is not None:
        alert.owner_id = actor.staff.id
    service.log_event(
        db, alert, AlertAction.acknowledged, now=now, actor=actor.staff, actor_label=actor.label
    )
    await _show_in_group(db, alert, now)
    return alert


async def hand_over(
    db: AsyncSession, *, alert_id: int, actor: Actor, to: Staff, note: str | None, now: datetime
) -> Alert:
    """Give a taken alert to a colleague who works the queue; they hear of it privately."""
    alert = await lock(db, alert_id=alert_id)
    check(actor, alert)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved("already resolved")
    if alert.status is not AlertStatus.acknowledged:
        raise NotTaken("not taken")
    if not can_receive(to, alert.clinic_id):
        raise ColleagueUnavailable(deactivated=True)
    if to.id == alert.acknowledged_by_id:
        raise ColleagueUnavailable(deactivated=False)
    giver = actor.staff.name if actor.staff is not None else actor.label
    alert.acknowledged_by_id = to.id
    alert.acknowledged_by = text.HANDED_OVER_LABEL.format(to=to.name, by=giver)[:LABEL_LENGTH]
    alert.owner_id = to.id
    note = (note or "").strip() or None
    _handling(
        db,
        alert,
        actor,
        HandlingStep.handed_over,
        now,
        to_staff_id=to.id,
        to_label=to.name,
        note=note,
    )
    await _show_in_group(db, alert, now)
    if to.telegram_user_id is not None:
        view = await build_view(db, alert=alert)
        outbox.enqueue(
            db,
            lane=deadlines.staff_lane(alert.severity),
            purpose=Purpose.staff_notice,
            chat_id=to.telegram_user_id,
            text=text.handed_to_you(view, by=giver, note=note),
            alert_id=alert.id,
            now=now,
        )
    return alert


async def resolve(
    db: AsyncSession,
    *,
    alert_id: int,
    actor: Actor,
    note: str,
    reason: ResolutionReason | None,
    now: datetime,
) -> Alert:
    """Close it with what was done (the note) and, when given, why it can close (the reason)."""
    note = note.strip()
    if not note:
        raise NoteMissing("resolving an alert needs a note saying what was done")
    alert = await lock(db, alert_id=alert_id)
    check(actor, alert)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved(f"alert {alert.id} is already resolved by {alert.resolved_by}")
    alert.status = AlertStatus.resolved
    alert.resolved_at = now
    alert.resolved_by_id = actor.staff.id if actor.staff is not None else None
    alert.resolved_by = actor.label[:LABEL_LENGTH]
    alert.resolution_note = note
    service.log_event(
        db,
        alert,
        AlertAction.resolved,
        now=now,
        actor=actor.staff,
        actor_label=actor.label,
        detail=note,
    )
    _handling(
        db,
        alert,
        actor,
        HandlingStep.resolved,
        now,
        reason=reason.value if reason is not None else None,
        note=note,
    )
    await _show_in_group(db, alert, now)
    return alert


def _back_to_queue(alert: Alert, therapist_id: int) -> None:
    alert.status = AlertStatus.open
    alert.owner_id = therapist_id
    for column in (
        "acknowledged_at",
        "acknowledged_by_id",
        "acknowledged_by",
        "resolved_at",
        "resolved_by_id",
        "resolved_by",
        "resolution_note",
    ):
        setattr(alert, column, None)


async def reopen(
    db: AsyncSession, *, alert_id: int, actor: Actor, note: str, now: datetime
) -> Alert:
    """Back to the queue, not taken, with a new deadline from now by its severity."""
    note = note.strip()
    if not note:
        raise NoteMissing("a note is needed")
    alert = await lock(db, alert_id=alert_id)
    check(actor, alert)
    if alert.status is not AlertStatus.resolved:
        raise NotResolved("not resolved")
    other = await service.find_mergeable(db, client_id=alert.client_id, type=alert.type)
    if other is not None and other.id != alert.id:
        raise NewerOpen(other.id)
    clinic = await db.get(Clinic, alert.clinic_id)
    client = await db.get(Client, alert.client_id)
    assert clinic is not None and client is not None
    _back_to_queue(alert, client.therapist_id)
    alert.deadline_at = deadlines.alert_deadline(clinic, alert.severity, now)
    alert.escalated_at = None
    alert.last_notified_at = None
    _handling(db, alert, actor, HandlingStep.reopened, now, note=note)
    await _show_in_group(db, alert, now)
    return alert


async def return_taken(db: AsyncSession, *, staff: Staff, actor: Actor, now: datetime) -> list[int]:
    """Everything `staff` holds goes back to the queue (they were deactivated): nobody is left
    holding an alert they can no longer act on. Returns the alerts' ids."""
    held = list(
        await db.scalars(
            select(Alert.id)
            .where(Alert.acknowledged_by_id == staff.id, Alert.status == AlertStatus.acknowledged)
            .order_by(Alert.id)
        )
    )
    for alert_id in held:
        alert = await lock(db, alert_id=alert_id)
        if alert.status is not AlertStatus.acknowledged or alert.acknowledged_by_id != staff.id:
            continue
        client = await db.get(Client, alert.client_id)
        assert client is not None
        _back_to_queue(alert, client.therapist_id)
        _handling(
            db,
            alert,
            actor,
            HandlingStep.returned,
            now,
            note=text.RETURNED_NOTE.format(name=staff.name),
        )
        await _show_in_group(db, alert, now)
    return held


async def remind(db: AsyncSession, *, alert: Alert, now: datetime) -> bool:
    """Remind the staff group of an overdue alert; False (and on its trail) with no group."""
    view = await build_view(db, alert=alert)
    if raising.remind(db, view, now - alert.deadline_at, now):
        return True
    service.log_event(db, alert, AlertAction.notify_failed, now=now, detail=raising.NO_GROUP)
    return False


async def escalate(db: AsyncSession, *, alert: Alert, now: datetime) -> None:
    """Page the clinic's admins privately about an overdue alert, and say so in the group."""
    view = await build_view(db, alert=alert)
    admins = await clinic_admins(db, clinic_id=alert.clinic_id)
    raising.escalate(db, alert, view, admins, now)


async def remind_overdue(
    db: AsyncSession, *, now: datetime, remind_every: timedelta = deadlines.REMIND_EVERY
) -> int:
    """Remind of every overdue alert; the first time, escalate. Claimed in this transaction,
    so two processes never remind or escalate one alert twice."""
    claims = await overdue.claim_overdue(db, now=now, remind_every=remind_every)
    for claim in claims:
        await remind(db, alert=claim.alert, now=now)
        if claim.escalate:
            await escalate(db, alert=claim.alert, now=now)
    return len(claims)
