"""Alert service: merging repeats, severity only rising, clinic deadlines, ack/resolve, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.alert import actions
from bot.alert import overdue as overdue_alerts
from bot.alert import service as alerts
from bot.alert.models import AlertAction, AlertStatus, AlertType, Severity
from bot.client import service as clients
from bot.clinic.models import Clinic
from bot.database.core import SessionMaker
from bot.errors import InvalidInput, NotFound
from bot.staff import service as staff_service
from tests.alert.conftest import NOW, World
from tests.factories import make_clinic, make_therapist

CLI = actions.Actor(None, actions.Door.cli)


async def _raise(
    sessionmaker: SessionMaker,
    world: World,
    *,
    at: timedelta = timedelta(0),
    severity: Severity = Severity.elevated,
    type: AlertType = AlertType.warning_signs,
    evidence: str = "check-in 5: mood 1/5, 2 warning signs",
) -> tuple[int, bool]:
    async with sessionmaker.begin() as session:
        client = await clients.get(session, client_id=world.client_id)
        alert, created = await alerts.raise_alert(
            session, client=client, type=type, severity=severity, evidence=evidence, now=NOW + at
        )
        return alert.id, created


async def test_a_new_alert_gets_the_clinics_deadline_and_owner(
    sessionmaker: SessionMaker, world: World
) -> None:
    async with sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.urgent_deadline_minutes = 10
        clinic.elevated_deadline_hours = 4
        clinic.routine_deadline_hours = 48
    urgent, created = await _raise(sessionmaker, world, severity=Severity.urgent, type="crisis")
    elevated, _ = await _raise(sessionmaker, world, severity=Severity.elevated, type="lapse")
    routine, _ = await _raise(sessionmaker, world, severity=Severity.routine, type="blocked")
    assert created
    async with sessionmaker() as session:
        got = {i: await alerts.get(session, alert_id=i) for i in (urgent, elevated, routine)}
        assert got[urgent].deadline_at == NOW + timedelta(minutes=10)
        assert got[elevated].deadline_at == NOW + timedelta(hours=4)
        assert got[routine].deadline_at == NOW + timedelta(hours=48)
        assert got[urgent].owner_id == world.therapist_id
        assert got[urgent].clinic_id == world.clinic_id
        assert got[urgent].status is AlertStatus.open
        trail = await alerts.events(session, alert_id=urgent)
        assert [e.action for e in trail] == [AlertAction.created]
        assert trail[0].actor_label == "system"


async def test_repeats_merge_into_the_unresolved_alert_however_old(
    sessionmaker: SessionMaker, world: World
) -> None:
    first, created = await _raise(sessionmaker, world)
    again, merged_created = await _raise(
        sessionmaker, world, at=timedelta(hours=20), evidence="check-in 6: mood 2/5"
    )
    assert created and not merged_created and again == first
    # One unresolved alert per client and type: no window, days later it still merges.
    later, later_created = await _raise(sessionmaker, world, at=timedelta(hours=65))
    assert not later_created and later == first
    other_type, other_created = await _raise(
        sessionmaker, world, at=timedelta(hours=65), type=AlertType.lapse
    )
    assert other_created and other_type != first
    async with sessionmaker() as session:
        merged = await alerts.get(session, alert_id=first)
        assert merged.count == 3
        assert merged.last_seen_at == NOW + timedelta(hours=65)
        assert merged.first_seen_at == NOW
        actions = [e.action for e in await alerts.events(session, alert_id=first)]
        assert actions == [AlertAction.created, AlertAction.merged, AlertAction.merged]


async def test_a_resolved_alert_is_never_merged_into(
    sessionmaker: SessionMaker, world: World
) -> None:
    first, _ = await _raise(sessionmaker, world)
    async with sessionmaker.begin() as session:
        await actions.resolve(
            session, alert_id=first, actor=CLI, note="called", reason=None, now=NOW
        )
    second, created = await _raise(sessionmaker, world, at=timedelta(minutes=5))
    assert created and second != first


async def test_severity_only_rises_and_the_deadline_only_moves_earlier(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id, _ = await _raise(sessionmaker, world, severity=Severity.routine)
    await _raise(sessionmaker, world, severity=Severity.urgent, at=timedelta(hours=1))
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.severity is Severity.urgent
        assert alert.deadline_at == NOW + timedelta(hours=1, minutes=15)
    await _raise(sessionmaker, world, severity=Severity.routine, at=timedelta(hours=2))
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.severity is Severity.urgent
        # A later urgent deadline (2h15) would be later than 1h15: it stays.
        assert alert.deadline_at == NOW + timedelta(hours=1, minutes=15)
        assert alert.count == 3
        merged = [e for e in await alerts.events(session, alert_id=alert_id)][1]
        assert merged.detail is not None and "routine -> urgent" in merged.detail


async def test_acknowledge_then_resolve_records_who_and_when(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id, _ = await _raise(sessionmaker, world)
    async with sessionmaker.begin() as session:
        dee = actions.Actor(
            await staff_service.get(session, staff_id=world.duty_id), actions.Door.telegram
        )
        await actions.take(session, alert_id=alert_id, actor=dee, now=NOW)
        await actions.resolve(
            session,
            alert_id=alert_id,
            actor=dee,
            note="  called, safe  ",
            reason=None,
            now=NOW + timedelta(minutes=9),
        )
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.status is AlertStatus.resolved
        assert alert.acknowledged_by_id == world.duty_id and alert.acknowledged_at == NOW
        assert alert.owner_id == world.duty_id
        assert alert.resolved_by == "Dee Duty (telegram)"
        assert alert.resolution_note == "called, safe"
        trail = await alerts.events(session, alert_id=alert_id)
        assert [e.action for e in trail] == [
            AlertAction.created,
            AlertAction.acknowledged,
            AlertAction.resolved,
        ]
        assert trail[2].actor_staff_id == world.duty_id and trail[2].detail == "called, safe"
        assert await alerts.get_all(session, open_only=True) == []
        assert [a.id for a in await alerts.get_all(session, clinic_id=world.clinic_id)] == [
            alert_id
        ]


async def test_wrong_actions_are_refused_with_a_clear_error(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id, _ = await _raise(sessionmaker, world)
    async with sessionmaker.begin() as session:
        with pytest.raises(InvalidInput, match="needs a note"):
            await actions.resolve(
                session, alert_id=alert_id, actor=CLI, note=" ", reason=None, now=NOW
            )
        with pytest.raises(NotFound, match="no alert with id 999"):
            await actions.take(session, alert_id=999, actor=CLI, now=NOW)
        other_clinic = await make_clinic(session, name="Hillside")
        stranger = await make_therapist(session, other_clinic, name="Dr Other")
        assert not actions.works_queue(stranger, world.clinic_id)
        with pytest.raises(actions.NotAllowed):
            await actions.take(
                session,
                alert_id=alert_id,
                actor=actions.Actor(stranger, actions.Door.console),
                now=NOW,
            )
        await actions.take(session, alert_id=alert_id, actor=CLI, now=NOW)
        with pytest.raises(actions.AlreadyTaken, match="already taken by cli"):
            await actions.take(session, alert_id=alert_id, actor=CLI, now=NOW)
        await actions.resolve(
            session, alert_id=alert_id, actor=CLI, note="done", reason=None, now=NOW
        )
        with pytest.raises(actions.AlreadyResolved, match="already resolved"):
            await actions.resolve(
                session, alert_id=alert_id, actor=CLI, note="again", reason=None, now=NOW
            )
        with pytest.raises(actions.AlreadyResolved, match="already resolved"):
            await actions.take(session, alert_id=alert_id, actor=CLI, now=NOW)


async def test_overdue_is_past_deadline_unresolved_and_not_recently_reminded(
    sessionmaker: SessionMaker, world: World
) -> None:
    urgent, _ = await _raise(sessionmaker, world, severity=Severity.urgent, type="crisis")
    routine, _ = await _raise(sessionmaker, world, severity=Severity.routine, type="blocked")
    every = timedelta(minutes=15)
    async with sessionmaker.begin() as session:
        assert (
            await overdue_alerts.overdue(
                session, now=NOW + timedelta(minutes=14), remind_every=every
            )
            == []
        )
        due = await overdue_alerts.overdue(
            session, now=NOW + timedelta(minutes=15), remind_every=every
        )
        assert [a.id for a in due] == [urgent]
        due[0].last_notified_at = NOW + timedelta(minutes=15)
    async with sessionmaker.begin() as session:
        later = NOW + timedelta(minutes=29)
        assert await overdue_alerts.overdue(session, now=later, remind_every=every) == []
        later = NOW + timedelta(minutes=30)
        assert [
            a.id for a in await overdue_alerts.overdue(session, now=later, remind_every=every)
        ] == [urgent]
        await actions.resolve(
            session, alert_id=urgent, actor=CLI, note="ok", reason=None, now=later
        )
        days = NOW + timedelta(days=4)
        assert [
            a.id for a in await overdue_alerts.overdue(session, now=days, remind_every=every)
        ] == [routine]
