"""The escalation policy for validated screeners (docs/screeners.md): PHQ-9 item 9 is never only
in a score, and a reliable deterioration reaches a person.

Part of the signed page (`docs/escalation-policy.md`, generated with `RULES`); the figures in the
words are the instruments' own (bot/screener/instruments, checked by a test).
"""

from __future__ import annotations

from bot.alert.models import AlertType, Severity
from bot.policy.rules import CRISIS, Decision, Reply, Rule, Situation, _rule

SCREENER_RULES: tuple[Rule, ...] = (
    _rule(
        Situation.item9,
        '"More than half the days" or "Nearly every day": the crisis path at once; the alert '
        "names the item and the answer",
        CRISIS,
    ),
    _rule(
        Situation.item9,
        'any answer above "Not at all" when the clinic makes every positive item 9 urgent',
        CRISIS,
    ),
    _rule(
        Situation.item9,
        '"Several days": the direct question with the crisis resources; the questionnaire waits',
        Decision(Reply.ask),
    ),
    _rule(
        Situation.item9,
        '"Not at all" (no reassurance: every message still meets the safety net)',
        Decision(Reply.screener_next),
    ),
    _rule(
        Situation.item9_question,
        "Yes, or I'd rather not say: the crisis path; the questionnaire ends there",
        Decision(Reply.crisis_after_asking, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.item9_question,
        'No, I\'m OK: an alert "item 9: several days" a person reviews; the questionnaire goes on',
        Decision(Reply.screener_next, AlertType.crisis, Severity.elevated),
    ),
    _rule(
        Situation.item9_question,
        "no answer by the clinic's deadline (default 15 min): the alert names item 9",
        Decision(Reply.none, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.screener_total,
        "reliable deterioration: PHQ-9 up 6 or more, GAD-7 up 4 or more",
        Decision(
            Reply.screener_next, AlertType.warning_signs, Severity.elevated, taper_signal=True
        ),
    ),
    _rule(
        Situation.screener_total,
        "anything else (a move back into caseness after recovery is shown, not alerted)",
        Decision(Reply.screener_next),
    ),
    _rule(
        Situation.screener_interrupted,
        "a crisis or ask reading: the message rules first; the screener waits (nothing more of "
        "it is sent or reminded; a tap on its last question resumes it)",
        Decision(Reply.none),
    ),
)

_BY_WHEN = {rule.when: rule.decision for rule in SCREENER_RULES}


def pick(when: str) -> Decision:
    """The decision of the screener rule with these words."""
    return _BY_WHEN[when]
