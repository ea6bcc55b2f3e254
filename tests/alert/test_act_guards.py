"""`flows.act` acts only for an active staff member of the alert's clinic, in its staff group."""

from __future__ import annotations

from datetime import timedelta

from bot.alert import flows
from bot.alert import service as alerts
from bot.alert.flows import ActResult
from bot.alert.models import AlertAction, AlertStatus
from bot.database.core import SessionMaker
from bot.outbox.models import Purpose
from bot.staff import service as staff_service
from tests.alert.conftest import NOW, World, raise_crisis, staff_rows

GROUP = -1001  # build_world's staff group


async def _alert(sessionmaker: SessionMaker, world: World) -> int:
    return await raise_crisis(sessionmaker, world)


async def _press(
    sessionmaker: SessionMaker,
    alert_id: int,
    *,
    user: int = 7003,
    chat: int | None = GROUP,
) -> ActResult:
    return await flows.act(
        sessionmaker,
        alert_id=alert_id,
        telegram_user_id=user,
        chat_id=chat,
        action="ack",
        now=NOW + timedelta(minutes=2),
    )


async def _status(sessionmaker: SessionMaker, alert_id: int) -> AlertStatus:
    async with sessionmaker() as session:
        return (await alerts.get(session, alert_id=alert_id)).status


async def test_a_press_outside_the_staff_group_is_the_same_as_an_unknown_alert(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id = await _alert(sessionmaker, world)
    for chat in (-100_777, 7001, None):
        assert await _press(sessionmaker, alert_id, chat=chat) is ActResult.not_found
    # A stranger anywhere but the group learns nothing more than "not found" either.
    assert await _press(sessionmaker, alert_id, user=9999, chat=5) is ActResult.not_found
    assert await _press(sessionmaker, alert_id + 1) is ActResult.not_found
    assert await staff_rows(sessionmaker, Purpose.alert_update) == []
    assert await _status(sessionmaker, alert_id) is AlertStatus.open
    assert await _press(sessionmaker, alert_id) is ActResult.done


async def test_a_clinic_without_a_group_takes_no_presses(
    sessionmaker: SessionMaker, world: World
) -> None:
    from bot.clinic.models import Clinic

    alert_id = await _alert(sessionmaker, world)
    async with sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.staff_chat_id = None
    assert await _press(sessionmaker, alert_id, chat=None) is ActResult.not_found
    assert await _press(sessionmaker, alert_id, chat=GROUP) is ActResult.not_found


async def test_a_deactivated_staff_member_is_refused_at_once(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id = await _alert(sessionmaker, world)
    async with sessionmaker.begin() as session:
        await staff_service.deactivate(session, staff_id=world.duty_id, now=NOW)
    assert await _press(sessionmaker, alert_id) is ActResult.not_staff
    assert await staff_rows(sessionmaker, Purpose.alert_update) == []
    async with sessionmaker() as session:
        trail = [e.action for e in await alerts.events(session, alert_id=alert_id)]
    assert AlertAction.acknowledged not in trail
    # A colleague who is still active can.
    assert await _press(sessionmaker, alert_id, user=7002) is ActResult.done


async def test_a_therapist_who_does_not_work_the_queue_is_refused(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id = await _alert(sessionmaker, world)
    assert await _press(sessionmaker, alert_id, user=7001) is ActResult.not_staff
    assert await _status(sessionmaker, alert_id) is AlertStatus.open
    assert await staff_rows(sessionmaker, Purpose.alert_update) == []
