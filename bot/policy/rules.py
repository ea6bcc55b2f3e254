"""The escalation policy: every situation -> what the client is told and what the clinic gets.

This is the page a clinical lead signs: `docs/escalation-policy.md` is generated from `RULES`,
the typed-reply lists (`typed_reply.py`) and the timings (`deadlines.py`); a test fails when the
committed copy differs. Adapters never decide any of this.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.alert.models import AlertType, Severity


class Reply(enum.StrEnum):
    """What the client gets back."""

    crisis = "crisis resources first, then the alert's real outcome, then their plan step by step"
    ask = "one message: the crisis resources and the direct question (Yes / No / Rather not say)"
    crisis_after_asking = "what happened to the alert, then their plan step by step"
    runner_up = "the answer for what the message most likely meant"
    needs_review = "a neutral reply saying a person at the clinic will read it, and when"
    unreadable = (
        "in their own language: that the bot cannot read that language, that a person at the "
        "clinic will read it and when, with the crisis resources"
    )
    risk = "their own plan's help (strategies, people); no blame for a lapse"
    clarify = "buttons with the likely meanings"
    ordinary = "the answer for the intent"
    acknowledge = "a neutral acknowledgement, never praise"
    stopped = "the stopped reply (how to come back, the emergency number)"
    stranger = "the unknown-chat reply; nothing is stored"
    reflection = "the check-in reflected back with the matching strategies"
    nudge = "a gentle message that asks for nothing"
    command = "the command's own answer"
    not_text = "that only text can be read, and where to turn in danger"
    edited = "that edits are not acted on again (send it as a new message)"
    refused = "why the bot cannot do that, and where to turn in danger"
    resources_now = "the crisis resources at once, sent once, before anything is stored"
    apology = "an honest apology (crisis resources first if the words may mean danger)"
    screener_next = "the questionnaire's next question, or its closing thanks"
    none = "nothing"


class Situation(enum.StrEnum):
    message = "a message (text, edited text, caption)"
    command = "words after a command (/plan ..., /help ..., /start CODE ...)"
    typed_answer = "a reply typed while the direct question is open"
    checkin_answer = "a check-in answered with buttons"
    checkin_note = "a note added to a check-in"
    silence = "check-ins missed in a row"
    blocked = "the client blocked the bot"
    return_request = "a request to come back"
    undeliverable = "Telegram keeps refusing a message to the client"
    question = "the answer to the direct question"
    stopped = "the client stops all messages (/stop, confirmed)"
    help_now = 'the client asks for help now (the menu or the "I need help now" button)'
    failure = "handling the message fails"
    item9 = (
        "PHQ-9 item 9 answered (thoughts that you would be better off dead or of hurting yourself "
        "in some way)"
    )
    item9_question = 'the direct question after item 9 "Several days"'
    screener_total = "a PHQ-9 or GAD-7 total, against the ending score (else the first screener)"
    screener_interrupted = "the client writes in the middle of a screener"


RISKY_INTENTS = {
    "report_lapse": AlertType.lapse,
    "report_warning_sign": AlertType.warning_signs,
    "report_trigger": AlertType.warning_signs,
    "mood_low": AlertType.warning_signs,
}
# After a crisis reading in a command's words, these commands still give their own answer (they
# inform or ask); the others (pause, resume, export, delete, timezone) wait until asked again.
ANSWER_AFTER_CRISIS = ("/start", "/plan", "/help", "/privacy", "/return", "/stop", "/help_now")
# What a client who has stopped or graduated can still use.
AFTER_ENDING_COMMANDS = (
    "/start",
    "/plan",
    "/help",
    "/help_now",
    "/privacy",
    "/return",
    "/export",
    "/delete",
    "/language",
)


@dataclass(frozen=True)
class Decision:
    reply: Reply
    alert: AlertType | None = None
    severity: Severity | None = None
    # A risk signal for the adaptive taper (brings the next check-in closer).
    taper_signal: bool = False
    # The rule that decided, as printed in the policy document.
    rule: str = ""


@dataclass(frozen=True)
class Rule:
    situation: Situation
    when: str
    decision: Decision


def _rule(situation: Situation, when: str, decision: Decision) -> Rule:
    return Rule(situation, when, Decision(**{**decision.__dict__, "rule": when}))


CRISIS = Decision(Reply.crisis, AlertType.crisis, Severity.urgent)
NEEDS_REVIEW = Decision(Reply.needs_review, AlertType.needs_review, Severity.routine)

RULES: tuple[Rule, ...] = (
    _rule(
        Situation.message, "risk is crisis (safety net or classifier), any client status", CRISIS
    ),
    _rule(
        Situation.message,
        "risk is crisis from a chat that is not a client's",
        Decision(Reply.crisis),
    ),
    _rule(
        Situation.message,
        "risk is ask (a crisis reading that is not sure, no safety-net rule), known client",
        Decision(Reply.ask),
    ),
    _rule(
        Situation.message,
        "a message in a language the bot cannot read (long enough to identify, no crisis "
        "reading; the crisis nets read every language first)",
        Decision(Reply.unreadable, AlertType.needs_review, Severity.elevated),
    ),
    _rule(Situation.message, "risk is needs_review (classifier failed or unsure)", NEEDS_REVIEW),
    _rule(
        Situation.message,
        "an edited message without a crisis or ask reading (an edit is read for danger only)",
        Decision(Reply.edited),
    ),
    _rule(
        Situation.message,
        "nothing to read (a sticker, voice note, photo or file without a caption)",
        Decision(Reply.not_text),
    ),
    _rule(
        Situation.message,
        "client has stopped messages, no crisis",
        Decision(Reply.stopped),
    ),
    _rule(
        Situation.message,
        "intent is report_lapse",
        Decision(Reply.risk, AlertType.lapse, Severity.elevated, taper_signal=True),
    ),
    _rule(
        Situation.message,
        "warning sign, trigger or low mood, at the clinic's threshold",
        Decision(Reply.risk, AlertType.warning_signs, Severity.elevated, taper_signal=True),
    ),
    _rule(
        Situation.message,
        "warning sign, trigger or low mood, under the threshold",
        Decision(Reply.risk, taper_signal=True),
    ),
    _rule(Situation.message, "no intent confident enough", Decision(Reply.clarify)),
    _rule(
        Situation.message,
        "a good mood without a sure positive reading (not confident, anything else raised, or a "
        "hopeless, negative or hedging word such as pointless, numb, meh, i guess)",
        Decision(Reply.acknowledge),
    ),
    _rule(Situation.message, "any other intent", Decision(Reply.ordinary)),
    _rule(Situation.message, "a chat that is not a client's, no crisis", Decision(Reply.stranger)),
    _rule(
        Situation.checkin_answer,
        "lowest mood, or warning signs at the clinic's threshold",
        Decision(Reply.reflection, AlertType.warning_signs, Severity.elevated, taper_signal=True),
    ),
    _rule(
        Situation.checkin_answer,
        "warning signs under the threshold, or a mood under calm",
        Decision(Reply.reflection, taper_signal=True),
    ),
    _rule(
        Situation.checkin_answer,
        "calm: no warning signs and a calm mood",
        Decision(Reply.reflection),
    ),
    _rule(
        Situation.checkin_note,
        "every note meets the message rules above first (crisis, needs review, lapse...)",
        Decision(Reply.reflection),
    ),
    _rule(
        Situation.silence,
        "missed in a row reaches the clinic's threshold (or more)",
        Decision(Reply.nudge, AlertType.missed_checkins, Severity.routine),
    ),
    _rule(Situation.silence, "under the threshold", Decision(Reply.nudge)),
    _rule(
        Situation.blocked,
        "Telegram says the client blocked the bot",
        Decision(Reply.none, AlertType.blocked, Severity.routine),
    ),
    _rule(
        Situation.return_request,
        "a new request",
        Decision(Reply.ordinary, AlertType.return_request, Severity.routine),
    ),
    _rule(Situation.return_request, "a request already open", Decision(Reply.ordinary)),
    _rule(
        Situation.question,
        "Yes, or I'd rather not say",
        Decision(Reply.crisis_after_asking, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.question,
        "No, I'm OK (the exchange stays on the record for review)",
        Decision(Reply.runner_up),
    ),
    _rule(
        Situation.question,
        "no answer by the clinic's deadline (default 15 min)",
        Decision(Reply.none, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.question,
        "they write instead of tapping: that message meets these rules on its own",
        Decision(Reply.none),
    ),
    _rule(
        Situation.typed_answer,
        "a crisis reading of the reply itself: the message rules (crisis first); the question "
        "closes",
        Decision(Reply.none),
    ),
    _rule(
        Situation.typed_answer,
        "yes-like or unsure (see the lists below): as Yes",
        Decision(Reply.crisis_after_asking, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.typed_answer,
        "a clear no (see the lists below): as No",
        Decision(Reply.runner_up),
    ),
    _rule(
        Situation.typed_answer,
        "anything else: read on its own by the message rules; the question stays open and its "
        "deadline still pages",
        Decision(Reply.none),
    ),
    _rule(
        Situation.command,
        "a crisis or ask reading: the message rules first; then the command's own answer only "
        "for " + ", ".join(ANSWER_AFTER_CRISIS),
        Decision(Reply.none),
    ),
    _rule(
        Situation.command,
        "a lapse, warning sign, trigger, low mood or needs review: the message rules, then the "
        "command's answer",
        Decision(Reply.command),
    ),
    _rule(
        Situation.command,
        "anything else (the words are the command's argument): the command's answer",
        Decision(Reply.command),
    ),
    _rule(
        Situation.command,
        "a command a stopped or graduated client cannot use (they can use "
        + ", ".join(AFTER_ENDING_COMMANDS)
        + ")",
        Decision(Reply.refused),
    ),
    _rule(
        Situation.command,
        "a chat that is not a client's: only /start with an invite code",
        Decision(Reply.stranger),
    ),
    _rule(
        Situation.stopped,
        "they confirm /stop",
        Decision(Reply.ordinary, AlertType.stopped, Severity.routine),
    ),
    _rule(
        Situation.undeliverable,
        "refused for good (400 three times, any other 4xx), or still not sent after 9 tries",
        Decision(Reply.none, AlertType.needs_review, Severity.routine),
    ),
    _rule(
        Situation.help_now,
        "always: the crisis resources, their plan step by step, and whether to tell the clinic",
        Decision(Reply.crisis),
    ),
    _rule(
        Situation.help_now,
        "they choose to tell the clinic",
        Decision(Reply.crisis_after_asking, AlertType.crisis, Severity.urgent),
    ),
    _rule(
        Situation.help_now,
        "they choose not to (the choice stays on record)",
        Decision(Reply.ordinary),
    ),
    _rule(
        Situation.failure,
        "the database is unavailable: the update is not confirmed to Telegram and is handled "
        "again, in order, once it answers (then stored, read and alerted once)",
        Decision(Reply.resources_now),
    ),
    _rule(
        Situation.failure,
        "any other failure: the words may mean danger or not, a person reads it",
        Decision(Reply.apology, AlertType.needs_review, Severity.routine),
    ),
)
_BY_WHEN = {rule.when: rule.decision for rule in RULES}


def pick(when: str) -> Decision:
    """The decision of the rule with these words (a KeyError names a rule that is not there)."""
    return _BY_WHEN[when]
