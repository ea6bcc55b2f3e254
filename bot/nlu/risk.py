"""The rules that turn a classifier's answer and safety-net matches into a Risk level."""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu.thresholds import Thresholds, thresholds_for
from bot.nlu.understanding import FALLBACK_INTENT, Classification, Risk

CRISIS_INTENT = "crisis"
# Messages a clinician would want to see soon, though not as an emergency.
ELEVATED_INTENTS = frozenset({"report_warning_sign", "report_trigger", "report_lapse", "mood_low"})

# An idiom that explains every death word ("to die for") removes a crisis reading below this;
# at or above it a person still reads the message, without paging the clinic or asking.
FIGURATIVE_OVERRIDE_CONFIDENCE = 0.90
# Below this an elevated-intent reading is too weak to tell a clinician about.
ELEVATED_CONFIDENCE = 0.25
# How many ranked alternatives are checked for elevated intents.
ELEVATED_TOP_K = 2
# The runner-up (what to answer when the client says "No, I'm OK") must be at least this sure;
# below it the runner-up is the fallback intent, answered with did-you-mean buttons.
RUNNER_UP_CONFIDENCE = 0.15


def assess_risk(
    classification: Classification | None,
    net_matches: Sequence[str] = (),
    figurative: Sequence[str] = (),
    thresholds: Thresholds | None = None,
    cues: Sequence[str] = (),
) -> Risk:
    """Risk for one message; `None` means the classifier failed or timed out.

    The safety net can only raise the result: any net match is a crisis. Otherwise the
    classifier's crisis probability decides: at or above `thresholds.page` the clinic is paged
    (crisis), at or above `thresholds.ask` (or whenever crisis is the top intent) the client is
    asked directly (ask). Ask cues (`bot/nlu/ask_cues.py`: preparation, not being around) raise
    any lower reading to ask. Figurative idioms (as found by `figurative_matches`, which ignores
    idioms beside other danger words) only temper the classifier's own crisis reading, never the
    net's or a cue's, and never below needs_review when the classifier was sure.
    """
    if net_matches:
        return Risk.crisis
    risk = _classifier_risk(classification, figurative, thresholds)
    if cues and risk is not Risk.crisis:
        return Risk.ask
    return risk


def _classifier_risk(
    classification: Classification | None,
    figurative: Sequence[str],
    thresholds: Thresholds | None,
) -> Risk:
    if classification is None:
        return Risk.needs_review
    ranking = _ranked(classification)
    crisis_score = dict(ranking).get(CRISIS_INTENT, 0.0)
    if figurative:
        if crisis_score >= FIGURATIVE_OVERRIDE_CONFIDENCE:
            return Risk.needs_review
        ranking = [(name, score) for name, score in ranking if name != CRISIS_INTENT]
    if not ranking:
        return Risk.none
    level = crisis_level(ranking, thresholds or thresholds_for("embedded"))
    if level is not None:
        return level
    for intent, score in ranking[:ELEVATED_TOP_K]:
        if intent in ELEVATED_INTENTS and score >= ELEVATED_CONFIDENCE:
            return Risk.elevated
    return Risk.none


def crisis_level(ranking: Sequence[tuple[str, float]], thresholds: Thresholds) -> Risk | None:
    """crisis, ask or None for a ranking of real intents (best first), from crisis alone."""
    crisis_score = dict(ranking).get(CRISIS_INTENT, 0.0)
    on_top = bool(ranking) and ranking[0][0] == CRISIS_INTENT
    if on_top and crisis_score >= thresholds.page:
        return Risk.crisis
    if on_top or crisis_score >= thresholds.ask:
        return Risk.ask
    return None


def crisis_reading(
    classification: Classification, figurative: Sequence[str] = ()
) -> tuple[float, bool]:
    """(crisis probability, crisis is the top real intent) as the risk rules see them.

    (0.0, False) when an idiom explains the death words away (figurative), as in assess_risk.
    """
    if figurative:
        return 0.0, False
    ranking = _ranked(classification)
    score = dict(ranking).get(CRISIS_INTENT, 0.0)
    return score, bool(ranking) and ranking[0][0] == CRISIS_INTENT


def runner_up(classification: Classification) -> str:
    """The best reading that is not a crisis: what to answer if the client says they're OK.

    The fallback intent when no other intent is at least RUNNER_UP_CONFIDENCE sure.
    """
    for name, score in _ranked(classification):
        if name != CRISIS_INTENT:
            return name if score >= RUNNER_UP_CONFIDENCE else FALLBACK_INTENT
    return FALLBACK_INTENT


def blend(primary: Classification, second: Classification) -> Classification:
    """The two models' rankings averaged (an intent missing from one counts 0 there).

    Used for the risk view of a Rasa reading: DIET is often sure of a wrong crisis reading
    (confidence 0.999+ on ordinary messages); the mean with the embedded model tempers that.
    """
    first, other = dict(_ranked(primary)), dict(_ranked(second))
    averaged = {name: (first.get(name, 0.0) + other.get(name, 0.0)) / 2 for name in first | other}
    ranking = tuple(sorted(averaged.items(), key=lambda item: item[1], reverse=True))
    if not ranking:
        return primary
    return Classification(intent=ranking[0][0], confidence=ranking[0][1], ranking=ranking)


def _ranked(classification: Classification) -> list[tuple[str, float]]:
    """Real intents best first; Rasa's `nlu_fallback` entry is dropped, what it hid is kept."""
    ranking = list(classification.ranking) or [(classification.intent, classification.confidence)]
    real = [(name, score) for name, score in ranking if name != FALLBACK_INTENT]
    return sorted(real, key=lambda item: item[1], reverse=True)
