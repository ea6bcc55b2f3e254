"""The whole spine: enroll -> invite -> /start -> consent -> send-now -> buttons -> client show."""

from __future__ import annotations

import asyncio

import pytest

from tests.cli.conftest import invoke
from tests.cli.test_cli import client_args, setup_clinic
from tests.telegram.harness import Harness, button_with

CHAT = 31001


@pytest.mark.usefixtures("cli_env")
async def test_therapist_to_client_and_back(harness: Harness) -> None:
    await setup_clinic()
    assert (await asyncio.to_thread(invoke, *client_args())).code == 0
    link = (await asyncio.to_thread(invoke, "client", "invite", "1")).out.splitlines()[0]
    code = link.split("start=", 1)[1]
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "agree"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")

    sent = await asyncio.to_thread(invoke, "checkin", "send-now", "1")
    assert sent.code == 0, sent.err
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
    signs = (await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="early warning"))[
        -1
    ]
    harness.fake.push_callback(
        CHAT, signs.result["message_id"], button_with(signs, "Skipping meals")
    )
    harness.fake.push_callback(CHAT, signs.result["message_id"], button_with(signs, "Done"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words")
    harness.fake.push_text(CHAT, "busy week but ok")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="You noticed")

    shown = await asyncio.to_thread(invoke, "client", "show", "1")
    assert "status: active" in shown.out
    assert (
        "manual    answered  mood 4/5, signs: Skipping meals, note: busy week but ok" in shown.out
    )
