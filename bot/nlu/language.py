"""Which language a message is written in, when there is enough of it to tell.

lingua-language-detector (docs/language-detection.md has the comparison with py3langid): on the
held-out messages and training sentences it named no English or Spanish message as another
language, and it reads one message in about 0.3 ms over the languages below. A message shorter
than MIN_WORDS words or MIN_LETTERS letters, or one the detector is unsure of, is not identified
(None): it is read in the client's language as it always was.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

log = logging.getLogger(__name__)

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
# The detector's relative confidence in its first language; below it, not identified.
MIN_CONFIDENCE = 0.6
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.cache
def detector() -> LanguageDetector:
    """The detector with its models in memory (about 3-8 s to build; once per process)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in CANDIDATES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return builder.with_preloaded_language_models().build()


def long_enough(text: str) -> bool:
    """Whether `text` has enough letters to tell its language (scripts written without spaces,
    such as Chinese and Japanese, by their characters alone)."""
    words = _LETTERS.findall(text)
    letters = sum(len(word) for word in words)
    if any(_unspaced(char) for word in words for char in word):
        return letters >= MIN_UNSPACED
    return len(words) >= MIN_WORDS and letters >= MIN_LETTERS


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI"))


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when it is too short to
    tell or the detector is unsure."""
    if not long_enough(text):
        return None
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name).lower()


def language_name(code: str | None) -> str:
    """The language's English name for staff ("Polish"), or the code itself."""
    if not code:
        return "unknown"
    try:
        from lingua import IsoCode639_1, Language

        return str(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name).title()
    except Exception:  # a code lingua does not know is shown as it is
        return code
