"""Writing to the client from the alert page: through the outbox to their Telegram chat, signed,
on the alert's trail; their answer comes back to the same alert, after the policy has read it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertAction, AlertEvent, AlertType
from bot.client import actions as client_actions
from bot.staff.models import Staff
from bot.web.app import create_app
from bot.web.settings import WebSettings
from tests.telegram.harness import Harness
from tests.web.conftest import ORIGIN, Browsers
from tests.web.test_journeys import CHAT, _clinic_staff, _urgent_alert

pytestmark = pytest.mark.timeout(120)


async def _trail(harness: Harness, alert_id: int) -> list[AlertEvent]:
    async with harness.services.sessionmaker() as session:
        return list(
            await session.scalars(
                select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
            )
        )


async def test_a_message_from_the_alert_page_reaches_the_client_and_their_reply_comes_back(
    harness: Harness,
) -> None:
    alert_id = await _urgent_alert(harness)
    await _clinic_staff(harness)
    web = WebSettings(_env_file=None, web_public_url=ORIGIN)  # type: ignore[call-arg]
    browsers = Browsers(create_app(harness.services, web), harness.services, web)
    try:
        async with harness.services.sessionmaker() as session:
            dee = await session.scalar(select(Staff).where(Staff.name == "Dee Duty"))
            assert dee is not None
        duty = await browsers.signed_in(dee.id)
        page = (await duty.get(f"/alerts/{alert_id}")).text
        assert "signed “— Dee, " in page
        empty = await duty.post(f"/alerts/{alert_id}/message", {"body": "  "})
        assert empty.status_code == 400
        sent = await duty.post(
            f"/alerts/{alert_id}/message", {"body": "Hi Sam, it's Dee. Can I call you now?"}
        )
        assert sent.status_code == 303
        [delivered] = await harness.fake.wait_for_call(
            "sendMessage", CHAT, text_contains="Can I call you now?"
        )
        assert "— Dee, " in delivered.params["text"]
        assert "Written by a person at your clinic" in delivered.params["text"]

        harness.fake.push_text(CHAT, "yes please, after 6")

        async def replied() -> bool:
            actions = [e.action for e in await _trail(harness, alert_id)]
            return AlertAction.client_replied in actions

        await harness.eventually(replied, "the reply on the alert's trail", within=10)
        trail = await _trail(harness, alert_id)
        [message] = [e for e in trail if e.action is AlertAction.message_sent]
        assert message.actor_staff_id == dee.id and "Can I call you now?" in (message.detail or "")
        page = (await duty.get(f"/alerts/{alert_id}")).text
        assert "The client replied" in page and "yes please, after 6" in page
        assert "Message to the client" in page

        # A crisis in the reply is still a crisis: read by the policy, and on the same trail.
        harness.fake.push_text(CHAT, "actually i want to end it all")
        await harness.eventually(
            lambda: _count_replies(harness, alert_id, 2), "the second reply", within=10
        )
        async with harness.services.sessionmaker() as session:
            crisis = await session.scalar(select(Alert).where(Alert.type == AlertType.crisis))
        assert crisis is not None and crisis.count == 2

        # Erasing the client erases what the clinic wrote them from the trail too.
        async with harness.services.sessionmaker.begin() as session:
            await client_actions.erase(
                session, client_id=crisis.client_id, now=harness.services.now()
            )
        [erased] = [
            e for e in await _trail(harness, alert_id) if e.action is AlertAction.message_sent
        ]
        assert "Can I call you now?" not in (erased.detail or "")
    finally:
        await browsers.aclose()


async def _count_replies(harness: Harness, alert_id: int, count: int) -> bool:
    trail = await _trail(harness, alert_id)
    return sum(e.action is AlertAction.client_replied for e in trail) >= count
