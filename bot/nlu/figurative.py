"""Everyday idioms built on death words ("killing it", "to die for") that are not a crisis.

They only temper the classifier's crisis reading; they never override the safety net.
"""

from __future__ import annotations

import re

from bot.nlu.safety_net import variants

_THING = (
    r"(?:laptop|phone|battery|car|plant|plants|starter|sourdough|tv|telly|computer|printer"
    r"|wifi|internet|fish|goldfish|bulb|charger|engine|router|headphones|conversation|joke)"
)
_IDIOMS: dict[str, list[str]] = {
    "laughing": [
        r"\b(?:died|dying|dead|die|killed me|killing me|kill me)\b.{0,20}\blaugh",
        r"\b(?:died|dying|dead)\b.{0,12}\b(?:lol|lmao|haha|😂|🤣)",
        r"\b(?:lol|lmao|haha)\b.{0,12}\b(?:i'?m|im) dead\b|\bin stitches\b",
    ],
    "wanting": [
        r"\b(?:kill|murder|die) for (?:a|an|some)\b",
        r"\b(?:to die for|dying to|dying for (?:a|an|some))\b",
        r"\bcould (?:murder|kill|eat) (?:a|an|some)\b|\b(?:i'?d|i would) murder (?:a|an|some)\b",
    ],
    "hyperbole": [
        r"\b(?:will|would|'?ll|going to|gonna) be the death of me\b",
        r"\b(?:is|are|'?s|'?re|was) (?:slowly |absolutely |literally )?(?:killing|murdering) me\b",
        r"\bkill(?:ing|ed)? it\b",
        r"\bkilled (?:my|the|that) (?:presentation|exam|interview|set|game)\b",
        r"\b(?:dead|deadly) (?:tired|busy|serious|bored|funny|good)\b|\bbored to death\b",
        r"\bkill (?:my|the) (?:sobriety|mood|vibe|buzz|time)\b",
        r"\bkilled (?:a|the|half a|a whole) (?:bottle|pint|pack|box|tub|six ?pack)\b",
        r"\bscared (?:me )?to death\b|\bover my dead body\b",
    ],
    "things": [
        rf"\b{_THING}\b.{{0,25}}\b(?:died|dead|is dying|just died)\b",
        rf"\b(?:killed|kill) (?:the|a|that) (?:wasp|spider|fly|bug|mosquito|weeds?|{_THING})\b",
    ],
}
FIGURATIVE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(alternatives)) for name, alternatives in _IDIOMS.items()
}


def figurative_matches(text: str) -> tuple[str, ...]:
    """Names of the idiom families found in `text` (empty when none)."""
    forms = variants(text)
    return tuple(
        name
        for name, pattern in FIGURATIVE_PATTERNS.items()
        if any(pattern.search(form) for form in forms)
    )
