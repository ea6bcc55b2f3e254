"""A client whose Telegram is in Spanish, through the real PTB Application: joined, asked and
answered in Spanish, a crisis in Spanish with the Spanish crisis line first, then English."""

from __future__ import annotations

from sqlalchemy import select

from bot.alert.models import Alert, Severity
from bot.texts import checkin as checkin_text
from bot.texts import commands as command_text
from bot.texts import crisis as crisis_text
from bot.texts import onboarding
from bot.texts.translation import translator
from tests.telegram.harness import Harness, button_data, button_with

CHAT = 88001
ES = translator("es")
EN = translator("en")
ENGLISH_LINE = "Samaritans: 116 123 (24/7)"
SPANISH_LINE = "Teléfono de la Esperanza: 717 003 717 (24/7)"


def opening(template: str, t: object = ES) -> str:
    """A translated text up to its first placeholder: what a reply starts with."""
    return t(template).split("{")[0].strip()[:40]  # type: ignore[operator]


async def two_lines(harness: Harness) -> None:
    """The clinic's crisis lines: an English one first, then a Spanish one."""
    await harness.crisis_lines(
        ("Samaritans", "116 123", "en"), ("Teléfono de la Esperanza", "717 003 717", "es")
    )


async def test_a_spanish_client_from_joining_to_a_crisis_and_back_to_english(
    harness: Harness,
) -> None:
    fake = harness.fake
    client, code = await harness.enroll("Lucía")
    await two_lines(harness)
    fake.set_language(CHAT, "es-MX")

    fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    assert notice.params["text"].startswith(opening(onboarding.NOTICE))
    # The notice's crisis lines: the Spanish one first.
    assert notice.params["text"].index(SPANISH_LINE) < notice.params["text"].index(ENGLISH_LINE)
    fake.push_callback(CHAT, notice.result["message_id"], button_data(notice, 0))
    await fake.wait_for_call("sendMessage", CHAT, text_contains=opening(onboarding.WELCOME))
    assert (await harness.client(client.id)).language == "es"

    sent = harness.sent_count(CHAT)
    await harness.send_now(client.id)
    asking = await harness.last_with_buttons(CHAT, after=sent)
    low = ES(checkin_text.MOODS[2])
    fake.push_callback(CHAT, asking.result["message_id"], button_with(asking, low))
    await fake.wait_for(
        lambda: ES(checkin_text.SIGNS_QUESTION)[:30] in harness.texts(CHAT)[-1], what="signs"
    )

    before = harness.sent_count(CHAT)
    fake.push_text(CHAT, "ya no puedo más, esta noche me quiero matar")
    await fake.wait_for(lambda: harness.sent_count(CHAT) >= before + 2, what="the crisis path")
    first = harness.texts(CHAT)[before]
    assert first.startswith(opening(crisis_text.RESOURCES))
    assert first.index(SPANISH_LINE) < first.index(ENGLISH_LINE)
    async with harness.services.sessionmaker() as session:
        alerts = list(await session.scalars(select(Alert).where(Alert.client_id == client.id)))
    assert [a.severity for a in alerts] == [Severity.urgent]

    fake.push_text(CHAT, "/language")
    asked = await fake.wait_for_call(
        "sendMessage", CHAT, text_contains=ES(command_text.LANGUAGE_ASK)
    )
    choice = asked[-1]
    fake.push_callback(CHAT, choice.result["message_id"], button_with(choice, "English"))
    await fake.wait_for_call("sendMessage", CHAT, text_contains=EN(command_text.LANGUAGE_DONE))
    assert (await harness.client(client.id)).language == "en"
    before = harness.sent_count(CHAT)
    fake.push_text(CHAT, "/plan")
    await fake.wait_for(lambda: harness.sent_count(CHAT) > before, what="the plan")
    # In English now, and the English line leads.
    plan = harness.texts(CHAT)[-1]
    assert plan.index(ENGLISH_LINE) < plan.index(SPANISH_LINE)
