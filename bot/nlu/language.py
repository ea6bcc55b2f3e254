"""Which language a message is written in, when there is enough of it to tell.

py3langid (docs/multilingual-crisis-net.md compares it with lingua-language-detector), limited to
the CANDIDATES: on every English and Spanish training and held-out message long enough to
identify it named no other language, it reads one message in about 0.05 ms, and its model takes
a few MB (lingua's accurate mode took 460-720 MB and 0.3-0.45 ms, and identified fewer).
A message shorter than MIN_WORDS words or MIN_LETTERS letters is not identified (None): single
words are unreliable for every detector, so it is read in the client's language as it always was.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# The languages told apart: the two the bot reads, the crisis net's (bot/nlu/crisis_phrases.yml)
# and others often spoken by migrants in the UK, the EU and the US. A language outside the set is
# named as the closest one in it: still not one the bot reads, so still a person reads it.
CANDIDATES = (
    "en es fr it de pl pt ro tr ru uk ar ur bn pa nl sv hi fa zh ja ko vi so sq lt el he hu cs tl"
).split()
# Below these a message is too short to identify: "ok", "si", "jajaja", "merci".
MIN_WORDS = 3
MIN_LETTERS = 15
MIN_UNSPACED = 6
# The detector's probability for a message in Latin letters; below it, not identified. A message
# in another script is never English or Spanish, so its best guess stands.
MIN_PROBABILITY = 0.9
_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "it": "Italian", "de": "German",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "tr": "Turkish", "ru": "Russian",
    "uk": "Ukrainian", "ar": "Arabic", "ur": "Urdu", "bn": "Bengali", "pa": "Punjabi",
    "nl": "Dutch", "sv": "Swedish", "hi": "Hindi", "fa": "Persian", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "so": "Somali", "sq": "Albanian",
    "lt": "Lithuanian", "el": "Greek", "he": "Hebrew", "hu": "Hungarian", "cs": "Czech",
    "tl": "Tagalog",
}  # fmt: skip


@functools.cache
def identifier() -> LanguageIdentifier:
    """The detector's model, limited to the CANDIDATES (loaded once per process)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    found = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    found.set_languages(CANDIDATES)
    return found


def long_enough(text: str) -> bool:
    """Whether `text` has enough letters to tell its language (vowel signs count as letters;
    scripts written without spaces, such as Chinese and Japanese, by their characters alone)."""
    letters = [char for char in text if unicodedata.category(char)[0] in "LM"]
    if any(_unspaced(char) for char in letters):
        return len(letters) >= MIN_UNSPACED
    words = [w for w in text.split() if any(unicodedata.category(c)[0] == "L" for c in w)]
    return len(words) >= MIN_WORDS and len(letters) >= MIN_LETTERS


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when it is too short to
    tell or the detector is unsure."""
    if not long_enough(text):
        return None
    code, probability = identifier().classify(text)
    if probability >= MIN_PROBABILITY or not _mostly_latin(text):
        return str(code)
    return None


def language_name(code: str | None) -> str:
    """The language's English name for staff ("Polish"), or the code itself."""
    if not code:
        return "unknown"
    return _NAMES.get(code, code)


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI"))


def _mostly_latin(text: str) -> bool:
    letters = [char for char in text if unicodedata.category(char)[0] == "L"]
    latin = sum(unicodedata.name(char, "").startswith("LATIN") for char in letters)
    return latin * 2 >= len(letters)
