"""Alert flows: commit then notify, merged repeats edit the message, failures never propagate,
and overdue reminders and escalation keep their state in columns across a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.alert import flows
from bot.alert import service as alerts
from bot.alert.flows import ActResult
from bot.alert.models import AlertAction, AlertStatus, AlertType, Severity
from bot.clinic.models import Clinic
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from tests.alert.conftest import NOW, RecordingNotifier, World, build_world
from tests.factories import make_crisis_message

CRISIS_WORDS = "i want to end it all tonight"


async def _crisis(
    sessionmaker: SessionMaker,
    notifier: RecordingNotifier,
    world: World,
    *,
    at: timedelta = timedelta(0),
    severity: Severity = Severity.urgent,
    message_id: int | None = None,
) -> int:
    return await flows.raise_and_notify(
        sessionmaker,
        notifier,
        client_id=world.client_id,
        type=AlertType.crisis,
        severity=severity,
        evidence="message 1: intent crisis; safety net: end it all",
        now=NOW + at,
        message_id=message_id,
    )


async def _actions(sessionmaker: SessionMaker, alert_id: int) -> list[AlertAction]:
    async with sessionmaker() as session:
        return [e.action for e in await alerts.events(session, alert_id=alert_id)]


async def _words_message(sessionmaker: SessionMaker, world: World) -> int:
    async with sessionmaker.begin() as session:
        return await make_crisis_message(
            session, client_id=world.client_id, text=CRISIS_WORDS, now=NOW
        )


async def test_a_new_alert_is_committed_then_announced_with_the_minimum(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    message_id = await _words_message(sessionmaker, world)
    alert_id = await _crisis(sessionmaker, notifier, world, message_id=message_id)
    [view] = notifier.announced
    assert view.alert_id == alert_id and view.staff_chat_id == -1001
    assert view.client_pseudonym.startswith("C-")
    assert view.client_words is None  # the clinic has not chosen to share words
    assert "Sam" not in repr(view)
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.staff_message_id == 501 and alert.last_notified_at == NOW
    assert await _actions(sessionmaker, alert_id) == [AlertAction.created, AlertAction.notified]


async def test_client_words_reach_the_view_only_when_the_clinic_shares_them(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    async with sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.share_client_words = True
    message_id = await _words_message(sessionmaker, world)
    await _crisis(sessionmaker, notifier, world, message_id=message_id)
    assert notifier.announced[0].client_words == CRISIS_WORDS


async def test_a_repeat_edits_the_message_and_a_rise_in_severity_announces_again(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    first = await _crisis(sessionmaker, notifier, world, severity=Severity.elevated)
    again = await _crisis(
        sessionmaker, notifier, world, at=timedelta(minutes=2), severity=Severity.elevated
    )
    assert again == first and len(notifier.announced) == 1
    assert notifier.updated[-1].count == 2 and notifier.updated[-1].staff_message_id == 501
    await _crisis(sessionmaker, notifier, world, at=timedelta(minutes=3))
    assert len(notifier.announced) == 2 and notifier.announced[1].severity is Severity.urgent
    async with sessionmaker() as session:
        assert (await alerts.get(session, alert_id=first)).staff_message_id == 502


async def test_without_a_linked_group_the_alert_stays_open_and_the_gap_is_audited(
    sessionmaker: SessionMaker, notifier: RecordingNotifier
) -> None:
    world = await build_world(sessionmaker, group=None)
    alert_id = await _crisis(sessionmaker, notifier, world)
    assert notifier.announced == []
    async with sessionmaker() as session:
        [listed] = await alerts.get_all(session, open_only=True)
        assert listed.id == alert_id and listed.status is AlertStatus.open
        trail = await alerts.events(session, alert_id=alert_id)
    assert trail[-1].action is AlertAction.notify_failed
    assert trail[-1].detail == "no staff group linked"


async def test_a_failing_notifier_never_breaks_the_caller(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    notifier.failing = {"announce", "update"}
    alert_id = await _crisis(sessionmaker, notifier, world)
    again = await _crisis(sessionmaker, notifier, world, at=timedelta(minutes=1))
    assert again == alert_id
    async with sessionmaker() as session:
        trail = await alerts.events(session, alert_id=alert_id)
        assert (await alerts.get(session, alert_id=alert_id)).status is AlertStatus.open
    failures = [e for e in trail if e.action is AlertAction.notify_failed]
    assert len(failures) == 2 and "announce refused" in (failures[0].detail or "")


async def test_overdue_alerts_are_reminded_and_escalated_once_across_a_restart(
    database_url: str, engine: AsyncEngine, notifier: RecordingNotifier
) -> None:
    sessionmaker = make_sessionmaker(engine)
    world = await build_world(sessionmaker)
    alert_id = await _crisis(sessionmaker, notifier, world)
    assert await flows.remind_overdue(sessionmaker, notifier, now=NOW + timedelta(minutes=10)) == 0
    assert await flows.remind_overdue(sessionmaker, notifier, now=NOW + timedelta(minutes=16)) == 1
    [(reminded, overdue_by)] = notifier.reminded
    assert reminded.alert_id == alert_id and overdue_by == timedelta(minutes=1)
    [(escalated, admins)] = notifier.escalated
    assert escalated.alert_id == alert_id
    assert [(a.name, a.telegram_user_id) for a in admins] == [("Jo Admin", 7002)]

    # A new process: nothing in memory, only the database.
    restarted_engine = make_engine(database_url)
    try:
        restarted = make_sessionmaker(restarted_engine)
        fresh = RecordingNotifier()
        assert await flows.remind_overdue(restarted, fresh, now=NOW + timedelta(minutes=20)) == 0
        assert await flows.remind_overdue(restarted, fresh, now=NOW + timedelta(minutes=31)) == 1
        assert len(fresh.reminded) == 1 and fresh.escalated == []
        async with restarted() as session:
            alert = await alerts.get(session, alert_id=alert_id)
            assert alert.reminders_sent == 2
            assert alert.escalated_at == NOW + timedelta(minutes=16)
        actions = await _actions(restarted, alert_id)
    finally:
        await restarted_engine.dispose()
    assert actions.count(AlertAction.reminded) == 2 and actions.count(AlertAction.escalated) == 1


async def test_a_failed_reminder_is_audited_and_tried_again_later(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    alert_id = await _crisis(sessionmaker, notifier, world)
    notifier.failing = {"remind", "escalate"}
    await flows.remind_overdue(sessionmaker, notifier, now=NOW + timedelta(minutes=16))
    notifier.failing = set()
    await flows.remind_overdue(sessionmaker, notifier, now=NOW + timedelta(minutes=31))
    assert len(notifier.reminded) == 1
    actions = await _actions(sessionmaker, alert_id)
    assert actions.count(AlertAction.notify_failed) == 2
    assert actions[-1] is AlertAction.reminded


async def test_button_presses_check_who_pressed_and_record_it(
    sessionmaker: SessionMaker, notifier: RecordingNotifier, world: World
) -> None:
    alert_id = await _crisis(sessionmaker, notifier, world)

    async def press(user: int, action: str, note: str | None = None) -> ActResult:
        return await flows.act(
            sessionmaker,
            notifier,
            alert_id=alert_id,
            telegram_user_id=user,
            action=action,  # type: ignore[arg-type]
            note=note,
            now=NOW + timedelta(minutes=3),
        )

    assert await press(9999, "ack") is ActResult.not_staff
    assert notifier.updated == []
    assert await press(7001, "ack") is ActResult.done
    assert notifier.updated[-1].acknowledged_by == "Dr Ana Rivera (telegram)"
    assert await press(7002, "ack") is ActResult.already_acknowledged
    assert await press(7002, "resolve") is ActResult.note_needed
    assert await press(7002, "resolve", "called, safe") is ActResult.done
    assert notifier.updated[-1].status is AlertStatus.resolved
    assert await press(7001, "resolve", "again") is ActResult.already_resolved
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.resolved_by == "Jo Admin (telegram)" and alert.resolved_by_id == world.admin_id
    assert await _actions(sessionmaker, alert_id) == [
        AlertAction.created,
        AlertAction.notified,
        AlertAction.acknowledged,
        AlertAction.resolved,
    ]
