"""The multilingual crisis net: a crisis phrase in each language, none in everyday messages."""

from __future__ import annotations

import pytest

from bot.nlu.crisis_net import PHRASES_FILE, fold, multilingual_matches, net_languages
from bot.nlu.held_out import PARTS_BY_LANGUAGE
from bot.nlu.training_data import TRAINING_FILES, load_examples

# One message per language, written as a person in crisis might send it (not a listed phrase
# verbatim where the language allows: case, accents and words around it differ).
CRISIS = {
    "pl": "Nie chce juz zyc, przepraszam",
    "ro": "Nu mai vreau sa traiesc, iertati-ma",
    "pt": "Eu quero morrer hoje à noite",
    "ar": "اريد ان اموت الليلة",
    "ur": "میں اب مرنا چاہتا ہوں",
    "pa": "ਮੈਂ ਹੁਣ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ",
    "bn": "আমি আর বাঁচতে চাই না",
    "tr": "ARTIK YAŞAMAK İSTEMİYORUM",
    "fr": "Je veux mourir ce soir",
    "de": "Ich will nicht mehr leben",
    "it": "voglio uccidermi stanotte",
    "uk": "Я не хочу жити більше",
    "ru": "Я больше не хочу жить",
}


def test_the_net_has_at_least_ten_languages_each_with_its_source() -> None:
    languages = net_languages()
    assert len(languages) >= 10 and set(CRISIS) == {lang.code for lang in languages}
    assert all("2412.15497" in lang.source for lang in languages)
    assert "arXiv:2412.15497" in PHRASES_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("code", "text"), sorted(CRISIS.items()))
def test_a_crisis_in_each_language_meets_the_net(code: str, text: str) -> None:
    assert f"net_{code}" in multilingual_matches(text)


def test_no_english_or_spanish_message_meets_it_unless_it_is_a_crisis() -> None:
    files = [path for path in TRAINING_FILES.values()]
    examples = [example for path in files for example in load_examples(path)]
    for parts in PARTS_BY_LANGUAGE.values():
        examples += [e for part in parts for held in part.load() for e in held.examples]
    flagged = [text for text, gold in examples if gold != "crisis" and multilingual_matches(text)]
    assert len(examples) > 3000 and flagged == []


def test_case_accents_and_apostrophes_fold_alike() -> None:
    assert fold("KENDİMİ Öldüreceğim") == fold("kendimi oldurecegim")
    assert fold("я вбʼю себе") == fold("я вб'ю себе")
