"""The policy's decisions: each situation, with what is known of it, to the rule that holds.

Every function picks a rule of `RULES` by its words, so what runs is what the signed page says.
"""

from __future__ import annotations

from bot.nlu.understanding import Risk, Understanding
from bot.policy import screener_rules
from bot.policy.deadlines import LOWEST_MOOD, WARNING_REPORT_INTENTS, is_calm
from bot.policy.rules import (
    AFTER_ENDING_COMMANDS,
    ANSWER_AFTER_CRISIS,
    RISKY_INTENTS,
    Decision,
    Reply,
    pick,
)
from bot.policy.typed_reply import TypedReply


def decide_message(
    understanding: Understanding,
    *,
    known: bool,
    ended: bool,
    threshold_met: bool,
    edited: bool = False,
    sure_positive: bool = True,
) -> Decision:
    """A message from anyone: crisis first, whoever sends it and however."""
    if understanding.risk is Risk.crisis:
        if not known:
            return pick("risk is crisis from a chat that is not a client's")
        return pick("risk is crisis (safety net or classifier), any client status")
    if not known:
        if understanding.risk is Risk.ask:  # nobody to ask on behalf of: resources, unasked
            return pick("risk is crisis from a chat that is not a client's")
        return pick("a chat that is not a client's, no crisis")
    if understanding.risk is Risk.ask:
        return pick(
            "risk is ask (a crisis reading that is not sure, no safety-net rule), known client"
        )
    if edited:
        return pick(
            "an edited message without a crisis or ask reading (an edit is read for danger only)"
        )
    if understanding.unreadable:
        return pick(
            "a message in a language the bot cannot read (long enough to identify, no crisis "
            "reading; the crisis nets read every language first)"
        )
    if understanding.risk is Risk.needs_review:
        return pick("risk is needs_review (classifier failed or unsure)")
    if ended:
        return pick("client has stopped messages, no crisis")
    if understanding.intent == "report_lapse":
        return pick("intent is report_lapse")
    if understanding.intent in RISKY_INTENTS:
        if threshold_met:
            return pick("warning sign, trigger or low mood, at the clinic's threshold")
        return pick("warning sign, trigger or low mood, under the threshold")
    if understanding.is_fallback:
        return pick("no intent confident enough")
    if understanding.intent == "mood_good" and not sure_positive:
        return pick(
            "a good mood without a sure positive reading (not confident, anything else raised, "
            "or a hopeless, negative or hedging word such as pointless, numb, meh, i guess)"
        )
    return pick("any other intent")


def decide_typed_answer(reply: TypedReply, reading: Understanding) -> Decision:
    """A reply typed while the direct question is open; `reply` is what its words count as."""
    if reading.risk is Risk.crisis:
        return pick(
            "a crisis reading of the reply itself: the message rules (crisis first); the "
            "question closes"
        )
    if reply is TypedReply.yes:
        return pick("yes-like or unsure (see the lists below): as Yes")
    if reply is TypedReply.no:
        return pick("a clear no (see the lists below): as No")
    return pick(
        "anything else: read on its own by the message rules; the question stays open and its "
        "deadline still pages"
    )


def decide_command(
    command: str, reading: Understanding | None, *, known: bool, ended: bool
) -> Decision:
    """Words after a command meet the message rules first; this says whether the command's own
    answer is given, and how (`Reply.none`: it is not, `Reply.refused`/`stranger`: refused)."""
    if reading is not None and reading.risk in (Risk.crisis, Risk.ask):
        when = (
            "a crisis or ask reading: the message rules first; then the command's own answer "
            "only for " + ", ".join(ANSWER_AFTER_CRISIS)
        )
        if command in ANSWER_AFTER_CRISIS:
            return Decision(Reply.command, rule=when)
        return pick(when)
    if not known and command != "/start":
        return pick("a chat that is not a client's: only /start with an invite code")
    if ended and command not in AFTER_ENDING_COMMANDS:
        return pick(
            "a command a stopped or graduated client cannot use (they can use "
            + ", ".join(AFTER_ENDING_COMMANDS)
            + ")"
        )
    if reading is not None and (
        reading.intent in RISKY_INTENTS or reading.risk is Risk.needs_review
    ):
        return pick(
            "a lapse, warning sign, trigger, low mood or needs review: the message rules, then "
            "the command's answer"
        )
    return pick("anything else (the words are the command's argument): the command's answer")


