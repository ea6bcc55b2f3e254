"""The risk rules, as a table: classifier answer plus net matches in, risk level out."""

from __future__ import annotations

import pytest

from bot.nlu.risk import (
    CRISIS_CONFIDENCE,
    CRISIS_RUNNER_UP_CONFIDENCE,
    CRISIS_RUNNER_UP_GAP,
    ELEVATED_CONFIDENCE,
    FIGURATIVE_OVERRIDE_CONFIDENCE,
    assess_risk,
)
from bot.nlu.understanding import Classification, Risk


def ranked(*pairs: tuple[str, float]) -> Classification:
    return Classification(intent=pairs[0][0], confidence=pairs[0][1], ranking=pairs)


CASES = [
    ("crisis on top", ranked(("crisis", 0.9), ("mood_low", 0.05)), (), Risk.crisis),
    (
        "crisis on top, unsure",
        ranked(("crisis", CRISIS_CONFIDENCE - 0.05), ("mood_low", 0.2)),
        (),
        Risk.needs_review,
    ),
    (
        "crisis close second",
        ranked(("mood_low", 0.38), ("crisis", CRISIS_RUNNER_UP_CONFIDENCE + 0.01)),
        (),
        Risk.crisis,
    ),
    (
        "crisis second but far behind",
        ranked(("mood_low", 0.8), ("crisis", CRISIS_RUNNER_UP_CONFIDENCE + 0.01)),
        (),
        Risk.elevated,
    ),
    (
        "crisis second, too weak",
        ranked(("greet", 0.3), ("crisis", CRISIS_RUNNER_UP_CONFIDENCE - 0.05)),
        (),
        Risk.none,
    ),
    (
        "crisis third is a long shot",
        ranked(("mood_low", 0.34), ("report_lapse", 0.33), ("crisis", 0.32)),
        (),
        Risk.elevated,
    ),
    (
        "runner-up within the gap",
        ranked(("greet", 0.3 + CRISIS_RUNNER_UP_GAP / 2), ("crisis", 0.3)),
        (),
        Risk.crisis,
    ),
    (
        "figurative idiom tempers the classifier",
        ranked(("crisis", 0.6), ("out_of_scope", 0.3)),
        (),
        Risk.none,
    ),
    ("mood_low", ranked(("mood_low", 0.7), ("mood_good", 0.1)), (), Risk.elevated),
    ("warning sign", ranked(("report_warning_sign", 0.6)), (), Risk.elevated),
    ("trigger", ranked(("report_trigger", 0.6)), (), Risk.elevated),
    ("lapse", ranked(("report_lapse", 0.6)), (), Risk.elevated),
    (
        "lapse as runner-up",
        ranked(("thanks", 0.5), ("report_lapse", ELEVATED_CONFIDENCE)),
        (),
        Risk.elevated,
    ),
    ("weak mood_low", ranked(("mood_low", ELEVATED_CONFIDENCE - 0.05)), (), Risk.none),
    ("greeting", ranked(("greet", 0.95), ("thanks", 0.02)), (), Risk.none),
    (
        "rasa fallback hides a crisis",
        ranked(("nlu_fallback", 0.4), ("crisis", 0.33), ("mood_low", 0.3)),
        (),
        Risk.crisis,
    ),
    ("classifier failed", None, (), Risk.needs_review),
    ("classifier failed, net matched", None, ("want_to_die",), Risk.crisis),
    ("net raises a greeting", ranked(("greet", 0.99)), ("kill_myself",), Risk.crisis),
    ("net raises mood_low", ranked(("mood_low", 0.99)), ("burden",), Risk.crisis),
    ("no ranking at all", Classification("nlu_fallback", 0.0), (), Risk.none),
]


@pytest.mark.parametrize(
    ("classification", "net", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_risk_rules(
    request: pytest.FixtureRequest,
    classification: Classification | None,
    net: tuple[str, ...],
    expected: Risk,
) -> None:
    figurative = ("hyperbole",) if "figurative" in request.node.callspec.id else ()
    assert assess_risk(classification, net, figurative) == expected


def test_figurative_never_overrides_net_and_a_sure_classifier_still_reaches_a_person() -> None:
    sure = ranked(("crisis", FIGURATIVE_OVERRIDE_CONFIDENCE), ("mood_low", 0.05))
    assert assess_risk(sure) == Risk.crisis
    assert assess_risk(sure, (), ("hyperbole",)) == Risk.needs_review
    assert assess_risk(sure, ("want_to_die",), ("hyperbole",)) == Risk.crisis
    assert assess_risk(ranked(("greet", 0.9)), ("kill_myself",), ("laughing",)) == Risk.crisis


def test_figurative_only_removes_crisis_below_the_cutoff() -> None:
    just_below = ranked(("crisis", FIGURATIVE_OVERRIDE_CONFIDENCE - 0.01), ("out_of_scope", 0.08))
    assert assess_risk(just_below) == Risk.crisis
    assert assess_risk(just_below, (), ("things",)) == Risk.none


@pytest.mark.parametrize("classification", [c[1] for c in CASES])
def test_net_never_lowers(classification: Classification | None) -> None:
    without = assess_risk(classification)
    with_net = assess_risk(classification, ("suicide",))
    assert with_net == Risk.crisis
    assert classification is not None or without == Risk.needs_review
