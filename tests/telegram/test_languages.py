"""Never silence for a language the bot cannot read, through the real application: a crisis in
each language of the multilingual net takes the crisis path, and any other message in a language
the bot cannot read gets a person (a needs-review alert naming the language) and the resources.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.alert.models import Alert, AlertType, Severity
from bot.client.models import Client
from tests.factories import CRISIS as CLINIC_RESOURCES
from tests.nlu.test_crisis_net import CRISIS as CRISIS_BY_LANGUAGE
from tests.telegram.harness import Harness

CHAT = 15801
GROUP = -100_958
RESOURCES = "Your safety comes first"
POLISH = "Dzisiaj miałam ciężki dzień w pracy i nie wiem, co dalej robić"


async def alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


@pytest.mark.parametrize(("code", "text"), sorted(CRISIS_BY_LANGUAGE.items()))
async def test_a_crisis_in_each_net_language_takes_the_crisis_path(
    harness: Harness, code: str, text: str
) -> None:
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, text)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=RESOURCES, timeout=15)
    accepted = [c for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok]
    assert RESOURCES in accepted[0].params["text"], "resources were not the first reply"
    await harness.fake.wait_for_call("sendMessage", GROUP, timeout=15)
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert f"net_{code}" in alert.evidence


async def test_a_message_in_a_language_the_bot_cannot_read_goes_to_a_person(
    harness: Harness,
) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, POLISH)
    [*_, reply] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="can't read that language", timeout=15
    )
    body = reply.params["text"]
    assert "Riverside Clinic" in body and "999" in body and CLINIC_RESOURCES in body
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.needs_review, Severity.elevated)
    assert "written in Polish (pl), which the bot cannot read" in alert.evidence


async def test_the_reply_is_in_the_client_s_own_language(harness: Harness) -> None:
    client = await harness.join(CHAT)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "thank you")
    await harness.eventually(lambda: _kept(harness, "en"), "the chat's language to be kept")
    assert harness.sent_count(CHAT) > before
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(update(Client).where(Client.id == client.id).values(language="es"))
    # The chat's language was kept from its last message (no query per message); this message's
    # own transaction brings the change.
    harness.fake.push_text(CHAT, POLISH)
    await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="no puedo leer ese idioma", timeout=15
    )
    [alert] = await alerts(harness)
    assert alert.type is AlertType.needs_review and "Polish" in alert.evidence
    await harness.eventually(lambda: _kept(harness, "es"), "the new language to be kept")


async def test_a_spanish_client_s_crisis_is_read_in_spanish(harness: Harness) -> None:
    # Texted Spanish (no accents, "k" for "qu"): the Spanish net, the resources in Spanish first.
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(update(Client).where(Client.id == client.id).values(language="es"))
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "ya no puedo mas, kiero morirme")
    spanish = "Tu seguridad es lo primero"
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=spanish, timeout=15)
    accepted = [c for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok]
    assert spanish in accepted[0].params["text"]
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert "read as Spanish" in alert.evidence and "want_to_die" in alert.evidence


async def test_crisis_lines_in_the_language_they_wrote_in_come_first(harness: Harness) -> None:
    await harness.join(CHAT)
    await harness.crisis_lines(("Samaritans", "116 123", "en"), ("Telefon", "116 123", "pl"))
    harness.fake.push_text(CHAT, POLISH)
    [*_, reply] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="can't read that language", timeout=15
    )
    body = reply.params["text"]
    assert body.index("Telefon: 116 123") < body.index("Samaritans: 116 123")


async def _kept(harness: Harness, language: str) -> bool:
    return harness.services.chat_languages.get(CHAT) == language
