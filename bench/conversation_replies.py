"""Which of the bot's messages answers which client message, read from the fake's call log.

The bot answers one chat's updates in order, but the second and later messages of an answer
(the crisis steps, "I've let the clinic know") can arrive after the client's next message was
pushed. The first reply to a message is therefore the first accepted sendMessage to that chat
after the push that is not one of those follow-ups.
"""

from __future__ import annotations

from bot.texts import crisis as crisis_text
from bot.texts import dialogue as dialogue_text
from tests.support.fake_bot_api import FakeBotApi
from tests.support.recording import Call


def _opening(template: str) -> str:
    """The fixed words a template starts with, before its first placeholder."""
    return template.split("{", 1)[0]


FOLLOW_UP_OPENINGS = tuple(
    _opening(t)
    for t in (
        crisis_text.ALERTED,
        crisis_text.ALERTED_CLOSED,
        dialogue_text.CLINIC_TOLD,
        dialogue_text.CLINIC_TOLD_CLOSED,
        dialogue_text.CRISIS_STEP_COPING,
        dialogue_text.CRISIS_STEP_PEOPLE,
        dialogue_text.CRISIS_STEP_PROFESSIONALS,
        dialogue_text.CRISIS_END,
    )
)


def is_follow_up(call: Call) -> bool:
    """A later part of an answer, never the first thing said in reply to a message."""
    return str(call.params.get("text", "")).startswith(FOLLOW_UP_OPENINGS)


def _content(call: Call) -> str:
    return f"{call.params.get('text', '')}\x00{call.params.get('reply_markup', '')}"


def accepted_sends(fake: FakeBotApi, chat_id: int) -> list[tuple[int, Call, bool]]:
    """The chat's accepted sendMessage calls as (index among all its calls, call, repeat):
    `repeat` marks a resend of an earlier call that was delivered but answered late (under
    random faults the bot timed out on it and sent it again)."""
    out: list[tuple[int, Call, bool]] = []
    waiting: list[str] = []
    for index, call in enumerate(fake.calls_to("sendMessage", chat_id)):
        if not call.ok:
            continue
        content = _content(call)
        repeat = content in waiting
        if repeat:
            waiting.remove(content)
        if fake.answered_late(call):
            waiting.append(content)
        out.append((index, call, repeat))
    return out


def repeats(fake: FakeBotApi, chat_id: int) -> int:
    """Messages this chat received twice because a late answer made the bot send them again."""
    return sum(1 for _, _, repeat in accepted_sends(fake, chat_id) if repeat)


def first_reply(fake: FakeBotApi, chat_id: int, after: int) -> tuple[Call | None, int]:
    """The first reply among the chat's sendMessage calls from index `after` on, and how many
    follow-ups of an earlier answer (or resends of one) came before it."""
    late = 0
    for index, call, repeat in accepted_sends(fake, chat_id):
        if index < after:
            continue
        if repeat or is_follow_up(call):
            late += 1
            continue
        return call, late
    return None, late


def any_reply_with(fake: FakeBotApi, chat_id: int, after: int, *needles: str) -> Call | None:
    """The first accepted sendMessage to the chat from index `after` on holding every needle."""
    for index, call, _ in accepted_sends(fake, chat_id):
        text = str(call.params.get("text", ""))
        if index >= after and all(needle in text for needle in needles):
            return call
    return None


def staff_alert(fake: FakeBotApi, staff_chat: int, pseudonym: str, since: float) -> Call | None:
    """The first crisis alert about `pseudonym` posted in the staff group at or after `since`."""
    marker = f"· crisis · client {pseudonym}"
    for call in fake.calls_to("sendMessage", staff_chat):
        if call.ok and call.at >= since and marker in str(call.params.get("text", "")):
            return call
    return None