def command_words_matter(reading: Understanding) -> bool:
    """Whether a command's words are handled as a message as well (stored, answered, alerted)."""
    return reading.risk in (Risk.crisis, Risk.ask, Risk.needs_review) or (
        reading.intent in RISKY_INTENTS
    )


def decide_help_now() -> Decision:
    return pick("they choose to tell the clinic")


def decide_failure(*, database_unavailable: bool) -> Decision:
    if database_unavailable:
        return pick(
            "the database is unavailable: the update is not confirmed to Telegram and is handled "
            "again, in order, once it answers (then stored, read and alerted once)"
        )
    return pick("any other failure: the words may mean danger or not, a person reads it")


def threshold_matters(understanding: Understanding) -> bool:
    """Whether `decide_message` may read `threshold_met` here; counting it costs queries."""
    return understanding.intent in WARNING_REPORT_INTENTS


def decide_nothing_to_read() -> Decision:
    return pick("nothing to read (a sticker, voice note, photo or file without a caption)")


def decide_checkin_answer(*, mood: int | None, signs: int, threshold_met: bool) -> Decision:
    if mood == LOWEST_MOOD or (signs and threshold_met):
        return pick("lowest mood, or warning signs at the clinic's threshold")
    if not is_calm(mood=mood, signs=signs):
        return pick("warning signs under the threshold, or a mood under calm")
    return pick("calm: no warning signs and a calm mood")


def decide_silence(*, missed_in_a_row: int, threshold: int) -> Decision:
    if missed_in_a_row >= threshold:
        return pick("missed in a row reaches the clinic's threshold (or more)")
    return pick("under the threshold")


def decide_blocked() -> Decision:
    return pick("Telegram says the client blocked the bot")


def decide_return_request(*, created: bool) -> Decision:
    return pick("a new request" if created else "a request already open")


def decide_undeliverable() -> Decision:
    return pick(
        "refused for good (400 three times, any other 4xx), or still not sent after 9 tries"
    )


def decide_question(answer: str) -> Decision:
    """`answer` is a QuestionAnswer value: yes, no, rather_not_say, wrote or unanswered."""
    if answer in ("yes", "rather_not_say"):
        return pick("Yes, or I'd rather not say")
    if answer == "no":
        return pick("No, I'm OK (the exchange stays on the record for review)")
    if answer == "unanswered":
        return pick("no answer by the clinic's deadline (default 15 min)")
    return pick("they write instead of tapping: that message meets these rules on its own")


def decide_stopped() -> Decision:
    return pick("they confirm /stop")


# -- validated screeners (rules in screener_rules.py) -----------------------------------------


def decide_item9(value: int, *, any_positive_urgent: bool) -> Decision:
    """PHQ-9 item 9 answered; `value` scores the answer: 0 "Not at all", 1 "Several days",
    2 "More than half the days", 3 "Nearly every day"."""
    if value >= 2:
        return screener_rules.pick(
            '"More than half the days" or "Nearly every day": the crisis path at once; the '
            "alert names the item and the answer"
        )
    if value >= 1 and any_positive_urgent:
        return screener_rules.pick(
            'any answer above "Not at all" when the clinic makes every positive item 9 urgent'
        )
    if value == 1:
        return screener_rules.pick(
            '"Several days": the direct question with the crisis resources; the questionnaire waits'
        )
    return screener_rules.pick(
        '"Not at all" (no reassurance: every message still meets the safety net)'
    )


def decide_item9_question(answer: str) -> Decision:
    """The direct question after item 9 "Several days"; `answer` is a QuestionAnswer value."""
    if answer in ("yes", "rather_not_say"):
        return screener_rules.pick(
            "Yes, or I'd rather not say: the crisis path; the questionnaire ends there"
        )
    if answer == "no":
        return screener_rules.pick(
            'No, I\'m OK: an alert "item 9: several days" a person reviews; the questionnaire '
            "goes on"
        )
    return screener_rules.pick(
        "no answer by the clinic's deadline (default 15 min): the alert names item 9"
    )


def decide_screener_total(*, reliable_deterioration: bool) -> Decision:
    if reliable_deterioration:
        return screener_rules.pick("reliable deterioration: PHQ-9 up 6 or more, GAD-7 up 4 or more")
    return screener_rules.pick(
        "anything else (a move back into caseness after recovery is shown, not alerted)"
    )


def decide_screener_interrupted() -> Decision:
    """A crisis or ask reading of a message written while a screener is open."""
    return screener_rules.pick(
        "a crisis or ask reading: the message rules first; the screener waits (nothing more of "
        "it is sent or reminded; a tap on its last question resumes it)"
    )
