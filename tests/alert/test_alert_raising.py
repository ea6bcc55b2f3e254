"""Raising alerts in the caller's transaction: the staff group's messages are outbox rows that
commit with the alert, repeats edit or re-announce, and each outcome lands on the trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.alert import actions as alert_actions
from bot.alert import raising
from bot.alert import service as alerts
from bot.alert.models import Alert, AlertAction, AlertStatus, AlertType, Severity
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.database.core import SessionMaker
from bot.outbox import drain
from bot.outbox.models import Delivery, OutboxMessage, Outcome, Purpose
from bot.services import Services
from scheduler import jobs
from tests.alert.conftest import NOW, World
from tests.factories import make_crisis_message

EVIDENCE = "message 1: intent crisis; safety net: end it all"

CLI = alert_actions.Actor(None, alert_actions.Door.cli)


async def crisis(
    sessionmaker: SessionMaker,
    world: World,
    *,
    at: timedelta = timedelta(0),
    severity: Severity = Severity.urgent,
) -> raising.Raised:
    async with sessionmaker.begin() as session:
        client = await session.get(Client, world.client_id)
        assert client is not None
        return await raising.raise_alert(
            session,
            client=client,
            type=AlertType.crisis,
            severity=severity,
            evidence=EVIDENCE,
            now=NOW + at,
        )


async def rows(sessionmaker: SessionMaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def actions(sessionmaker: SessionMaker, alert_id: int) -> list[AlertAction]:
    async with sessionmaker() as session:
        return [e.action for e in await alerts.events(session, alert_id=alert_id)]


async def deliver_all(
    sessionmaker: SessionMaker, outcome: Delivery | None = None, at: timedelta = timedelta(0)
) -> None:
    async def deliver(row: OutboxMessage) -> Delivery:
        return outcome or Delivery(Outcome.sent, message_id=900 + row.id)

    while await drain.drain_once(sessionmaker, deliver, worker="w", now=lambda: NOW + at, limit=50):
        if outcome is not None and outcome.outcome is not Outcome.sent:
            break


async def test_a_new_alert_and_its_announcement_commit_together(
    sessionmaker: SessionMaker, world: World
) -> None:
    raised = await crisis(sessionmaker, world)
    assert raised.created and raised.staff_will_be_told
    [row] = await rows(sessionmaker)
    assert (row.purpose, row.chat_id, row.alert_id) == (
        Purpose.alert_announce,
        -1001,
        raised.alert_id,
    )
    assert "Sam" not in row.text and "end it all" not in row.text  # a pseudonym, never the words
    assert row.keyboard() == raising.alert_buttons(raised.alert_id)
    await deliver_all(sessionmaker)
    async with sessionmaker() as session:
        alert = await session.get(Alert, raised.alert_id)
    assert alert is not None and alert.staff_message_id == 900 + row.id
    assert await actions(sessionmaker, raised.alert_id) == [
        AlertAction.created,
        AlertAction.notified,
    ]


async def test_the_clients_words_reach_staff_only_when_the_clinic_shares_them(
    sessionmaker: SessionMaker, world: World
) -> None:
    async with sessionmaker.begin() as session:
        message_id = await make_crisis_message(
            session, client_id=world.client_id, text="i want to end it all tonight", now=NOW
        )
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.share_client_words = True
        client = await session.get(Client, world.client_id)
        assert client is not None
        await raising.raise_alert(
            session,
            client=client,
            type=AlertType.crisis,
            severity=Severity.urgent,
            evidence=EVIDENCE,
            now=NOW,
            message_id=message_id,
        )
    [row] = await rows(sessionmaker)
    assert "i want to end it all tonight" in row.text


async def test_a_repeat_edits_and_a_rise_or_an_acknowledged_alert_announces_again(
    sessionmaker: SessionMaker, world: World
) -> None:
    first = await crisis(sessionmaker, world, severity=Severity.elevated)
    await deliver_all(sessionmaker)
    await crisis(sessionmaker, world, at=timedelta(minutes=5), severity=Severity.elevated)
    await crisis(sessionmaker, world, at=timedelta(minutes=6))  # severity rises
    async with sessionmaker.begin() as session:
        await alert_actions.take(session, alert_id=first.alert_id, actor=CLI, now=NOW)
    await crisis(sessionmaker, world, at=timedelta(minutes=7))  # someone took it: tell them again
    purposes = [r.purpose for r in await rows(sessionmaker)]
    assert purposes == [
        Purpose.alert_announce,
        Purpose.alert_update,
        Purpose.alert_announce,
        Purpose.alert_update,  # taken: the group's message shows who has it
        Purpose.alert_announce,
    ]
    async with sessionmaker() as session:
        count = len(list(await session.scalars(select(Alert))))
    assert count == 1


async def test_without_a_group_the_alert_stays_open_and_the_gap_is_on_the_trail(
    sessionmaker: SessionMaker, world: World
) -> None:
    async with sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.staff_chat_id = None
    raised = await crisis(sessionmaker, world)
    assert not raised.staff_will_be_told and await rows(sessionmaker) == []
    assert AlertAction.notify_failed in await actions(sessionmaker, raised.alert_id)
    async with sessionmaker() as session:
        alert = await session.get(Alert, raised.alert_id)
    assert alert is not None and alert.status is AlertStatus.open


async def test_a_refused_announcement_is_audited_and_the_alert_stays(
    sessionmaker: SessionMaker, world: World
) -> None:
    raised = await crisis(sessionmaker, world)
    refused = Delivery(Outcome.blocked, error="Forbidden: bot was kicked from the group")
    await deliver_all(sessionmaker, refused)
    assert AlertAction.notify_failed in await actions(sessionmaker, raised.alert_id)


def clock_only(sessionmaker: SessionMaker) -> Services:
    """What the alert job needs of the running product: the database and the time."""
    return Services(
        settings=None,  # type: ignore[arg-type]
        engine=None,  # type: ignore[arg-type]
        sessionmaker=sessionmaker,
        understander=None,  # type: ignore[arg-type]
    )


async def test_overdue_alerts_are_reminded_then_escalated_once_across_a_restart(
    sessionmaker: SessionMaker, world: World
) -> None:
    raised = await crisis(sessionmaker, world)
    await deliver_all(sessionmaker)
    services = clock_only(sessionmaker)
    services.now = lambda: NOW + timedelta(minutes=10)
    assert await jobs.remind_overdue_alerts(services) == 0
    services.now = lambda: NOW + timedelta(minutes=16)
    assert await jobs.remind_overdue_alerts(services) == 1
    services.now = lambda: NOW + timedelta(minutes=20)
    assert await jobs.remind_overdue_alerts(services) == 0  # reminded 4 min ago
    services.now = lambda: NOW + timedelta(minutes=32)
    assert await jobs.remind_overdue_alerts(services) == 1  # again, but no second escalation
    purposes = [r.purpose for r in await rows(sessionmaker)]
    assert purposes.count(Purpose.alert_remind) == 2
    # One private message to the linked admin, one line in the group: once.
    assert purposes.count(Purpose.alert_escalate) == 2
    await deliver_all(sessionmaker, at=timedelta(hours=1))
    trail = await actions(sessionmaker, raised.alert_id)
    assert trail.count(AlertAction.reminded) == 2 and trail.count(AlertAction.escalated) == 2


async def test_escalation_with_no_admin_on_telegram_is_a_recorded_outcome(
    sessionmaker: SessionMaker, world: World
) -> None:
    from bot.staff.models import Staff

    async with sessionmaker.begin() as session:
        admin = await session.get(Staff, world.admin_id)
        assert admin is not None
        admin.telegram_user_id = None
    raised = await crisis(sessionmaker, world)
    services = clock_only(sessionmaker)
    services.now = lambda: NOW + timedelta(minutes=16)
    assert await jobs.remind_overdue_alerts(services) == 1
    escalations = [r for r in await rows(sessionmaker) if r.purpose is Purpose.alert_escalate]
    assert [r.chat_id for r in escalations] == [-1001]
    assert "no clinic admin" in escalations[0].text
    assert AlertAction.escalated in await actions(sessionmaker, raised.alert_id)
