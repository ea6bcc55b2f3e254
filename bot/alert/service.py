"""Queries for alerts and raising them (merging repeats); what staff do: bot/alert/actions.py.

Every change is written to the alert's audit trail (`AlertEvent`).

Several processes may run these at once (two `aftercare run` on one PostgreSQL database):
a client has at most one unresolved alert of each type (a partial unique index, migration
0005) and raising inserts-or-merges without ever failing. What is overdue: `bot/alert/overdue.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertAction, AlertEvent, AlertStatus, AlertType, Severity
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.errors import NotFound
from bot.policy.deadlines import alert_deadline
from bot.staff.models import Staff

SYSTEM = "system"
# The predicate of the partial unique index on alerts (client_id, type), word for word, so
# that INSERT ... ON CONFLICT can name that index as its arbiter on PostgreSQL and SQLite.
UNRESOLVED_PREDICATE = "status <> 'resolved'"
# A raise inserts an alert or finds the unresolved one; only if a concurrent resolve closes
# that one in between does it go round again (and then its insert succeeds).
RAISE_ATTEMPTS = 5


def log_event(
    session: AsyncSession,
    alert: Alert,
    action: AlertAction,
    *,
    now: datetime,
    actor: Staff | None = None,
    actor_label: str = SYSTEM,
    detail: str | None = None,
) -> AlertEvent:
    event = AlertEvent(
        alert_id=alert.id,
        at=now,
        actor_staff_id=actor.id if actor is not None else None,
        actor_label=actor_label[:200],
        action=action,
        detail=detail[:500] if detail else None,
    )
    session.add(event)
    return event


async def find_mergeable(
    session: AsyncSession,
    *,
    client_id: int,
    type: AlertType,
    now: datetime | None = None,
    merge_window: timedelta | None = None,
    lock: bool = False,
) -> Alert | None:
    """The unresolved alert of this type for this client, if any (there is at most one).

    `merge_window` (with `now`) limits it to one seen that recently; `lock` takes a row lock
    on PostgreSQL (waiting for a concurrent merge) and always re-reads the row from the
    database, so a copy already in the session is never merged into stale.
    """
    query = select(Alert).where(
        Alert.client_id == client_id,
        Alert.type == type,
        Alert.status != AlertStatus.resolved,
    )
    if merge_window is not None:
        if now is None:
            raise ValueError("a merge window needs `now`")
        query = query.where(Alert.last_seen_at >= now - merge_window)
    query = query.order_by(Alert.last_seen_at.desc(), Alert.id.desc()).limit(1)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def _insert_unless_unresolved(
    session: AsyncSession,
    *,
    client: Client,
    type: AlertType,
    severity: Severity,
    evidence: str,
    now: datetime,
    message_id: int | None,
    checkin_id: int | None,
) -> Alert | None:
    """A new open alert, or None when the client already has an unresolved one of this type.

    INSERT ... ON CONFLICT DO NOTHING on the partial unique index: a concurrent raise that
    got there first never surfaces as an error (on PostgreSQL this waits for the other
    transaction and does nothing if it commits). On SQLite this write is also what takes the
    database's write lock, so the merge that may follow reads and writes under it.
    """
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Alert)
        .values(
            clinic_id=client.clinic_id,
            client_id=client.id,
            owner_id=client.therapist_id,
            type=type,
            severity=severity,
            status=AlertStatus.open,
            evidence=evidence[:300],
            evidence_message_id=message_id,
            evidence_checkin_id=checkin_id,
            count=1,
            first_seen_at=now,
            last_seen_at=now,
            deadline_at=alert_deadline(client.clinic, severity, now),
            reminders_sent=0,
        )
        .on_conflict_do_nothing(
            index_elements=[Alert.client_id, Alert.type],
            index_where=text(UNRESOLVED_PREDICATE),
        )
        .returning(Alert)
    )
    return await session.scalar(statement)


def _merge(
    session: AsyncSession,
    alert: Alert,
    *,
    clinic: Clinic,
    severity: Severity,
    evidence: str,
    now: datetime,
    message_id: int | None,
    checkin_id: int | None,
) -> None:
    """A repeat: count it; severity only rises, the deadline only moves earlier."""
    changes = [f"repeat {alert.count + 1}: {evidence}"]
    alert.count += 1
    alert.evidence = evidence[:300]
    alert.last_seen_at = now
    alert.evidence_message_id = message_id or alert.evidence_message_id
    alert.evidence_checkin_id = checkin_id or alert.evidence_checkin_id
    if severity.rank > alert.severity.rank:
        changes.append(f"severity {alert.severity} -> {severity}")
        alert.severity = severity
    sooner = alert_deadline(clinic, alert.severity, now)
    if sooner < alert.deadline_at:
        changes.append(f"deadline moved to {sooner:%Y-%m-%d %H:%M} UTC")
        alert.deadline_at = sooner
    log_event(session, alert, AlertAction.merged, now=now, detail="; ".join(changes))


async def raise_alert(
    session: AsyncSession,
    *,
    client: Client,
    type: AlertType,
    severity: Severity,
    evidence: str,
    now: datetime,
    message_id: int | None = None,
    checkin_id: int | None = None,
) -> tuple[Alert, bool]:
    """The alert for this event and whether it is new (False: merged into the unresolved one).

    A client has at most one unresolved alert of each type, however old: a repeat always
    merges into it. Safe against concurrent raises in other transactions and processes:
    exactly one alert is created, every other raise merges, and none of them fails.
    """
    for _ in range(RAISE_ATTEMPTS):
        alert = await _insert_unless_unresolved(
            session,
            client=client,
            type=type,
            severity=severity,
            evidence=evidence,
            now=now,
            message_id=message_id,
            checkin_id=checkin_id,
        )
        if alert is not None:
            log_event(
                session, alert, AlertAction.created, now=now, detail=f"{severity}: {evidence}"
            )
            return alert, True
        alert = await find_mergeable(session, client_id=client.id, type=type, lock=True)
        if alert is not None:
            _merge(
                session,
                alert,
                clinic=client.clinic,
                severity=severity,
                evidence=evidence,
                now=now,
                message_id=message_id,
                checkin_id=checkin_id,
            )
            return alert, False
        # Resolved between the insert and the lookup: the next insert will succeed.
    raise RuntimeError(f"could not raise a {type} alert for client {client.id}: kept racing")


async def get(session: AsyncSession, *, alert_id: int) -> Alert:
    alert = await session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}: see `aftercare alerts list`")
    return alert


async def get_all(
    session: AsyncSession, *, clinic_id: int | None = None, open_only: bool = False
) -> list[Alert]:
    """Alerts, newest first; `open_only` leaves out resolved ones."""
    query = select(Alert).order_by(Alert.id.desc())
    if clinic_id is not None:
        query = query.where(Alert.clinic_id == clinic_id)
    if open_only:
        query = query.where(Alert.status != AlertStatus.resolved)
    return list(await session.scalars(query))


async def events(session: AsyncSession, *, alert_id: int) -> list[AlertEvent]:
    """The audit trail, oldest first."""
    return list(
        await session.scalars(
            select(AlertEvent)
            .where(AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.at, AlertEvent.id)
        )
    )
