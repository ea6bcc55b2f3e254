"""Callback data: every builder round-trips, and anything forged parses to None, never raises."""

from __future__ import annotations

import logging
import random
import string

import pytest

from bot import button_data
from bot.button_data import (
    AlertPress,
    CheckinTap,
    Consent,
    CrisisStep,
    Delete,
    Meaning,
    Pause,
    Stop,
    Window,
    parse,
)
from bot.client import actions
from bot.client.models import Client, ClientStatus
from bot.escalation.replies import CHECKIN_WINDOWS
from bot.texts import checkin as checkin_text
from bot.texts import dialogue as dialogue_text
from tests.telegram.harness import Harness

BIG = 2**31 - 1

BUILT = [
    (button_data.consent(True, 1), Consent(True, 1)),
    (button_data.consent(False, BIG), Consent(False, BIG)),
    *[(button_data.checkin_mood(14, m), CheckinTap(14, "m", m)) for m in checkin_text.MOODS],
    (button_data.checkin_sign(14, 0), CheckinTap(14, "s", 0)),
    (button_data.checkin_sign(BIG, 11), CheckinTap(BIG, "s", 11)),
    (button_data.checkin_step(14, "done"), CheckinTap(14, "done")),
    (button_data.checkin_step(14, "none"), CheckinTap(14, "none")),
    (button_data.checkin_step(14, "skip"), CheckinTap(14, "skip")),
    (button_data.crisis_step(3, "helped"), CrisisStep(3, "helped")),
    (button_data.crisis_step(3, "next"), CrisisStep(3, "next")),
    *[(button_data.meaning(i), Meaning(i)) for i in [*dialogue_text.LABELS, "other"]],
    (button_data.pause(True), Pause(True)),
    (button_data.pause(False), Pause(False)),
    *[(button_data.window(name), Window(name)) for name in button_data.WINDOW_NAMES],
    (button_data.stop(True), Stop(True)),
    (button_data.stop(False), Stop(False)),
    (button_data.delete("first"), Delete("first")),
    (button_data.delete("second"), Delete("second")),
    (button_data.delete("cancel"), Delete("cancel")),
    (button_data.alert(42, "ack"), AlertPress(42, "ack")),
    (button_data.alert(42, "resolve"), AlertPress(42, "resolve")),
]


@pytest.mark.parametrize(("data", "expected"), BUILT, ids=[d for d, _ in BUILT])
def test_every_builder_round_trips(data: str, expected: button_data.Callback) -> None:
    assert parse(data) == expected
    assert expected.data == data
    assert 0 < len(data.encode()) <= 64 and data.isascii()


def test_the_wire_format_buttons_already_in_chats_carry_is_unchanged() -> None:
    # Messages sent before this codec keep their buttons: these strings must keep parsing.
    assert button_data.consent(True, 7) == "consent:yes:7"
    assert button_data.checkin_mood(14, 3) == "ci:14:m:3"
    assert button_data.checkin_sign(14, 2) == "ci:14:s:2"
    assert button_data.checkin_step(14, "skip") == "ci:14:skip"
    assert button_data.crisis_step(5, "helped") == "cr:5:helped"
    assert button_data.meaning("ask_plan") == "dlg:ask_plan"
    assert button_data.pause(True) == "pref:pause:yes"
    assert button_data.window("evening") == "pref:win:evening"
    assert button_data.stop(False) == "stop:no"
    assert button_data.delete("first") == "del:1"
    assert button_data.alert(9, "resolve") == "al:9:res"
    # The spelling the outbox rewrite uses reads the same.
    assert parse("al:9:resolve") == AlertPress(9, "resolve")


