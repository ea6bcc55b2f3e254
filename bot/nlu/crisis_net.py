"""The multilingual crisis net: crisis phrases in languages the bot has no model for.

The phrases live in crisis_phrases.yml beside this module (their source is cited there and in
docs/multilingual-crisis-net.md). Every message meets them, whatever language it was read in;
a match is named "net_<code>" (net_pl, net_ar) and takes the crisis path like the English and
Spanish nets' matches.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.nlu.readable import strip_marks

PHRASES_FILE = Path(__file__).with_name("crisis_phrases.yml")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u0060\u00b4\uff07]")
_NON_WORD = re.compile(r"[^\w*]+")
# Letters the accent stripping keeps apart that people type both ways: Turkish dotless i, Polish
# l with stroke, Arabic alef maqsura and ta marbuta.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "ى": "ي", "ة": "ه"})


@dataclass(frozen=True)
class NetLanguage:
    """One language's phrases, compiled into one pattern."""

    code: str
    name: str
    source: str
    pattern: re.Pattern[str]


def fold(text: str) -> str:
    """The form phrases and messages are compared in: case-folded, no marks, words by spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = strip_marks(_APOSTROPHES.sub(" ", text)).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _compile(phrases: list[str]) -> re.Pattern[str]:
    parts = []
    for phrase in phrases:
        folded = fold(phrase.rstrip("*"))
        ending = "" if phrase.endswith("*") else r"(?!\w)"
        parts.append(re.escape(folded) + ending)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


@functools.cache
def net_languages(path: Path = PHRASES_FILE) -> tuple[NetLanguage, ...]:
    """The languages of the net, read once; a broken file raises (a test reads it)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        NetLanguage(code, str(entry["name"]), str(entry["source"]), _compile(entry["phrases"]))
        for code, entry in document["languages"].items()
    )


def multilingual_matches(text: str) -> tuple[str, ...]:
    """ "net_<code>" for each language whose phrases occur in `text` (empty when none)."""
    folded = fold(text)
    return tuple(f"net_{lang.code}" for lang in net_languages() if lang.pattern.search(folded))
