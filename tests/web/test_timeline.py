"""The client's timeline and mood chart, staff notes, and trying the bot as the client: the
real inbound flow shows what would happen, and nothing is stored, sent or rung."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.alert.models import Alert, AlertEvent
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.conversation import service as messages
from bot.conversation.models import ClientMessage
from bot.conversation.preview import try_message
from bot.conversation.question_models import DirectQuestion
from bot.nlu.understanding import Risk, Understanding
from bot.outbox import doorbell
from bot.outbox.models import OutboxMessage
from bot.services import Services
from tests.telegram.harness import Harness
from tests.web.conftest import Browsers, Worlds

CRISIS = "i want to end it all tonight"
STORED = (ClientMessage, Alert, AlertEvent, OutboxMessage, DirectQuestion, Checkin, TaperChange)


async def _counts(services: Services) -> dict[str, int]:
    async with services.sessionmaker() as session:
        return {
            kind.__name__: int(await session.scalar(select(func.count()).select_from(kind)) or 0)
            for kind in STORED
        }


async def test_the_timeline_shows_answers_removed_words_alerts_and_notes(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    now = services.now()
    client_id = worlds.home.client_id
    async with services.sessionmaker.begin() as session:
        old = Checkin(
            client_id=client_id,
            due_at=now - timedelta(days=120),
            kind=CheckinKind.taper,
            status=CheckinStatus.answered,
            mood=2,
            warning_signs=[0],
            answered_at=now - timedelta(days=120),
        )
        recent = Checkin(
            client_id=client_id,
            due_at=now - timedelta(days=3),
            kind=CheckinKind.taper,
            status=CheckinStatus.answered,
            mood=4,
            answered_at=now - timedelta(days=3),
            note="busy week but ok",
        )
        missed = Checkin(
            client_id=client_id,
            due_at=now - timedelta(days=10),
            kind=CheckinKind.taper,
            status=CheckinStatus.missed,
        )
        sooner = Checkin(
            client_id=client_id, due_at=now + timedelta(days=3), kind=CheckinKind.pulled_in
        )
        change = TaperChange(
            client_id=client_id,
            at=now - timedelta(days=3),
            change="pulled_in",
            reason="check-in showed risk",
        )
        session.add_all([old, recent, missed, sooner, change])
        await session.flush()
        reading = Understanding("report_warning_sign", 0.9, Risk.elevated, "embedded")
        note = await messages.record(
            session,
            client_id=client_id,
            text="couldn't sleep",
            understanding=reading,
            now=old.due_at,
            checkin_id=old.id,
        )
        # Past the retention period: the words are gone, the reading stays.
        await messages.purge_free_text(session, now=now, keep_days=90)
        assert note.id
    ana = await browsers.signed_in(worlds.home.therapist_id)
    base = f"/clients/{client_id}"
    empty = await ana.post(f"{base}/notes", {"note": "   "})
    assert empty.status_code == 400 and "write the note first" in empty.text
    added = await ana.post(f"{base}/notes", {"note": "Called the client, they are OK"})
    assert added.status_code == 303
    page = (await ana.get(added.headers["location"])).text
    assert "Note added to the timeline" in page
    assert "Called the client, they are OK" in page and "Dr Ana Rivera (console)" in page
    assert '<svg class="mood-chart"' in page and "Mood as a table" in page
    assert "warning signs: Sleeping badly for several nights" in page
    assert "Removed after the retention period" in page and "couldn&#39;t sleep" not in page
    assert "busy week but ok" in page and "Missed" in page
    # The adaptive taper's change: when the next check-in was, and when it is now.
    assert "Next check-in brought forward · check-in showed risk · next check-in" in page
    assert (now + timedelta(days=3)).astimezone(ZoneInfo("Europe/London")).strftime(
        "%a %d %b %Y %H:%M"
    ) in page
    assert "Crisis" in page and "i want to end it all tonight" in page  # the world's message
    # The chart marks the answer with warning signs (a square) apart from the others.
    assert page.count('<g class="sign">') == 1
    # The other clinic's staff cannot add to it.
    foreign = await browsers.signed_in(worlds.foreign.therapist_id)
    assert (await foreign.post(f"{base}/notes", {"note": "hi"})).status_code == 404


async def test_trying_a_crisis_message_shows_the_crisis_path_and_keeps_nothing(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        client.status, client.chat_id = ClientStatus.active, 777_001
    before = await _counts(services)
    ana = await browsers.signed_in(worlds.home.therapist_id)
    base = f"/clients/{worlds.home.client_id}/try"
    assert (await ana.get(base)).status_code == 200
    tried = await ana.post(base, {"message": CRISIS})
    assert tried.status_code == 200
    assert 'data-pages-clinic="yes"' in tried.text
    assert "Urgent · Crisis" in tried.text and "added to the open alert of this kind" in tried.text
    assert "Samaritans: 116 123" in tried.text  # the clinic's crisis resources, first
    assert "first, ahead of anything else" in tried.text
    assert "Nothing was stored or sent" in tried.text
    calm = await ana.post(base, {"message": "thanks, all good this week"})
    assert 'data-pages-clinic="no"' in calm.text
    assert await _counts(services) == before


async def test_an_invited_client_can_be_tried_before_they_join(
    services: Services, worlds: Worlds
) -> None:
    before = await _counts(services)
    preview = await try_message(services, client_id=worlds.home.client_id, text=CRISIS)
    assert preview.pages_clinic and preview.to_client and preview.to_client[0].urgent
    assert preview.decision.alert is not None and preview.decision.alert.value == "crisis"
    async with services.sessionmaker() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None and client.chat_id is None
    assert await _counts(services) == before


async def test_nothing_reaches_telegram_and_the_sender_is_never_woken(harness: Harness) -> None:
    client = await harness.join(31_001)
    await harness.link_staff_group(-100_31)
    await asyncio.sleep(0.3)  # let the welcome's outcome settle before counting
    before = await _counts(harness.services)
    calls = len(harness.fake.calls)
    bell = asyncio.Event()
    doorbell.listen(bell)
    try:
        preview = await try_message(harness.services, client_id=client.id, text=CRISIS)
        assert preview.pages_clinic and preview.to_staff  # the group would be told
        assert any("URGENT" in m.text for m in preview.to_staff)
        await asyncio.sleep(1.5)  # more than a sender's poll and a dispatch round
        assert not bell.is_set()
    finally:
        doorbell.forget(bell)
    # Only the bot's own long polling went on: no message, edit or anything else.
    assert [c.method for c in harness.fake.calls[calls:] if c.method != "getUpdates"] == []
    assert await _counts(harness.services) == before


async def test_a_long_timeline_shows_the_newest_entries_and_the_rest_on_request(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    now = services.now()
    async with services.sessionmaker.begin() as session:
        session.add_all(
            Checkin(
                client_id=worlds.home.client_id,
                due_at=now - timedelta(days=7 * k + 1),
                kind=CheckinKind.taper,
                status=CheckinStatus.missed,
            )
            for k in range(130)
        )
    ana = await browsers.signed_in(worlds.home.therapist_id)
    base = f"/clients/{worlds.home.client_id}/timeline"
    page = (await ana.get(base)).text
    assert page.count('data-kind="checkin"') < 130 and "older entries</a>" in page
    everything = (await ana.get(f"{base}?all=yes")).text
    assert everything.count('data-kind="checkin"') == 130 and "older entries" not in everything
