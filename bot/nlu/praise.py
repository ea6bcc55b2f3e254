"""Does a reply that congratulates fit this message? Only on a sure, wholly positive reading.

"everything feels pointless lately" once read as mood_good and was answered "Glad things feel
good. You've worked for this.": praise on a wrong reading tells someone who is slipping that
nobody noticed. So praise needs a confident mood_good reading with nothing else raised, and no
hopeless, negative or hedging word anywhere in the message; otherwise the neutral
acknowledgement is the answer. The words are read the way the safety net reads them (curly
apostrophes, any case, stretched letters, texting spellings).
"""

from __future__ import annotations

import re

from bot.nlu.emoji_words import EMOJI_WORDS
from bot.nlu.safety_net import variants
from bot.nlu.understanding import Risk, Understanding

POSITIVE_INTENT = "mood_good"
# Strictly above this the positive reading is sure: on the tuning messages the classifier read
# as mood_good, none above 0.7 was anything else (7 of 56 below it were, 4 of them crisis).
PRAISE_CONFIDENCE = 0.7

_CALMING = r"(?<!calm )(?<!calmed )(?<!settle )(?<!settled )(?<!slow )(?<!slowed )(?<!wind )"
NEGATIVE_CUES: dict[str, str] = {
    "pointless": r"\b(?:pointless|meaningless)\b"
    r"|\b(?:no|what'?s the|whats the|not much|any) point\b",
    "empty": r"\b(?:empty|hollow|numb|nothingness)\b",
    "can't be bothered": r"\b(?:can'?t|cannot|couldn'?t) be (?:bothered|arsed|asked)\b",
    "meh": r"\b(?:meh|blah|bleh|urgh|ugh|hmm|eh)\b|\bso ?so\b",
    "not great": r"\bnot (?:so |that |too |very |really |all that |feeling )?(?:great|good|ok|okay"
    r"|happy|well|fine|brilliant|amazing|myself|alright|right|brill)\b|\b(?:could|can) be better\b",
    "hopeless": r"\b(?:hopeless|no hope|worthless|useless|helpless|nothing matters|don'?t care"
    r"|whatever|why bother|what'?s the use)\b",
    "low": rf"\b(?:low|sad|flat|lonely|miserable|awful|rubbish|terrible|horrible|crap|crappy"
    rf"|anxious|struggling|exhausted|drained|tired|fed up|sick of|stressed|worried|scared|stuck"
    rf"|grim|gutted|upset|crying|cried|down in the dumps)\b|{_CALMING}\bdown\b",
    "hedged": r"\b(?:i guess|i suppose|suppose so|sort of|kind of|kinda|sorta|ish|but|though"
    r"|apart from|except)\b",
}
_BY_NAME = {name: re.compile(pattern) for name, pattern in NEGATIVE_CUES.items()}
_SAD_EMOJI = frozenset(char for char, words in EMOJI_WORDS.items() if words == "i feel sad")


def deserves_praise(reading: Understanding, text: str) -> bool:
    """True only when `reading` is mood_good above PRAISE_CONFIDENCE, raises nothing (risk none,
    no safety-net or ask-cue match, no plan item restated) and `text` holds no negative cue."""
    if reading.intent != POSITIVE_INTENT or reading.confidence <= PRAISE_CONFIDENCE:
        return False
    if reading.risk is not Risk.none or reading.net_matches or reading.cue_matches:
        return False
    if reading.matched_sign is not None or reading.matched_trigger is not None:
        return False
    return not negative_cues(text)


def negative_cues(text: str) -> tuple[str, ...]:
    """Names of the negative cues in `text` ("sad emoji" for a sad face), empty when none."""
    forms = variants(text)
    found = [name for name, cue in _BY_NAME.items() if any(cue.search(form) for form in forms)]
    if _SAD_EMOJI.intersection(text):
        found.append("sad emoji")
    return tuple(found)
