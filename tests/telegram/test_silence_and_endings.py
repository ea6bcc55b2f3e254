"""Silence, blocking and endings: gentle nudges, alerts told apart, graduation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.alert.models import Alert, AlertType
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import ClientStatus
from scheduler import jobs
from tests.telegram.harness import Harness

CHAT = 21001
GROUP = -100_888


async def alert_types(harness: Harness) -> list[AlertType]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert.type).order_by(Alert.id)))


async def sent_checkins(harness: Harness, client_id: int, count: int) -> list[int]:
    """`count` check-ins delivered and left unanswered, oldest first."""
    ids = []
    for _ in range(count):
        checkin = await harness.send_now(client_id)
        await harness.fake.wait_for_call(
            "sendMessage", CHAT, text_contains="extra check-in", count=len(ids) + 1
        )

        async def delivered(checkin_id: int = checkin.id) -> bool:
            return any(
                c.id == checkin_id and c.status == CheckinStatus.sent
                for c in await harness.checkins(client_id)
            )

        await harness.eventually(delivered, "the check-in to be recorded as sent")
        ids.append(checkin.id)
    return ids


async def age(harness: Harness, checkin_ids: list[int], hours: int) -> None:
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(
            update(Checkin)
            .where(Checkin.id.in_(checkin_ids))
            .values(sent_at=harness.services.now() - timedelta(hours=hours))
        )


async def test_missed_ladder_asks_for_nothing_and_alerts_after_three(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    for round_ in range(1, 4):
        [checkin_id] = await sent_checkins(harness, client.id, 1)
        await age(harness, [checkin_id], hours=80)
        missed = await jobs.expire_unanswered(harness.services)
        assert missed == 1

        def nudges() -> list[str]:
            return [
                t
                for t in harness.texts(CHAT)
                if "no reply" in t.lower()
                or "no need to reply" in t.lower()
                or "nothing to answer" in t.lower()
            ]

        await harness.fake.wait_for(lambda r=round_: len(nudges()) == r, what=f"nudge {round_}")
        assert len(nudges()) == round_
        assert all("?" not in n.split(".")[0] for n in nudges())  # a statement, not a question
    assert await alert_types(harness) == [AlertType.missed_checkins]
    [announced] = await harness.fake.wait_for_call("sendMessage", GROUP)
    assert "missed" in announced.params["text"].lower()


async def test_blocked_is_told_apart_from_silence(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.push_my_chat_member(CHAT, "kicked")
    await harness.status_is(client.id, ClientStatus.blocked)
    await harness.fake.wait_for_call("sendMessage", GROUP)
    assert await alert_types(harness) == [AlertType.blocked]


async def test_blocked_on_send_raises_a_blocked_alert(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.block_chat(CHAT)
    await harness.send_now(client.id)
    await harness.fake.wait_for_call("sendMessage", GROUP)
    assert await alert_types(harness) == [AlertType.blocked]


async def test_graduation_at_the_end_of_the_taper(harness: Harness) -> None:
    client = await harness.join(CHAT)
    last_step = len(client.taper_offsets) - 1
    async with harness.services.sessionmaker.begin() as session:
        # Every planned check-in is behind them; the last one was answered.
        await session.execute(
            update(Checkin)
            .where(Checkin.client_id == client.id)
            .values(status=CheckinStatus.answered)
        )
        await session.execute(
            update(Checkin)
            .where(Checkin.client_id == client.id, Checkin.step == last_step)
            .values(sent_at=harness.services.now() - timedelta(hours=2), mood=4)
        )
    graduated = await jobs.graduate(harness.services)
    assert graduated == 1
    [sent] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="last planned")
    goodbye = sent.params["text"]
    assert "Sleeping badly for several nights" in goodbye and "/return" in goodbye
    assert (await harness.client(client.id)).status == ClientStatus.completed
    assert await jobs.graduate(harness.services) == 0
    # /plan and /return keep working afterwards.
    harness.fake.push_text(CHAT, "/plan")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")
    harness.fake.push_text(CHAT, "/return")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="aim to get in touch")


async def test_adaptive_taper_pulls_in_and_resumes_after_two_calm_checkins(
    harness: Harness,
) -> None:
    client = await harness.join(CHAT)
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(
            update(Checkin)
            .where(
                Checkin.client_id == client.id,
                Checkin.due_at < harness.services.now() + timedelta(days=10),
            )
            .values(status=CheckinStatus.cancelled)
        )
    harness.fake.push_text(CHAT, "i had a drink last night after 4 months sober")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="slip is not a relapse")

    async def stepped_back() -> bool:
        return (await harness.client(client.id)).stepped_back

    # The reply goes out before the taper bookkeeping is written.
    await harness.eventually(stepped_back, "the taper to step back")
    for calm in range(2):
        await harness.send_now(client.id)
        opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
        from tests.telegram.harness import button_with

        harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
        signs = (
            await harness.fake.wait_for_call(
                "sendMessage", CHAT, text_contains="early warning", count=calm + 1
            )
        )[-1]
        harness.fake.push_callback(
            CHAT, signs.result["message_id"], button_with(signs, "None of these")
        )
        await harness.fake.wait_for_call(
            "sendMessage", CHAT, text_contains="own words", count=calm + 1
        )

    async def resumed() -> bool:
        return not (await harness.client(client.id)).stepped_back

    await harness.eventually(resumed, "the taper to resume")
    async with harness.services.sessionmaker() as session:
        from bot.checkin.adaptive import changes

        history = [c.change for c in await changes(session, client_id=client.id)]
    assert history[0] == "stepped_back" and "pulled_in" in history and history[-1] == "resumed"
    kinds = {
        c.kind for c in await harness.checkins(client.id) if c.status == CheckinStatus.scheduled
    }
    assert CheckinKind.taper in kinds
