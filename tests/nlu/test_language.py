"""The language check on every message, and what a message the bot cannot read gets."""

from __future__ import annotations

import pytest

from bot.nlu.held_out import PARTS_BY_LANGUAGE
from bot.nlu.language import detect, language_name
from bot.nlu.service import Understander
from bot.nlu.understanding import FALLBACK_INTENT, Risk

SPANISH = "hoy me siento muy triste y sola, no tengo ganas de hacer nada"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("je ne vais pas très bien en ce moment", "fr"),
        ("Dzisiaj czuję się trochę lepiej niż wczoraj", "pl"),
        ("hoy me siento bastante mejor que ayer", "es"),
        ("Bugün kendimi biraz daha iyi hissediyorum", "tr"),
        ("Сегодня мне немного лучше, спасибо", "ru"),
    ],
)
def test_a_message_long_enough_is_identified(text: str, code: str) -> None:
    assert detect(text) == code


@pytest.mark.parametrize("text", ["ok", "merci", "si", "jajaja", "danke schön", "hi there"])
def test_a_message_too_short_is_not_identified(text: str) -> None:
    assert detect(text) is None


def test_no_held_out_message_is_named_another_language() -> None:
    # Every English and Spanish held-out message: none may read as a language the bot cannot read.
    wrong = [
        (text, found)
        for language, parts in PARTS_BY_LANGUAGE.items()
        for part in parts
        for held in part.load()
        for text, _ in held.examples
        if (found := detect(text)) not in (None, language)
    ]
    assert wrong == []


def test_staff_read_the_language_by_name() -> None:
    assert language_name("pl") == "Polish" and language_name(None) == "unknown"


async def test_a_message_in_a_language_the_bot_cannot_read(bilingual: Understander) -> None:
    reading = await bilingual.understand("Dzisiaj miałam ciężki dzień w pracy, nie wiem co robić")
    assert reading.unreadable and reading.detected == "pl"
    assert (reading.risk, reading.intent, reading.language) == (
        Risk.needs_review,
        FALLBACK_INTENT,
        "en",
    )


async def test_a_crisis_in_a_language_the_bot_cannot_read_is_a_crisis(
    bilingual: Understander,
) -> None:
    reading = await bilingual.understand("Nie chcę już żyć, przepraszam was wszystkich")
    assert reading.unreadable and reading.detected == "pl"
    assert reading.risk is Risk.crisis and "net_pl" in reading.net_matches


async def test_a_short_message_is_read_as_it_always_was(bilingual: Understander) -> None:
    reading = await bilingual.understand("merci")
    assert not reading.unreadable and reading.detected is None
    assert reading.language == "en" and reading.risk is not Risk.needs_review


async def test_a_spanish_message_from_an_english_client_is_read_in_spanish(
    bilingual: Understander,
) -> None:
    reading = await bilingual.understand(SPANISH, language="en")
    assert (reading.language, reading.detected, reading.unreadable) == ("es", "es", False)
    assert reading.intent == "mood_low"


async def test_without_a_spanish_model_spanish_is_unreadable(bilingual: Understander) -> None:
    english_only = Understander(embedded=bilingual._models["en"].embedded)
    reading = await english_only.understand(SPANISH, language="es")
    assert reading.unreadable and reading.detected == "es" and reading.language == "en"
