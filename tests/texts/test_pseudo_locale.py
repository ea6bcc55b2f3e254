"""The pseudo-locale run: with a catalogue that marks every text it knows (⟦…⟧), a walk through
everything a client can meet must show the mark on every message they read. A text that reaches a
client without passing through the catalogue (a literal in the code, a constant never extracted)
arrives unmarked and fails the run."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.texts import translation
from tests.telegram.harness import Harness, button_with

CHAT = 87001
STRANGER = 87002
MARK = "⟦"
POT = Path(translation.LOCALES) / "aftercare.pot"


class Pseudo(gettext.NullTranslations):
    """Marks each text the catalogue holds; anything else comes back as it was, unmarked."""

    def __init__(self, known: set[str]) -> None:
        super().__init__()
        self.known = known

    def gettext(self, message: str) -> str:
        return f"{MARK}{message}⟧" if message in self.known else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


@pytest.fixture
def pseudo_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with open(POT, "rb") as template:
        # A plural's forms are each known: whichever the number picks must come back marked.
        known = {
            form
            for m in read_po(template)
            if m.id
            for form in (m.id if isinstance(m.id, list | tuple) else [m.id])
        }
    catalogue = Pseudo(known)
    monkeypatch.setattr(gettext, "translation", lambda *args, **kwargs: catalogue)
    translation.translator.cache_clear()
    yield
    translation.translator.cache_clear()


def unmarked(harness: Harness, chat_id: int) -> list[str]:
    calls = harness.fake.calls_to("sendMessage", chat_id) + harness.fake.calls_to(
        "sendDocument", chat_id
    )
    return [
        str(c.params.get("text") or c.params.get("caption"))
        for c in calls
        if c.ok and MARK not in str(c.params.get("text") or c.params.get("caption") or "")
    ]


async def tap(harness: Harness, label: str) -> None:
    asking = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, asking.result["message_id"], button_with(asking, label))


async def say(harness: Harness, text: str, *, count: int = 1) -> None:
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, text)
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) >= before + count, what=text)


async def test_every_text_a_client_reads_passes_through_the_catalogue(
    pseudo_locale: None, harness: Harness
) -> None:
    client = await harness.join(CHAT)
    await harness.link_staff_group(-100_8701)
    for command in ("/help", "/privacy", "/plan", "/pause", "/resume", "/timezone Mars/Base"):
        await say(harness, command)
    await say(harness, "/timezone Europe/Paris")
    await say(harness, "/language")
    await say(harness, "hello")
    await say(harness, "thank you")
    await say(harness, "qwerty zxcvb")
    await say(harness, "I had a drink last night, I slipped")
    await say(harness, "/return")
    harness.fake.push_sticker(CHAT)
    await say(harness, "i want to end it all tonight", count=3)
    await say(harness, "🆘 I need help now", count=3)
    await harness.send_now(client.id)
    await harness.fake.wait_for(
        lambda: any("check-in" in t for t in harness.texts(CHAT)[-2:]), what="a check-in"
    )
    await tap(harness, "Low")
    await harness.fake.wait_for(lambda: "warning signs" in harness.texts(CHAT)[-1], what="signs")
    await tap(harness, "None of these")
    await harness.fake.wait_for(lambda: "your own words" in harness.texts(CHAT)[-1], what="note")
    await say(harness, "a long week, but fine")
    await say(harness, "/export")
    await harness.fake.wait_for(
        lambda: bool(harness.fake.calls_to("sendDocument", CHAT)), what="the export file"
    )
    await say(harness, "/stop")
    await tap(harness, "Yes")
    await harness.fake.wait_for(lambda: "won't send" in harness.texts(CHAT)[-1], what="stopped")
    await say(harness, "hello again")
    harness.fake.push_text(STRANGER, "hello, who is this?")
    await harness.fake.wait_for(lambda: harness.sent_count(STRANGER) >= 1, what="a stranger")
    assert unmarked(harness, CHAT) == []
    assert unmarked(harness, STRANGER) == []
