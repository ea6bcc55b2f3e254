"""Staff pressing Acknowledge and Resolve in the group: who may, what is recorded, and the group
message's new state queued in the same transaction."""

from __future__ import annotations

from datetime import timedelta

from bot.alert import flows
from bot.alert import service as alerts
from bot.alert.flows import ActResult
from bot.alert.models import AlertAction
from bot.database.core import SessionMaker
from bot.outbox.models import Purpose
from tests.alert.conftest import NOW, World, raise_crisis, staff_rows


async def test_button_presses_check_who_pressed_and_record_it(
    sessionmaker: SessionMaker, world: World
) -> None:
    alert_id = await raise_crisis(sessionmaker, world)
    async with sessionmaker.begin() as session:
        # The announcement went out as group message 501.
        (await alerts.get(session, alert_id=alert_id)).staff_message_id = 501

    async def press(user: int, action: str, note: str | None = None) -> ActResult:
        return await flows.act(
            sessionmaker,
            alert_id=alert_id,
            telegram_user_id=user,
            chat_id=-1001,
            action=action,  # type: ignore[arg-type]
            note=note,
            now=NOW + timedelta(minutes=3),
        )

    assert await press(9999, "ack") is ActResult.not_staff
    assert await staff_rows(sessionmaker, Purpose.alert_update) == []
    assert await press(7001, "ack") is ActResult.not_staff  # a therapist: not the queue's
    assert await press(7003, "ack") is ActResult.done
    [acknowledged] = await staff_rows(sessionmaker, Purpose.alert_update)
    assert acknowledged.edit_message_id == 501 and "Dee Duty (telegram)" in acknowledged.text
    # Taken: Acknowledge no longer applies, Resolve stays.
    assert [label for row in acknowledged.keyboard() or [] for label, _ in row] == ["Resolve"]
    assert await press(7002, "ack") is ActResult.already_acknowledged
    assert await press(7002, "resolve") is ActResult.note_needed
    assert await press(7002, "resolve", "called, safe") is ActResult.done
    resolved = (await staff_rows(sessionmaker, Purpose.alert_update))[-1]
    assert "Jo Admin (telegram)" in resolved.text and resolved.keyboard() is None
    assert await press(7003, "resolve", "again") is ActResult.already_resolved
    async with sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.resolved_by == "Jo Admin (telegram)" and alert.resolved_by_id == world.admin_id
    async with sessionmaker() as session:
        trail = [e.action for e in await alerts.events(session, alert_id=alert_id)]
    assert trail == [AlertAction.created, AlertAction.acknowledged, AlertAction.resolved]
