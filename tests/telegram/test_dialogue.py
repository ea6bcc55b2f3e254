"""Free text from a client: answers from their own plan, and the clinic is told when it must be."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from sqlalchemy import select, update

from bot.alert.models import Alert, AlertType, Severity
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import ClientStatus
from bot.conversation.crisis_models import CrisisStep
from bot.return_request.models import ReturnRequest, ReturnStatus
from tests.support import clock
from tests.telegram.harness import Harness, button_with

CHAT = 12001
GROUP = -100_777


async def alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def test_crisis_gets_resources_first_then_an_urgent_alert_to_staff(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "I can’t do this anymore, I’ve been saving up my pills")
    await harness.fake.wait_for_call("sendMessage", GROUP)
    # The client's resources and the staff alert go out side by side, in either order.
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) > before, what="the first reply")
    first = harness.fake.calls_to("sendMessage", CHAT)[before]
    assert "999" in first.params["text"] and "Samaritans: 116 123" in first.params["text"]
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    group_text = harness.fake.sent_texts(GROUP)[0]
    assert "URGENT" in group_text.upper() and "Sam" not in group_text and "pills" not in group_text
    # Then the client's own plan, one step at a time.
    step = await harness.last_with_buttons(CHAT, after=before + 1)
    assert "A 20-minute walk before dinner" in step.params["text"]
    harness.fake.push_callback(CHAT, step.result["message_id"], button_with(step, "Next"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Priya (sister)")
    people = await harness.last_with_buttons(CHAT, after=before + 3)
    harness.fake.push_callback(CHAT, people.result["message_id"], button_with(people, "helped"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="I'm glad")
    async with harness.services.sessionmaker() as session:
        steps = list(await session.scalars(select(CrisisStep).order_by(CrisisStep.id)))
    assert [(s.step, s.response) for s in steps] == [("coping", "next"), ("people", "helped")]


async def test_lapse_is_met_without_blame_and_the_clinic_is_told(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    # The early check-ins are behind them: the next one is weeks away.
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(
            update(Checkin)
            .where(Checkin.due_at < harness.services.now() + timedelta(days=10))
            .values(status=CheckinStatus.cancelled)
        )
    harness.fake.push_text(CHAT, "i had a drink last night after 4 months sober")
    [reply] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="slip is not a relapse"
    )
    assert "A 20-minute walk" in reply.params["text"]
    await harness.fake.wait_for_call("sendMessage", GROUP)
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.lapse, Severity.elevated)
    # The taper steps back: a check-in is brought closer.
    checkins = await harness.checkins(client.id)
    [pulled] = [c for c in checkins if c.kind == CheckinKind.pulled_in]
    assert timedelta(days=2) < pulled.due_at - harness.services.now() < timedelta(days=4)
    assert (await harness.client(client.id)).stepped_back


async def test_warning_signs_alert_only_at_the_clinics_threshold(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.push_text(CHAT, "my sleep is all over the place again")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="From your plan")
    assert await alerts(harness) == []
    harness.fake.push_text(CHAT, "been isolating a lot and not answering texts")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="let Riverside Clinic know")
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.warning_signs, Severity.elevated)


async def test_return_request_is_tracked_and_its_status_shown(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.push_text(CHAT, "can i book in for a session again?")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="aim to get in touch")
    harness.fake.push_text(CHAT, "/return")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="request to come back is")
    async with harness.services.sessionmaker() as session:
        [request] = list(await session.scalars(select(ReturnRequest)))
    assert request.client_id == client.id and request.status == ReturnStatus.new
    assert [a.type for a in await alerts(harness)] == [AlertType.return_request]


async def test_plan_coping_and_bot_challenge(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "can you show me my plan")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")
    harness.fake.push_text(CHAT, "am i talking to a real person?")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="not a person")


async def test_small_talk_is_short_and_varied(harness: Harness) -> None:
    await harness.join(CHAT)
    before = harness.sent_count(CHAT)
    for _ in range(6):
        harness.fake.push_text(CHAT, "thanks so much")
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) >= before + 6, what="six replies")
    replies = harness.texts(CHAT)[before:]
    assert all(len(r) < 60 for r in replies)
    # Never the same words twice running: a repeated phrase reads as a machine not listening.
    assert all(a != b for a, b in pairwise(replies)), replies


async def test_pause_from_conversation_asks_first(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.push_text(
        CHAT, "could you stop messaging me for a couple of weeks, going on holiday"
    )
    offer = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, offer.result["message_id"], button_with(offer, "Yes, pause"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Check-ins are paused")
    await harness.status_is(client.id, ClientStatus.paused)


async def test_change_schedule_opens_window_buttons(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.push_text(CHAT, "can you message me in the mornings instead")
    offer = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, offer.result["message_id"], button_with(offer, "Morning"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="08:00-10:00")
    assert (await harness.client(client.id)).window_start.hour == 8


async def test_unclear_message_gets_likely_meanings(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "hmm")
    offer = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    labels = [b["text"] for row in offer.params["reply_markup"]["inline_keyboard"] for b in row]
    assert "Something else" in labels and len(labels) >= 3
    harness.fake.push_callback(CHAT, offer.result["message_id"], button_with(offer, "See my plan"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")


async def test_out_of_hours_crisis_says_when_staff_will_see_it(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    # Saturday evening in London whatever the season; the clinic opens Monday 09:00.
    start = clock.now()
    saturday_night = start.replace(hour=20, minute=0) + timedelta(days=(5 - start.weekday()) % 7)
    monday = saturday_night + timedelta(days=2)
    harness.services.now = lambda: saturday_night
    harness.fake.push_text(CHAT, "i want to end it all tonight")
    [told] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="closed right now")
    assert f"on Mon {monday.day} {monday:%b} around 09:00" in told.params["text"]
    first_after_join = [t for t in harness.texts(CHAT) if "Your safety comes first" in t]
    assert first_after_join, "crisis resources were not sent"


async def test_a_crisis_during_a_closure_says_when_staff_are_back(harness: Harness) -> None:
    from bot.clinic.models import Clinic
    from bot.console.clinic_models import ClinicClosure

    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    # A Tuesday 11:00 in London, inside office hours, but the clinic is closed until Wednesday.
    start = clock.now()
    tuesday = start.replace(hour=11) + timedelta(days=(1 - start.weekday()) % 7 or 7)
    thursday = tuesday + timedelta(days=2)
    async with harness.services.sessionmaker.begin() as session:
        clinic = await session.scalar(select(Clinic))
        assert clinic is not None
        session.add(
            ClinicClosure(
                clinic_id=clinic.id,
                starts_on=tuesday.date(),
                ends_on=tuesday.date() + timedelta(days=1),
                note="staff training",
            )
        )
    harness.services.now = lambda: tuesday
    harness.fake.push_text(CHAT, "i want to end it all tonight")
    [told] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="closed right now")
    assert f"on Thu {thursday.day} {thursday:%b} around 09:00" in told.params["text"]