FORGED = [
    None,
    "",
    ":",
    "consent",
    "consent:",
    "consent:yes",
    "consent:yes:1:2",
    "consent:maybe:1",
    "consent:yes:0",
    "consent:yes:-1",
    "consent:yes:+1",
    "consent:yes:01",
    "consent:yes: 1",
    "consent:yes:1 ",
    "consent:yes:1\n",
    "consent:yes:1.0",
    "consent:yes:1e3",
    "consent:yes:0x10",
    "consent:yes:１",  # a fullwidth digit
    "consent:yes:²",
    "consent:yes:٣",  # an Arabic-Indic digit
    f"consent:yes:{BIG + 1}",
    "consent:YES:1",
    "CONSENT:yes:1",
    "ci:14:m",
    "ci:14:m:0",
    "ci:14:m:6",
    "ci:14:m:-1",
    "ci:14:m:3:3",
    "ci:14:s",
    "ci:14:s:100",
    "ci:14:s:007",
    "ci:14:done:1",
    "ci:14:x",
    "ci:14",
    "ci::done",
    "ci:0:done",
    "ci:99999999999999999999:done",
    "ci:abc:done",
    "cr:1",
    "cr:1:maybe",
    "cr:1:helped:x",
    "cr:0:next",
    "cr:99999999999999999999:next",
    "dlg:",
    "dlg:crisis",
    "dlg:other:x",
    "dlg:__class__",
    "dlg:ask plan",
    "pref:",
    "pref:pause",
    "pref:pause:maybe",
    "pref:win:",
    "pref:win:midnight",
    "pref:win:evening:x",
    "pref:volume:up",
    "stop:",
    "stop:yes:1",
    "stop:y",
    "del:",
    "del:3",
    "del:first",
    "del:1:2",
    "al:99999999999999999999:ack",
    "al:1:delete",
    "al:1",
    "al:0:ack",
    "al:-5:ack",
    "al:1:ack:1",
    "al::ack",
    "al:1:ACK",
    "xyz:1",
    "ci:1:m:3" + "0" * 60,
    "a" * 65,
    "al:1:ack'; DROP TABLE alerts;--",
    "🙂",
    "consent:yes:1\x00",
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_parses_to_none(data: str | None) -> None:
    assert parse(data) is None


def test_random_data_never_raises() -> None:
    rng = random.Random(20240601)
    alphabet = string.printable + "é🙂١²:::"
    prefixes = ["", "ci:", "cr:", "al:", "consent:", "pref:", "dlg:", "stop:", "del:"]
    for _ in range(20_000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        data = rng.choice(prefixes) + body
        parsed = parse(data)
        if parsed is not None:
            # Whatever parses is exactly what a builder would make (bar the legacy 'resolve').
            assert parsed.data == data.replace(":resolve", ":res")


def test_builders_refuse_what_parse_would_refuse() -> None:
    for build in (
        lambda: button_data.consent(True, 0),
        lambda: button_data.consent(True, BIG + 1),
        lambda: button_data.checkin_mood(1, 9),
        lambda: button_data.checkin_sign(1, -1),
        lambda: button_data.meaning("crisis"),
        lambda: button_data.window("midnight"),
        lambda: button_data.alert(True, "ack"),
    ):
        with pytest.raises(button_data.Invalid):
            build()


def test_the_window_buttons_are_names_the_codec_knows() -> None:
    assert set(CHECKIN_WINDOWS) == set(button_data.WINDOW_NAMES)


# -- through the running product ----------------------------------------------------------------

CHAT = 6201


async def test_forged_preference_taps_get_one_quiet_answer(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    client = await harness.join(CHAT)
    sent = harness.sent_count(CHAT)
    answered = len(harness.fake.calls_to("answerCallbackQuery"))
    forged = ["pref:", "pref:win:midnight", "pref:pause:maybe", "pref:win:evening:x", "pref:x:y"]
    for data in forged:
        harness.fake.push_callback(CHAT, 1, data)
    harness.fake.push_callback(CHAT, 1, button_data.pause(True))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Check-ins are paused")
    answers = harness.fake.calls_to("answerCallbackQuery")[answered:]
    assert len(answers) == len(forged) + 1
    assert all(a.ok and not a.params.get("text") for a in answers)
    assert harness.sent_count(CHAT) == sent + 1
    await harness.status_is(client.id, ClientStatus.paused)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_old_window_offer_tapped_after_stopping_plans_nothing(harness: Harness) -> None:
    client = await harness.join(CHAT)
    async with harness.services.sessionmaker.begin() as session:
        stored = await session.get(Client, client.id)
        assert stored is not None
        await actions.stop(session, client=stored, now=harness.services.now())
    before = await harness.checkins(client.id)
    sent = harness.sent_count(CHAT)
    harness.fake.push_callback(CHAT, 1, button_data.window("morning"))
    harness.fake.push_text(CHAT, "/plan")  # answered in order: once it is, the tap was handled
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) > sent, what="/plan's reply")
    assert "Check-ins will come" not in "".join(harness.texts(CHAT)[sent:])
    after = await harness.checkins(client.id)
    assert [(c.id, c.status, c.due_at) for c in after] == [
        (c.id, c.status, c.due_at) for c in before
    ]
