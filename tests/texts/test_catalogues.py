"""The catalogues are the code's texts, complete in every language, and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.texts.translation import LOCALES, SUPPORTED, translator

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _code_messages() -> set[str | tuple[str, ...]]:
    """What Babel extracts from bot/texts/ now, by the repository's babel.cfg."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(ROOT), method_map, options_map)
    return {
        tuple(message) if isinstance(message, list | tuple) else message
        for _file, _line, message, _comments, _context in found
        if message
    }


Id = str | tuple[str, ...]
Text = str | tuple[str, ...]


def _hashable(value: object) -> Id:
    """A plural message's forms come as lists; tuples compare and hash the same way."""
    return tuple(value) if isinstance(value, list | tuple) else str(value)


def _catalogue(path: Path) -> dict[Id, Text]:
    with open(path, "rb") as file:
        return {_hashable(m.id): _hashable(m.string) for m in read_po(file) if m.id}


def _placeholders(text: Text) -> list[list[str]]:
    forms = [text] if isinstance(text, str) else list(text)
    return [sorted(PLACEHOLDER.findall(form)) for form in forms]


def test_the_template_holds_every_text_of_the_code_and_nothing_else() -> None:
    template = set(_catalogue(LOCALES / "aftercare.pot"))
    code = _code_messages()
    assert code - template == set(), "run `make extract`: texts missing from the catalogue"
    assert template - code == set(), "run `make extract`: the catalogue has texts the code lost"


def test_every_language_translates_every_text_keeping_its_placeholders() -> None:
    template = set(_catalogue(LOCALES / "aftercare.pot"))
    for language in SUPPORTED:
        if language == "en":
            continue
        translated = _catalogue(LOCALES / language / "LC_MESSAGES" / "aftercare.po")
        assert set(translated) == template, language
        missing = [m for m, s in translated.items() if not all(s) or not s]
        assert missing == [], f"{language}: untranslated {missing[:3]}"
        for message, text in translated.items():
            # Every form of a plural keeps the placeholders the English forms have.
            wanted = _placeholders(message)[0]
            assert all(found == wanted for found in _placeholders(text)), (language, message)


def test_the_compiled_catalogues_are_the_translations() -> None:
    for language in SUPPORTED:
        if language == "en":
            continue
        directory = LOCALES / language / "LC_MESSAGES"
        with open(directory / "aftercare.mo", "rb") as compiled:
            mo = {_hashable(m.id): _hashable(m.string) for m in read_mo(compiled) if m.id}
        assert mo == _catalogue(directory / "aftercare.po"), "run `make catalogues`"
        t = translator(language)
        some = next(m for m in mo if isinstance(m, str))
        assert t(some) == mo[some] != some


def test_without_a_compiled_catalogue_the_translations_still_reach_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.texts import translation
    from bot.texts.checkin import SKIP

    source = ROOT / "bot" / "locales" / "es" / "LC_MESSAGES" / "aftercare.po"
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "aftercare.po").write_bytes(source.read_bytes())
    monkeypatch.setattr(translation, "LOCALES", tmp_path)
    translation.translator.cache_clear()
    try:
        assert not (folder / "aftercare.mo").exists()
        spanish = translation.translator("es")(SKIP)
        assert spanish == _catalogue(source)[SKIP] and spanish != SKIP
    finally:
        translation.translator.cache_clear()
