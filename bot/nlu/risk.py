"""The rules that turn a classifier's answer and safety-net matches into a Risk level."""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu.understanding import FALLBACK_INTENT, Classification, Risk

CRISIS_INTENT = "crisis"
# Messages a clinician would want to see soon, though not as an emergency.
ELEVATED_INTENTS = frozenset({"report_warning_sign", "report_trigger", "report_lapse", "mood_low"})

# A top crisis reading at least this sure pages the clinic; below it a human reviews it.
CRISIS_CONFIDENCE = 0.30
# "When in doubt, escalate": crisis as runner-up with at least this much weight still escalates.
CRISIS_RUNNER_UP_CONFIDENCE = 0.30
# ...provided it trails the top intent by no more than this (a close second, not a long shot).
CRISIS_RUNNER_UP_GAP = 0.10
# An idiom that explains every death word ("to die for") removes a crisis reading below this;
# at or above it a person still reads the message, without paging the clinic.
FIGURATIVE_OVERRIDE_CONFIDENCE = 0.90
# Below this an elevated-intent reading is too weak to tell a clinician about.
ELEVATED_CONFIDENCE = 0.25
# How many ranked alternatives are checked for elevated intents.
ELEVATED_TOP_K = 2


def assess_risk(
    classification: Classification | None,
    net_matches: Sequence[str] = (),
    figurative: Sequence[str] = (),
) -> Risk:
    """Risk for one message; `None` means the classifier failed or timed out.

    The safety net can only raise the result: any net match is a crisis. Figurative idioms
    (as found by `figurative_matches`, which ignores idioms beside other danger words) only
    temper the classifier's own crisis reading, never the net's, and never below needs_review
    when the classifier was sure.
    """
    if net_matches:
        return Risk.crisis
    if classification is None:
        return Risk.needs_review
    return _risk_from_classifier(classification, bool(figurative))


def _risk_from_classifier(classification: Classification, figurative: bool) -> Risk:
    ranking = _ranked(classification)
    crisis_score = dict(ranking).get(CRISIS_INTENT, 0.0)
    if figurative and crisis_score >= FIGURATIVE_OVERRIDE_CONFIDENCE:
        return Risk.needs_review
    if figurative:
        ranking = [(name, score) for name, score in ranking if name != CRISIS_INTENT]
    if not ranking:
        return Risk.none
    top_intent, top_score = ranking[0]
    if top_intent == CRISIS_INTENT:
        return Risk.crisis if top_score >= CRISIS_CONFIDENCE else Risk.needs_review
    is_runner_up = len(ranking) > 1 and ranking[1][0] == CRISIS_INTENT
    if (
        is_runner_up
        and crisis_score >= CRISIS_RUNNER_UP_CONFIDENCE
        and top_score - crisis_score <= CRISIS_RUNNER_UP_GAP
    ):
        return Risk.crisis
    for intent, score in ranking[:ELEVATED_TOP_K]:
        if intent in ELEVATED_INTENTS and score >= ELEVATED_CONFIDENCE:
            return Risk.elevated
    return Risk.none


def _ranked(classification: Classification) -> list[tuple[str, float]]:
    """Real intents best first; Rasa's `nlu_fallback` entry is dropped, what it hid is kept."""
    ranking = list(classification.ranking) or [(classification.intent, classification.confidence)]
    real = [(name, score) for name, score in ranking if name != FALLBACK_INTENT]
    return sorted(real, key=lambda item: item[1], reverse=True)
