"""The safety path through the real application: every message meets the safety net, and a failed
send never loses the message, the alert or the resources.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.alert.models import Alert, AlertAction, AlertEvent, AlertType, Severity
from bot.checkin.models import Checkin, CheckinKind
from bot.client.models import ClientStatus
from bot.config import Settings
from bot.conversation.flow import Inbound, receive, receive_in, understand
from bot.conversation.models import ClientMessage
from bot.outbox import service as outbox
from bot.runtime import Runtime
from bot.services import Services
from tests.support.claims import claimed_ago
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness, button_with

CHAT = 15001
GROUP = -100_915
CRISIS = "i want to end it all tonight"
RESOURCES = "Your safety comes first"


async def alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def stored_texts(harness: Harness) -> list[str | None]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(ClientMessage.text).order_by(ClientMessage.id)))


async def crisis_handled(harness: Harness, before: int, *, within: float = 15) -> None:
    """Resources reached the client first after `before`, the alert reached the staff group."""
    [*_, resources] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains=RESOURCES, timeout=within
    )
    accepted = [c for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok]
    assert RESOURCES in accepted[0].params["text"], "resources were not the first reply"
    await harness.fake.wait_for_call("sendMessage", GROUP, timeout=within)
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert CRISIS in [t for t in await stored_texts(harness)]

    async def resources_recorded() -> bool:
        async with harness.services.sessionmaker() as session:
            actions = await session.scalars(
                select(AlertEvent.action).where(AlertEvent.alert_id == alert.id)
            )
            return AlertAction.resources_sent in list(actions)

    await harness.eventually(resources_recorded, "the resources to be on the alert's trail")
    assert resources.params["text"].count("116 123") == 1


@pytest.mark.parametrize("status", [502, 429])
@pytest.mark.parametrize("which", [0, 1, 2])
async def test_a_failed_send_anywhere_in_the_crisis_path_loses_nothing(
    harness: Harness, status: int, which: int
) -> None:
    """A 5xx or a 429 on the 1st, 2nd or 3rd send: stored, alerted, resources first after retry."""
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    before = harness.sent_count(CHAT)
    # The n-th send to the client after the crisis message fails once.
    harness.fake.fail_next(
        "sendMessage", status=status, count=1, retry_after=1, chat_id=CHAT, skip=which
    )
    harness.fake.push_text(CHAT, CRISIS)
    await crisis_handled(harness, before)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")


async def test_a_timeout_on_the_resources_send_is_retried(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    before = harness.sent_count(CHAT)
    harness.fake.set_delay("sendMessage", 2.5)  # past the bot's 1 s timeout
    harness.fake.push_text(CHAT, CRISIS)

    async def first_attempt_timed_out() -> bool:
        async with harness.services.sessionmaker() as session:
            from bot.outbox.models import OutboxMessage

            errors = await session.scalars(select(OutboxMessage.error))
            return any(e and "Timed out" in e for e in errors)

    await harness.eventually(first_attempt_timed_out, "the first send to time out", within=10)
    harness.fake.set_delay("sendMessage", 0)
    await crisis_handled(harness, before)


async def test_a_crisis_in_an_edit_a_caption_or_a_note_gets_the_crisis_path(
    harness: Harness,
) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    before = harness.sent_count(CHAT)
    harness.fake.push_edited_text(CHAT, 3, CRISIS)
    await crisis_handled(harness, before)
    harness.fake.push_photo(CHAT, caption="i took all my pills an hour ago")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=RESOURCES, count=2)
    [alert] = await alerts(harness)
    assert alert.count == 2  # merged into the open crisis alert


async def test_a_crisis_written_as_a_checkin_note_is_not_reflected_as_fine(
    harness: Harness,
) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    await harness.send_now(client.id)
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
    signs = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, signs.result["message_id"], button_with(signs, "None"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words")
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, CRISIS)
    await crisis_handled(harness, before)
    assert not any(
        "good" in t.lower() and "note" in t.lower() for t in harness.texts(CHAT)[before:]
    )
    async with harness.services.sessionmaker() as session:
        [manual] = list(
            await session.scalars(select(Checkin).where(Checkin.kind == CheckinKind.manual))
        )
    assert manual.note == CRISIS


async def test_a_lapse_written_as_a_note_is_met_as_a_lapse(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    await harness.send_now(client.id)
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
    signs = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, signs.result["message_id"], button_with(signs, "None"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words")
    harness.fake.push_text(CHAT, "i had a drink last night after 4 months sober")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="slip is not a relapse")
    assert [a.type for a in await alerts(harness)] == [AlertType.lapse]


@pytest.mark.parametrize("status", [ClientStatus.stopped, ClientStatus.completed])
async def test_a_stopped_or_graduated_clients_crisis_reaches_the_clinic(
    harness: Harness, status: ClientStatus
) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    async with harness.services.sessionmaker.begin() as session:
        from bot.client.models import Client

        await session.execute(update(Client).where(Client.id == client.id).values(status=status))
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, CRISIS)
    await crisis_handled(harness, before)
    # The walk-through's buttons work after the end too.
    step = await harness.last_with_buttons(CHAT, after=before)
    harness.fake.push_callback(CHAT, step.result["message_id"], button_with(step, "Next"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="People you said")


async def test_an_unknown_chat_in_crisis_gets_default_resources_and_nothing_is_kept(
    harness: Harness,
) -> None:
    harness.fake.push_text(CHAT, CRISIS)
    [reply] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=RESOURCES)
    assert "nobody has been alerted" in reply.params["text"]
    assert harness.services.settings.default_emergency_number in reply.params["text"]
    assert await stored_texts(harness) == [] and await alerts(harness) == []


async def test_without_a_staff_group_the_client_is_not_told_staff_were_told(
    harness: Harness,
) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, CRISIS)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="couldn't alert")
    assert not any(
        t.startswith(("I've asked the team", "I've alerted the team")) for t in harness.texts(CHAT)
    )
    [alert] = await alerts(harness)
    assert alert.type is AlertType.crisis  # raised and on the record for the console


async def test_a_crash_between_commit_and_send_is_sent_after_restart(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> None:
    """kill -9 after the transaction committed: the reply waits in the outbox for the restart."""
    live = settings.model_copy(update={"telegram_api_url": fake_bot_api.base_url})
    services.settings = live
    first = Runtime(live, services)
    await first.start()
    harness = Harness(fake_bot_api, services, first)
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    await first.stop()  # the bot is down: what the flow writes now cannot be sent yet
    await receive(services, Inbound(CHAT, CRISIS))
    async with services.sessionmaker.begin() as session:
        # A process that died mid-send left the first row claimed, its heartbeat long stopped.
        await outbox.claim(session, now=services.now(), worker="dead", limit=1)
    await claimed_ago(services.sessionmaker, worker="dead", seconds=120)
    restarted = Runtime(live, services)
    before = harness.sent_count(CHAT)
    await restarted.start()
    try:
        await crisis_handled(harness, before, within=5)
    finally:
        await restarted.stop()


async def test_a_row_left_by_a_process_on_another_host_is_taken_back_while_running(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> None:
    """Its worker stopped beating: the running sender takes the row back, no restart needed."""
    live = settings.model_copy(
        update={"telegram_api_url": fake_bot_api.base_url, "sending_timeout_seconds": 2}
    )
    services.settings = live
    runtime = Runtime(live, services)
    await runtime.start()
    harness = Harness(fake_bot_api, services, runtime)
    try:
        await harness.join(CHAT)
        await harness.link_staff_group(GROUP)
        before = harness.sent_count(CHAT)
        async with services.sessionmaker.begin() as session:
            # Written and claimed by a process elsewhere, which then vanished mid-send.
            await receive_in(
                session, services, Inbound(CHAT, CRISIS), await understand(services, CRISIS)
            )
            claimed = await outbox.claim(
                session, now=services.now(), worker="elsewhere:1:gone", limit=10
            )
        assert len(claimed) == 2, "the vanished process held the resources and the alert"
        await crisis_handled(harness, before, within=8)
    finally:
        await runtime.stop()
