"""Too little to read: a letter, punctuation, markup, code, a URL or stray Unicode is never a
crisis reading on its own; it gets the fallback intent with risk none, and the net still runs."""

from __future__ import annotations

import random
import string

import pytest

from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.readable import readable_words, strip_marks, too_little_to_read
from bot.nlu.service import Understander
from bot.nlu.understanding import FALLBACK_INTENT, Risk

LETTERS = [*list(string.ascii_letters), "İ", "ı", "λ", "ж", "é", "Ω", "ñ", "ø"]
PUNCTUATION = [*list(string.punctuation), "…", "—", "¿", "•", "·", "«", "»", "‽", "§", "¶"]
SYMBOLS = ["€", "£", "$", "→", "∑", "√", "∞", "±", "©", "®", "™", "°", "♥", "★", "☃", "⌘"]
MARKUP = ["<b></b>", "<br/>", "<div class='x'>", "</p>", "&nbsp;", "&#9731;", "**", "__", "##"]
CODE = [
    "SELECT * FROM clients;",
    "'; DROP TABLE clients;--",
    "1 OR 1=1",
    "x = f(y);",
    "{}",
    "[]",
    "def f(x): return x",
    "<script>alert(1)</script>",
    "`rm -rf /`",
    "```print('hi')```",
    "$HOME/.bashrc",
    "a_b.c(d)",
    "SELECT name FROM users WHERE id = 1",
]
URLS = ["https://example.com/a?b=c", "www.nhs.uk", "http://x.io", "sam@example.org", "bit.ly/abc"]
STRAY = [
    "\u0307",  # combining dot above (what "İ" leaves behind when lower-cased)
    "\u0301\u0300",
    "\u200b",
    "\u200d",
    "\u202e",
    "\ufeff",
    "\x00",
    "\x07",
    "\ue000",  # private use
    "🫠",
    "🫥",
    "🦑",
    "🧿",
    "0",
    "42",
    "3.14",
    "½",
    "②",
]
POOLS = [LETTERS, PUNCTUATION, SYMBOLS, MARKUP, CODE, URLS, STRAY]


def unreadable_samples(count: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    samples = []
    for _ in range(count):
        parts = [rng.choice(rng.choice(POOLS)) for _ in range(rng.randint(1, 6))]
        samples.append(rng.choice([" ", "  ", "\n", " \t "]).join(parts))
    return samples


FIXED = ["i", "İ", "I", "u", "k", "x", "...", "?!", "<b>", "https://example.com", "İİİ", "i i i"]
FIXED += ["hmm", "Hmmm...", "erm", "umm", "uh", "ahh", "huh?"]


@pytest.mark.parametrize("text", FIXED + unreadable_samples(300))
def test_nothing_to_read(text: str) -> None:
    assert too_little_to_read(text), readable_words(text)


async def test_too_little_to_read_is_fallback_with_no_risk(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    for text in FIXED + unreadable_samples(300, seed=10):
        result = await understander.understand(text)
        assert (result.intent, result.risk, result.source) == (FALLBACK_INTENT, Risk.none, "none")
        for backend in ("embedded",):
            named = await understander.understand_using(text, backend)
            assert named.risk is Risk.none, text


async def test_the_net_still_runs_on_text_with_little_to_read(
    embedded: EmbeddedClassifier,
) -> None:
    understander = Understander(embedded=embedded)
    for text in ["<b>kms</b>", "https://example.com kms", "#kms", "💊💊💊 kms"]:
        result = await understander.understand(text)
        assert result.risk is Risk.crisis, text
        assert result.net_matches, text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hi", ["hi"]),
        ("<b>hi</b>", ["hi"]),
        ("**so tired**", ["so", "tired"]),
        ("i can't... i just can't!!!", ["can't", "just", "can't"]),
        ("see https://example.com, it helped", ["see", "it", "helped"]),
        ("İstanbul", ["istanbul"]),
        ("café", ["cafe"]),
        ("我想死", ["我想死"]),
        ("took 30 of my pills", ["took", "of", "my", "pills"]),
    ],
)
def test_words_are_still_read(text: str, words: list[str]) -> None:
    assert readable_words(text) == words


def test_strip_marks() -> None:
    assert strip_marks("İ".casefold()) == "i"
    assert strip_marks("naïve café") == "naive cafe"


@pytest.mark.parametrize("text", ["i", "İ", "table", "I", "a", "the", "kitchen table", "ok"])
def test_stray_words_are_not_crisis_readings(embedded: EmbeddedClassifier, text: str) -> None:
    # A lone letter used to score crisis 0.85 and "table" 0.30 (a training line about tablets).
    ranking = dict(embedded.classify(text).ranking)
    assert ranking.get("crisis", 0.0) < 0.2, ranking
