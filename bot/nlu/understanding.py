"""What the app understood from one client message: intent, confidence and risk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

# Rasa's name for "no intent was confident enough"; the embedded backend uses it too.
FALLBACK_INTENT = "nlu_fallback"


class Risk(StrEnum):
    """How urgently a human must see the message.

    crisis: a safety-net match or a sure crisis reading: resources first and an urgent alert.
    ask: the classifier reads crisis but is not sure (or an ask cue of preparation matched), and
        no safety-net rule matched: one message with the crisis resources that asks directly
        about thoughts of suicide or self-harm (CLINICAL.md "When unsure, ask directly"); on
        "No, I'm OK" answer `runner_up`.
    needs_review: the classifier failed or timed out, or was sure of a crisis in an idiom.
    elevated: a warning sign, trigger, lapse or low mood. none: nothing to flag.
    """

    none = "none"
    elevated = "elevated"
    crisis = "crisis"
    needs_review = "needs_review"
    ask = "ask"


@dataclass(frozen=True)
class Classification:
    """A classifier's raw answer, before any risk rule is applied."""

    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Understanding:
    """The final reading of one message; `risk` decides whether a human is alerted."""

    intent: str
    confidence: float
    risk: Risk
    source: str  # "embedded" | "rasa" | "safety_net" (net or ask cues alone) | "none"
    ranking: tuple[tuple[str, float], ...] = ()  # top alternatives, for "did you mean" buttons
    net_matches: tuple[str, ...] = ()
    # The best reading that is not a crisis (FALLBACK_INTENT when nothing else was sure; None
    # without a classifier reading): what to answer when the client says "No, I'm OK" to the
    # direct question of a `Risk.ask` reading. A plan match makes it report_warning_sign or
    # report_trigger.
    runner_up: str | None = None
    # The crisis probability as the risk rules saw it (0 when an idiom explained it), and whether
    # crisis was their top reading. For Rasa this is the mean of Rasa and the embedded model.
    crisis_score: float = 0.0
    crisis_on_top: bool = False
    # The client's own warning sign / trigger situation this message restates, exactly as written
    # in their plan; set whenever one matches, whatever the risk (the net still decides crisis).
    matched_sign: str | None = None
    matched_trigger: str | None = None
    # Ask cues found (bot/nlu/ask_cues.py): preparation or not-being-around language that raises
    # the risk to at least ask, like the net raises it to crisis.
    cue_matches: tuple[str, ...] = ()
    # The language the message was read as (its model's), the language the detector named (None
    # when too short to identify, or unsure), and whether that is one the bot cannot read: then
    # only the crisis nets read it, and a person at the clinic reads it too.
    language: str = "en"
    detected: str | None = None
    unreadable: bool = False

    @property
    def is_fallback(self) -> bool:
        """True when no intent was confident enough to act on."""
        return self.intent == FALLBACK_INTENT

    def to_dict(self) -> dict[str, object]:
        """A plain dict with rounded numbers, for JSON output and logs."""
        return {
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "risk": str(self.risk),
            "source": self.source,
            "ranking": [[name, round(score, 4)] for name, score in self.ranking],
            "net_matches": list(self.net_matches),
            "runner_up": self.runner_up,
            "crisis_score": round(self.crisis_score, 4),
            "crisis_on_top": self.crisis_on_top,
            "matched_sign": self.matched_sign,
            "matched_trigger": self.matched_trigger,
            "cue_matches": list(self.cue_matches),
            "language": self.language,
            "detected": self.detected,
            "unreadable": self.unreadable,
        }

    def to_json(self) -> str:
        """One line of JSON, as printed by `aftercare nlu parse`."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
