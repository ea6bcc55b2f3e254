"""The risk rules, as a table: classifier answer plus net matches in, risk level out."""

from __future__ import annotations

import pytest

from bot.nlu.risk import (
    CRISIS_CONFIDENCE,
    CRISIS_RUNNER_UP_CONFIDENCE,
    CRISIS_RUNNER_UP_GAP,
    ELEVATED_CONFIDENCE,
    assess_risk,
)
from bot.nlu.understanding import Classification, Risk


def ranked(*pairs: tuple[str, float]) -> Classification:
    return Classification(intent=pairs[0][0], confidence=pairs[0][1], ranking=pairs)


CASES = [
    ("crisis on top", ranked(("crisis", 0.9), ("mood_low", 0.05)), (), Risk.crisis),
    ("crisis on top, unsure", ranked(("crisis", 0.22), ("mood_low", 0.2)), (), Risk.crisis),
    (
        "crisis close second",
        ranked(("mood_low", 0.45), ("crisis", CRISIS_RUNNER_UP_CONFIDENCE + 0.01)),
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
        "crisis third but confident enough",
        ranked(("mood_low", 0.36), ("report_lapse", 0.36), ("crisis", CRISIS_CONFIDENCE)),
        (),
        Risk.crisis,
    ),
    (
        "gap exactly at the limit",
        ranked(("greet", 0.2 + CRISIS_RUNNER_UP_GAP), ("crisis", 0.2)),
        (),
        Risk.crisis,
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
    classification: Classification | None, net: tuple[str, ...], expected: Risk
) -> None:
    assert assess_risk(classification, net) == expected


@pytest.mark.parametrize("classification", [c[1] for c in CASES])
def test_net_never_lowers(classification: Classification | None) -> None:
    without = assess_risk(classification)
    with_net = assess_risk(classification, ("suicide",))
    assert with_net == Risk.crisis
    assert classification is not None or without == Risk.needs_review
