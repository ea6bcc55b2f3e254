"""What staff may see about a message: what was understood and why, never the words themselves."""

from __future__ import annotations

from bot.nlu.language import language_name
from bot.nlu.understanding import Understanding


def message_evidence(message_id: int | None, understanding: Understanding) -> str:
    parts = [f"message {message_id}" if message_id else "message"]
    if understanding.unreadable:
        name = language_name(understanding.detected)
        parts.append(f"written in {name} ({understanding.detected}), which the bot cannot read")
    elif understanding.language != "en":
        parts.append(f"read as {language_name(understanding.language)}")
    parts.append(f"intent {understanding.intent}")
    parts.append(f"confidence {understanding.confidence:.2f}")
    parts.append(f"risk {understanding.risk} ({understanding.source})")
    if understanding.crisis_score:
        parts.append(f"crisis score {understanding.crisis_score:.2f}")
    if understanding.net_matches:
        parts.append("safety net: " + ", ".join(understanding.net_matches))
    if understanding.cue_matches:
        parts.append("ask cues: " + ", ".join(understanding.cue_matches))
    return "; ".join(parts)
