"""The order a client reads their clinic's crisis lines in: their language's first."""

from __future__ import annotations

import pytest

from bot.clinic.resources import in_language, parse_languages

TEXT = "Samaritans: 116 123\nEsperanza: 717 003 717\nEmergency: 112"


def test_the_clients_language_leads_then_every_language_then_the_rest() -> None:
    assert in_language(TEXT, "en\nes\n", "es").split("\n") == [
        "Esperanza: 717 003 717",
        "Emergency: 112",
        "Samaritans: 116 123",
    ]
    assert in_language(TEXT, "en,es\nes\n", "en").split("\n") == [
        "Samaritans: 116 123",
        "Emergency: 112",
        "Esperanza: 717 003 717",
    ]


def test_text_typed_without_entries_stays_as_typed() -> None:
    assert in_language(TEXT, None, "es") == TEXT
    # Lines and tags out of step (the text was changed elsewhere): never reorder a guess.
    assert in_language(TEXT, "es\nen", "es") == TEXT
    assert in_language(TEXT, "en\nes\n", None) == TEXT


def test_language_codes_are_checked() -> None:
    assert parse_languages(" ES, en  es ") == ("es", "en")
    assert parse_languages("") == ()
    with pytest.raises(ValueError, match="english"):
        parse_languages("en, english")
