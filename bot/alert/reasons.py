"""Why an alert was raised, in the client's own words where the crisis net matched them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.nlu.safety_net import CRISIS_PATTERNS, variants

WORDS_LENGTH = 60


def matched_words(text: str, names: Iterable[str]) -> list[str]:
    """The words each named crisis pattern matched in `text` (as the net read them:
    lower-cased, spellings folded), each once, in the order of `names`."""
    forms = sorted(variants(text), key=len)
    found: list[str] = []
    for name in names:
        pattern = CRISIS_PATTERNS.get(name.strip())
        if pattern is None:
            continue
        for form in forms:
            match = pattern.search(form)
            if match and match.group(0).strip():
                words = match.group(0).strip()[:WORDS_LENGTH]
                if words not in found:
                    found.append(words)
                break
    return found
