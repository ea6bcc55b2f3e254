"""The risk rules, as a table: classifier answer, net matches and ask cues in, risk level out."""

from __future__ import annotations

import random

import pytest

from bot.nlu.curve import Reading, outcome
from bot.nlu.risk import (
    ELEVATED_CONFIDENCE,
    FIGURATIVE_OVERRIDE_CONFIDENCE,
    RUNNER_UP_CONFIDENCE,
    assess_risk,
    crisis_reading,
    runner_up,
)
from bot.nlu.thresholds import Thresholds, thresholds_for
from bot.nlu.understanding import FALLBACK_INTENT, Classification, Risk

# Fixed here so the table does not move when `aftercare nlu tune` rewrites thresholds.yml.
T = Thresholds(page=0.6, ask=0.2)


def ranked(*pairs: tuple[str, float]) -> Classification:
    return Classification(intent=pairs[0][0], confidence=pairs[0][1], ranking=pairs)


CASES = [
    ("crisis on top, sure: page", ranked(("crisis", 0.9), ("mood_low", 0.05)), (), Risk.crisis),
    ("crisis on top at the page threshold", ranked(("crisis", T.page)), (), Risk.crisis),
    (
        "crisis on top, unsure: ask",
        ranked(("crisis", T.page - 0.01), ("mood_low", 0.3)),
        (),
        Risk.ask,
    ),
    (
        "crisis on top below the ask threshold still asks",
        ranked(("crisis", T.ask - 0.05), ("mood_low", 0.1), ("greet", 0.1)),
        (),
        Risk.ask,
    ),
    (
        "crisis second, above the ask threshold: ask",
        ranked(("mood_low", 0.5), ("crisis", T.ask)),
        (),
        Risk.ask,
    ),
    (
        "crisis second above the page threshold is not sure: ask",
        ranked(("mood_low", 0.62), ("crisis", T.page + 0.01)),
        (),
        Risk.ask,
    ),
    (
        "crisis second, below the ask threshold: elevated",
        ranked(("mood_low", 0.8), ("crisis", T.ask - 0.01)),
        (),
        Risk.elevated,
    ),
    (
        "crisis third, below the ask threshold",
        ranked(("greet", 0.6), ("thanks", 0.3), ("crisis", T.ask - 0.01)),
        (),
        Risk.none,
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
        Risk.ask,
    ),
    ("classifier failed", None, (), Risk.needs_review),
    ("classifier failed, net matched", None, ("want_to_die",), Risk.crisis),
    ("net raises a greeting", ranked(("greet", 0.99)), ("kill_myself",), Risk.crisis),
    ("net raises mood_low", ranked(("mood_low", 0.99)), ("burden",), Risk.crisis),
    ("net beats an unsure crisis reading", ranked(("crisis", 0.3)), ("suicide",), Risk.crisis),
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
    assert assess_risk(classification, net, figurative, T) == expected


@pytest.mark.parametrize("classification", [c[1] for c in CASES])
def test_ask_cues_raise_to_ask_and_never_lower(classification: Classification | None) -> None:
    without = assess_risk(classification, (), (), T)
    with_cue = assess_risk(classification, (), (), T, cues=("affairs_in_order",))
    assert with_cue == (Risk.crisis if without is Risk.crisis else Risk.ask)
    assert assess_risk(classification, ("suicide",), (), T, cues=("means",)) == Risk.crisis


def test_figurative_never_overrides_net_and_a_sure_classifier_still_reaches_a_person() -> None:
    sure = ranked(("crisis", FIGURATIVE_OVERRIDE_CONFIDENCE), ("mood_low", 0.05))
    assert assess_risk(sure, thresholds=T) == Risk.crisis
    assert assess_risk(sure, (), ("hyperbole",), T) == Risk.needs_review
    assert assess_risk(sure, ("want_to_die",), ("hyperbole",), T) == Risk.crisis
    assert assess_risk(ranked(("greet", 0.9)), ("kill_myself",), ("laughing",), T) == Risk.crisis


def test_figurative_only_removes_crisis_below_the_cutoff() -> None:
    just_below = ranked(("crisis", FIGURATIVE_OVERRIDE_CONFIDENCE - 0.01), ("out_of_scope", 0.08))
    assert assess_risk(just_below, thresholds=T) == Risk.crisis
    assert assess_risk(just_below, (), ("things",), T) == Risk.none


@pytest.mark.parametrize("classification", [c[1] for c in CASES])
def test_net_never_lowers(classification: Classification | None) -> None:
    without = assess_risk(classification, thresholds=T)
    with_net = assess_risk(classification, ("suicide",), thresholds=T)
    assert with_net == Risk.crisis
    assert classification is not None or without == Risk.needs_review


def test_runner_up_is_the_best_reading_that_is_not_a_crisis() -> None:
    assert runner_up(ranked(("crisis", 0.5), ("mood_low", 0.3), ("greet", 0.1))) == "mood_low"
    assert runner_up(ranked(("mood_low", 0.5), ("crisis", 0.4))) == "mood_low"
    assert runner_up(ranked(("nlu_fallback", 0.4), ("crisis", 0.3), ("thanks", 0.2))) == "thanks"
    weak = ranked(("crisis", 0.8), ("greet", RUNNER_UP_CONFIDENCE - 0.01))
    assert runner_up(weak) == FALLBACK_INTENT
    assert runner_up(ranked(("crisis", 1.0))) == FALLBACK_INTENT


def test_the_configured_thresholds_are_sane() -> None:
    for backend in ("embedded", "rasa"):
        thresholds = thresholds_for(backend)
        assert 0 < thresholds.ask <= thresholds.page <= 1
    with pytest.raises(ValueError):
        Thresholds(page=0.2, ask=0.5)


def test_the_curve_sees_what_the_rules_decide() -> None:
    """`curve.outcome` (used to choose thresholds) agrees with `assess_risk` everywhere."""
    rng = random.Random(9)
    intents = ["crisis", "mood_low", "greet", "report_lapse", "nlu_fallback", "thanks"]
    to_outcome = {Risk.crisis: "paged", Risk.ask: "asked"}
    for _ in range(2000):
        weights = [rng.random() ** 3 for _ in intents]
        total = sum(weights)
        pairs = sorted(
            ((name, w / total) for name, w in zip(intents, weights, strict=True)),
            key=lambda p: -p[1],
        )
        classification = Classification(pairs[0][0], pairs[0][1], tuple(pairs))
        figurative = ("things",) if rng.random() < 0.2 else ()
        cues = ("means",) if rng.random() < 0.1 else ()
        ask = round(rng.uniform(0.05, 0.6), 2)
        thresholds = Thresholds(page=round(rng.uniform(ask, 1.0), 2), ask=ask)
        risk = assess_risk(classification, (), figurative, thresholds, cues)
        score, on_top = crisis_reading(classification, figurative)
        held = bool(figurative) and dict(pairs).get("crisis", 0) >= FIGURATIVE_OVERRIDE_CONFIDENCE
        reading = Reading(
            "ordinary", net=False, score=score, on_top=on_top, held=held, cue=bool(cues)
        )
        assert outcome(reading, thresholds) == to_outcome.get(risk, "none"), (pairs, risk)
