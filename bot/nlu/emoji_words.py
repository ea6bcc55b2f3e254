"""Plain words for common emoji, so an emoji-only reply still reaches the classifier."""

from __future__ import annotations

import unicodedata

# Only emoji whose everyday meaning in a check-in reply is clear; the rest are dropped.
EMOJI_WORDS: dict[str, str] = {
    **dict.fromkeys("😢😭😞😔😟☹🙁😿💔😩😫😣😖😥😓", "i feel sad"),
    **dict.fromkeys("😀😃😄😁😊🙂😌😎🥰😍🤗💪🌞", "i feel good"),
    **dict.fromkeys("👍✅👌", "yes"),
    **dict.fromkeys("👎❌", "no"),
    **dict.fromkeys("👋", "hi"),
    **dict.fromkeys("🙏❤💙💚💜🧡💛🤍", "thank you"),
}


def emoji_as_words(text: str) -> str:
    """`text` with known emoji replaced by words; unchanged when it already has letters."""
    if has_letters(text):
        return text
    words = [EMOJI_WORDS[char] for char in text if char in EMOJI_WORDS]
    return " ".join(dict.fromkeys(words))


def has_letters(text: str) -> bool:
    """True when `text` contains at least one letter in any script."""
    return any(unicodedata.category(char).startswith("L") for char in text)
