"""The escalation policy, situation by situation: what the client gets and what the clinic gets."""

from __future__ import annotations

import pytest

from bot.alert.models import AlertType, Severity
from bot.nlu.understanding import FALLBACK_INTENT, Risk, Understanding
from bot.policy.decide import (
    decide_blocked,
    decide_checkin_answer,
    decide_message,
    decide_return_request,
    decide_silence,
)
from bot.policy.rules import Reply


def reading(intent: str, risk: Risk = Risk.none) -> Understanding:
    return Understanding(intent=intent, confidence=0.9, risk=risk, source="embedded")


@pytest.mark.parametrize("ended", [False, True])
@pytest.mark.parametrize("intent", ["crisis", "greet", "report_lapse"])
def test_a_crisis_reading_is_crisis_whoever_and_whatever_the_intent(
    ended: bool, intent: str
) -> None:
    decision = decide_message(
        reading(intent, Risk.crisis), known=True, ended=ended, threshold_met=False
    )
    assert (decision.reply, decision.alert, decision.severity) == (
        Reply.crisis,
        AlertType.crisis,
        Severity.urgent,
    )


def test_an_unknown_chat_gets_resources_but_nobody_is_paged() -> None:
    decision = decide_message(
        reading("crisis", Risk.crisis), known=False, ended=False, threshold_met=False
    )
    assert (decision.reply, decision.alert) == (Reply.crisis, None)
    ordinary = decide_message(reading("greet"), known=False, ended=False, threshold_met=False)
    assert (ordinary.reply, ordinary.alert) == (Reply.stranger, None)


def test_a_classifier_failure_is_needs_review_never_routine() -> None:
    decision = decide_message(
        reading(FALLBACK_INTENT, Risk.needs_review), known=True, ended=False, threshold_met=False
    )
    assert (decision.reply, decision.alert) == (Reply.needs_review, AlertType.needs_review)


def test_a_crisis_intent_read_as_figurative_is_answered_not_crashed() -> None:
    # The classifier said "crisis" but the idiom rule lowered the risk: an ordinary answer.
    decision = decide_message(reading("crisis"), known=True, ended=False, threshold_met=False)
    assert (decision.reply, decision.alert) == (Reply.ordinary, None)


def test_warning_signs_alert_only_at_the_threshold_and_lapses_always() -> None:
    under = decide_message(
        reading("report_warning_sign"), known=True, ended=False, threshold_met=False
    )
    at = decide_message(reading("mood_low"), known=True, ended=False, threshold_met=True)
    lapse = decide_message(reading("report_lapse"), known=True, ended=False, threshold_met=False)
    assert (under.reply, under.alert, under.taper_signal) == (Reply.risk, None, True)
    assert (at.alert, at.severity) == (AlertType.warning_signs, Severity.elevated)
    assert (lapse.alert, lapse.severity) == (AlertType.lapse, Severity.elevated)


def test_a_stopped_client_without_risk_gets_the_stopped_reply() -> None:
    decision = decide_message(reading("greet"), known=True, ended=True, threshold_met=False)
    assert (decision.reply, decision.alert) == (Reply.stopped, None)


def test_checkin_answers() -> None:
    assert (
        decide_checkin_answer(mood=1, signs=0, threshold_met=False).alert is AlertType.warning_signs
    )
    assert decide_checkin_answer(mood=3, signs=2, threshold_met=False).alert is None
    assert decide_checkin_answer(mood=3, signs=2, threshold_met=True).severity is Severity.elevated
    assert decide_checkin_answer(mood=4, signs=0, threshold_met=True).taper_signal is False


def test_silence_alerts_at_and_past_the_threshold_so_a_crash_never_skips_it() -> None:
    assert decide_silence(missed_in_a_row=2, threshold=3).alert is None
    assert decide_silence(missed_in_a_row=3, threshold=3).alert is AlertType.missed_checkins
    assert decide_silence(missed_in_a_row=4, threshold=3).alert is AlertType.missed_checkins


def test_blocks_and_return_requests() -> None:
    assert (decide_blocked().alert, decide_blocked().severity) == (
        AlertType.blocked,
        Severity.routine,
    )
    assert decide_return_request(created=True).alert is AlertType.return_request
    assert decide_return_request(created=False).alert is None
