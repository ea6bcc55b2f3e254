"""The staff group never fails silently: a group that became a supergroup keeps receiving under its
new id, and a group Telegram refuses for good makes the clinic's admins hear it privately."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.alert.models import Alert, AlertType
from bot.clinic.models import Clinic
from bot.staff import service as staff_service
from tests.telegram.harness import Harness

CHAT = 47001
GROUP = -100_4701
SUPERGROUP = -100_470_100_0001
ADMIN_USER = 4_700_555
CRISIS = "i want to end it all tonight"


async def clinic(harness: Harness) -> Clinic:
    async with harness.services.sessionmaker() as session:
        found = await session.scalar(select(Clinic).limit(1))
        assert found is not None
        return found


async def test_a_migrated_staff_group_gets_the_alert_at_its_new_id(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.fail_next(
        "sendMessage",
        status=400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=GROUP,
        migrate_to_chat_id=SUPERGROUP,
    )
    harness.fake.push_text(CHAT, CRISIS)
    [announce] = await harness.fake.wait_for_call(
        "sendMessage", SUPERGROUP, text_contains="URGENT", timeout=5
    )
    assert announce.ok
    assert (await clinic(harness)).staff_chat_id == SUPERGROUP
    # Later alerts go straight to the new id.
    harness.fake.push_text(CHAT, "/return")
    await harness.fake.wait_for_call("sendMessage", SUPERGROUP, text_contains="ROUTINE", timeout=5)


async def test_the_migration_service_message_repoints_the_staff_group(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    message = harness.fake.push_group_text(GROUP, ADMIN_USER, "hello team")["message"]
    service = {k: v for k, v in message.items() if k not in ("text", "entities")}
    service.update(message_id=message["message_id"] + 1, migrate_to_chat_id=SUPERGROUP)
    harness.fake.push_update(message=service)

    async def moved() -> bool:
        return (await clinic(harness)).staff_chat_id == SUPERGROUP

    await harness.eventually(moved, what="the staff group re-pointed")


async def test_a_staff_group_that_refuses_for_good_is_told_to_the_admins(
    harness: Harness,
) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    async with harness.services.sessionmaker.begin() as session:
        found = await session.scalar(select(Clinic).limit(1))
        assert found is not None
        admin = await staff_service.create(
            session, clinic=found, name="Ada Admin", role="clinic_admin"
        )
        admin.telegram_user_id = ADMIN_USER
    harness.fake.fail_next(
        "sendMessage",
        status=400,
        count=10,
        description="Bad Request: not enough rights to send text messages to the chat",
        chat_id=GROUP,
    )
    harness.fake.push_text(CHAT, CRISIS)
    [notice] = await harness.fake.wait_for_call(
        "sendMessage", ADMIN_USER, text_contains="not receiving alerts", timeout=15
    )
    assert "Riverside Clinic" in notice.params["text"]
    failing = await clinic(harness)
    assert failing.staff_group_failing_since is not None
    assert "not enough rights" in (failing.staff_group_error or "").lower()
    # Told once the row was given up after its three refusals, not retried for ever.
    assert sum(not c.ok for c in harness.fake.calls_to("sendMessage", GROUP)) == 3


async def test_an_unknown_4xx_is_refused_for_good_not_retried_for_ever(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.fail_next("sendMessage", status=413, count=50, chat_id=CHAT)
    harness.fake.push_text(CHAT, "/plan")

    def refused() -> int:
        return sum(not c.ok for c in harness.fake.calls_to("sendMessage", CHAT))

    await harness.fake.wait_for(lambda: refused() >= 3, what="three refusals", timeout=15)
    # Refused like a 400: given up after three tries (a 5xx would be retried for ever).
    await asyncio.sleep(4)
    assert refused() == 3

    async def needs_review() -> bool:
        async with harness.services.sessionmaker() as session:
            alert = await session.scalar(select(Alert).where(Alert.type == AlertType.needs_review))
            return alert is not None and "refusing" in alert.evidence

    await harness.eventually(needs_review, what="a needs-review alert")
