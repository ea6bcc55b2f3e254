"""What duty staff do with an alert in the console: take it, hand it over, resolve, reopen.

Each action changes the alert and queues the edit of its staff-group message (an outbox row)
in the caller's transaction, so the console and the group never disagree: the bot process sends
the edit. Nothing here talks to Telegram.

The alert row is locked first, so two people pressing at once get one winner and one clear
refusal, never two owners.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import raising
from bot.alert import service as alerts
from bot.alert.models import Alert, AlertStatus
from bot.alert.views import build_view
from bot.clinic.models import Clinic
from bot.console.handling_models import AlertHandling, HandlingStep, ResolutionReason
from bot.errors import InvalidInput, NotFound
from bot.staff.models import Staff


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


class NewerOpen(InvalidInput):
    """The client has another unresolved alert of this type: reopening would make two."""

    def __init__(self, other_id: int) -> None:
        super().__init__(f"alert {other_id} is open for the same client and type")
        self.other_id = other_id


class NoteMissing(InvalidInput):
    pass


class ColleagueUnavailable(InvalidInput):
    """The colleague can't take it: deactivated, or it is already theirs."""

    def __init__(self, *, deactivated: bool) -> None:
        super().__init__("deactivated" if deactivated else "already theirs")
        self.deactivated = deactivated


def label(staff: Staff) -> str:
    return f"{staff.name} (console)"


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
        raise NotFound(f"no alert {alert_id}")
    return alert


async def _show_in_group(db: AsyncSession, alert: Alert, now: datetime) -> None:
    await db.flush()
    raising.show_change(db, await build_view(db, alert=alert), now)


async def take(db: AsyncSession, *, alert_id: int, staff: Staff, now: datetime) -> Alert:
    """Acknowledge = take it: it is now this person's to handle."""
    alert = await lock(db, alert_id=alert_id)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved("already resolved")
    if alert.status is AlertStatus.acknowledged:
        raise AlreadyTaken(alert.acknowledged_by)
    await alerts.acknowledge(db, alert_id=alert.id, actor=staff, actor_label=label(staff), now=now)
    alert.owner_id = staff.id
    await _show_in_group(db, alert, now)
    return alert


async def hand_over(
    db: AsyncSession, *, alert_id: int, staff: Staff, to: Staff, note: str | None, now: datetime
) -> Alert:
    """Give a taken alert to a colleague of the same clinic; the group shows who has it now."""
    alert = await lock(db, alert_id=alert_id)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved("already resolved")
    if alert.status is not AlertStatus.acknowledged:
        raise NotTaken("not taken")
    if to.deactivated_at is not None or to.clinic_id != alert.clinic_id:
        raise ColleagueUnavailable(deactivated=True)
    if to.id == alert.acknowledged_by_id:
        raise ColleagueUnavailable(deactivated=False)
    alert.acknowledged_by_id = to.id
    alert.acknowledged_by = f"{to.name} (handed over by {staff.name})"[:200]
    alert.owner_id = to.id
    db.add(
        AlertHandling(
            alert_id=alert.id,
            at=now,
            staff_id=staff.id,
            actor_label=label(staff),
            step=HandlingStep.handed_over.value,
            to_staff_id=to.id,
            to_label=to.name,
            note=(note or "").strip() or None,
        )
    )
    await _show_in_group(db, alert, now)
    return alert


async def resolve(
    db: AsyncSession,
    *,
    alert_id: int,
    staff: Staff,
    reason: ResolutionReason,
    note: str,
    now: datetime,
) -> Alert:
    """Close it with what was done (the note) and why it can close (the reason)."""
    if not note.strip():
        raise NoteMissing("a note is needed")
    alert = await lock(db, alert_id=alert_id)
    if alert.status is AlertStatus.resolved:
        raise AlreadyResolved("already resolved")
    await alerts.resolve(
        db, alert_id=alert.id, actor=staff, actor_label=label(staff), note=note, now=now
    )
    db.add(
        AlertHandling(
            alert_id=alert.id,
            at=now,
            staff_id=staff.id,
            actor_label=label(staff),
            step=HandlingStep.resolved.value,
            reason=reason.value,
            note=note.strip(),
        )
    )
    await _show_in_group(db, alert, now)
    return alert


async def reopen(
    db: AsyncSession, *, alert_id: int, staff: Staff, note: str, now: datetime
) -> Alert:
    """Back to the queue, not taken, with a new deadline from now by its severity."""
    if not note.strip():
        raise NoteMissing("a note is needed")
    alert = await lock(db, alert_id=alert_id)
    if alert.status is not AlertStatus.resolved:
        raise NotResolved("not resolved")
    other = await alerts.find_mergeable(db, client_id=alert.client_id, type=alert.type)
    if other is not None and other.id != alert.id:
        raise NewerOpen(other.id)
    clinic = await db.get(Clinic, alert.clinic_id)
    assert clinic is not None
    alert.status = AlertStatus.open
    alert.deadline_at = alerts.deadline_for(clinic, alert.severity, now)
    for column in (
        "acknowledged_at",
        "acknowledged_by_id",
        "acknowledged_by",
        "resolved_at",
        "resolved_by_id",
        "resolved_by",
        "resolution_note",
        "escalated_at",
        "last_notified_at",
    ):
        setattr(alert, column, None)
    db.add(
        AlertHandling(
            alert_id=alert.id,
            at=now,
            staff_id=staff.id,
            actor_label=label(staff),
            step=HandlingStep.reopened.value,
            note=note.strip(),
        )
    )
    await _show_in_group(db, alert, now)
    return alert
