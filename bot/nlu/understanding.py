"""What the app understood from one client message: intent, confidence and risk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

# Rasa's name for "no intent was confident enough"; the embedded backend uses it too.
FALLBACK_INTENT = "nlu_fallback"


class Risk(StrEnum):
    """How urgently a human must see the message."""

    none = "none"
    elevated = "elevated"
    crisis = "crisis"
    needs_review = "needs_review"


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
    source: str  # "embedded" | "rasa" | "safety_net" | "none"
    ranking: tuple[tuple[str, float], ...] = ()  # top alternatives, for "did you mean" buttons
    net_matches: tuple[str, ...] = ()

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
        }

    def to_json(self) -> str:
        """One line of JSON, as printed by `aftercare nlu parse`."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
