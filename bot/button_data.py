"""The button-data codec: what every inline button carries, built and read in this one place.

Telegram hands back whatever a client's app sends as callback data, so it is untrusted input:
`parse` accepts only the exact shapes the builders below produce (known prefix and verb, the
right number of parts, ids as plain decimal in 1..2**31-1, small values from their closed
sets) and returns None for everything else, so a forged tap gets a quiet refusal, never an
exception or a 20-digit id reaching the database.

Wire formats (all ASCII, at most 64 bytes, ':'-separated):

    consent:yes|no:<invite id>           Consent
    ci:<checkin id>:m:<mood 1-5>         CheckinTap action "m"
    ci:<checkin id>:s:<sign index>       CheckinTap action "s"
    ci:<checkin id>:done|none|skip       CheckinTap
    cr:<step id>:helped|next|tell|later  CrisisStep (tell/later: whether to tell the clinic)
    dlg:<intent>|other                   Meaning
    pref:pause:yes|no                    Pause
    pref:win:<window name>               Window
    pref:lang:<language code>            Language (one the bot speaks)
    stop:yes|no                          Stop
    del:1|2|no                           Delete (first yes, second yes, cancel)
    al:<alert id>:ack|res                AlertPress ("resolve" is read as "res" too)
    ask:<question id>:yes|no|rather      QuestionAnswer (the direct question about safety)
    sc:<administration id>:<item 1-20>:<answer 0-9>   ScreenerTap (a validated screener's item)
    sc:<administration id>:later         ScreenerTap "Not now"

Pure: no Telegram imports, so domain code that prepares buttons can use it as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from bot.texts import checkin as checkin_text
from bot.texts import dialogue as dialogue_text
from bot.texts.translation import SUPPORTED

MAX_BYTES = 64
MAX_ID = 2**31 - 1
# Generous: a plan's warning signs are far fewer; the handler checks against the plan itself.
MAX_SIGN_INDEX = 99
# A screener's item number within its family, and an answer's score; the handler checks both
# against the instrument itself.
MAX_SCREENER_ITEM = 20
MAX_SCREENER_ANSWER = 9
WINDOW_NAMES = ("morning", "midday", "evening", "late")
OTHER_MEANING = "other"

CONSENT = "consent"
CHECKIN = "ci"
CRISIS = "cr"
MEANING = "dlg"
PREFERENCE = "pref"
STOP = "stop"
DELETE = "del"
ALERT = "al"
QUESTION = "ask"
SCREENER = "sc"

CheckinAction = Literal["m", "s", "done", "none", "skip"]
CrisisResponse = Literal["helped", "next", "tell", "later"]
DeleteStep = Literal["first", "second", "cancel"]
AlertAction = Literal["ack", "resolve"]
QuestionChoice = Literal["yes", "no", "rather"]

_ID = re.compile(r"[1-9][0-9]{0,9}")
_SMALL = re.compile(r"0|[1-9][0-9]{0,2}")
_YES_NO = {"yes": True, "no": False}
_DELETE_WIRE: dict[DeleteStep, str] = {"first": "1", "second": "2", "cancel": "no"}
_ALERT_WIRE: dict[AlertAction, str] = {"ack": "ack", "resolve": "res"}


class Invalid(ValueError):
    """A value a button may not carry (raised by builders; `parse` turns it into None)."""


def _check_id(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise Invalid(f"{what} {value!r} is not in 1..{MAX_ID}")


def _read_id(text: str, what: str) -> int:
    if not _ID.fullmatch(text):
        raise Invalid(f"{what} {text!r} is not a plain decimal id")
    value = int(text)
    _check_id(value, what)
    return value


def _read_small(text: str) -> int:
    if not _SMALL.fullmatch(text):
        raise Invalid(f"{text!r} is not a small plain decimal")
    return int(text)


def _yes_no(text: str) -> bool:
    if text not in _YES_NO:
        raise Invalid(f"{text!r} is neither yes nor no")
    return _YES_NO[text]


def _word(flag: bool) -> str:
    return "yes" if flag else "no"


@dataclass(frozen=True)
class Consent:
    agree: bool
    invite_id: int

    def __post_init__(self) -> None:
        _check_id(self.invite_id, "invite id")

    @property
    def data(self) -> str:
        return f"{CONSENT}:{_word(self.agree)}:{self.invite_id}"


@dataclass(frozen=True)
class CheckinTap:
    """A mood ("m", value 1-5), a warning sign toggled ("s", value its index), or a step."""

    checkin_id: int
    action: CheckinAction
    value: int | None = None

    def __post_init__(self) -> None:
        _check_id(self.checkin_id, "check-in id")
        if self.action not in get_args(CheckinAction):
            raise Invalid(f"unknown check-in action {self.action!r}")
        if self.action == "m":
            if self.value not in checkin_text.MOODS:
                raise Invalid(f"mood {self.value!r} is not on the scale")
        elif self.action == "s":
            if not isinstance(self.value, int) or not 0 <= self.value <= MAX_SIGN_INDEX:
                raise Invalid(f"warning sign index {self.value!r} is out of range")
        elif self.value is not None:
            raise Invalid(f"check-in action {self.action!r} carries no value")

    @property
    def data(self) -> str:
        tail = "" if self.value is None else f":{self.value}"
        return f"{CHECKIN}:{self.checkin_id}:{self.action}{tail}"


@dataclass(frozen=True)
class CrisisStep:
    step_id: int
    response: CrisisResponse

    def __post_init__(self) -> None:
        _check_id(self.step_id, "crisis step id")
        if self.response not in get_args(CrisisResponse):
            raise Invalid(f"unknown crisis step response {self.response!r}")

    @property
    def data(self) -> str:
        return f"{CRISIS}:{self.step_id}:{self.response}"


@dataclass(frozen=True)
class Meaning:
    """What the client meant after a low-confidence message: an intent with a label, or other."""

    intent: str

    def __post_init__(self) -> None:
        if self.intent != OTHER_MEANING and self.intent not in dialogue_text.LABELS:
            raise Invalid(f"unknown meaning {self.intent!r}")

    @property
    def data(self) -> str:
        return f"{MEANING}:{self.intent}"


@dataclass(frozen=True)
class Pause:
    yes: bool

    @property
    def data(self) -> str:
        return f"{PREFERENCE}:pause:{_word(self.yes)}"


@dataclass(frozen=True)
class Window:
    name: str

    def __post_init__(self) -> None:
        if self.name not in WINDOW_NAMES:
            raise Invalid(f"unknown check-in window {self.name!r}")

    @property
    def data(self) -> str:
        return f"{PREFERENCE}:win:{self.name}"


@dataclass(frozen=True)
class Language:
    code: str

    def __post_init__(self) -> None:
        if self.code not in SUPPORTED:
            raise Invalid(f"unknown language {self.code!r}")

    @property
    def data(self) -> str:
        return f"{PREFERENCE}:lang:{self.code}"


@dataclass(frozen=True)
class Stop:
    yes: bool

    @property
    def data(self) -> str:
        return f"{STOP}:{_word(self.yes)}"


@dataclass(frozen=True)
class Delete:
    step: DeleteStep

    def __post_init__(self) -> None:
        if self.step not in _DELETE_WIRE:
            raise Invalid(f"unknown delete step {self.step!r}")

    @property
    def data(self) -> str:
        return f"{DELETE}:{_DELETE_WIRE[self.step]}"


@dataclass(frozen=True)
class AlertPress:
    alert_id: int
    action: AlertAction

    def __post_init__(self) -> None:
        _check_id(self.alert_id, "alert id")
        if self.action not in _ALERT_WIRE:
            raise Invalid(f"unknown alert action {self.action!r}")

    @property
    def data(self) -> str:
        return f"{ALERT}:{self.alert_id}:{_ALERT_WIRE[self.action]}"


@dataclass(frozen=True)
class QuestionAnswer:
    question_id: int
    choice: QuestionChoice

    def __post_init__(self) -> None:
        _check_id(self.question_id, "question id")
        if self.choice not in get_args(QuestionChoice):
            raise Invalid(f"unknown answer {self.choice!r}")

    @property
    def data(self) -> str:
        return f"{QUESTION}:{self.question_id}:{self.choice}"


@dataclass(frozen=True)
class ScreenerTap:
    """An answer to a screener's item (its number in the family, the answer's score), or
    "Not now" (no item, no answer)."""

    administration_id: int
    item: int | None = None
    answer: int | None = None

    def __post_init__(self) -> None:
        _check_id(self.administration_id, "administration id")
        if (self.item is None) != (self.answer is None):
            raise Invalid("a screener answer needs both its item and its value")
        if self.item is not None and self.answer is not None:
            if isinstance(self.item, bool) or not 1 <= self.item <= MAX_SCREENER_ITEM:
                raise Invalid(f"screener item {self.item!r} is out of range")
            if isinstance(self.answer, bool) or not 0 <= self.answer <= MAX_SCREENER_ANSWER:
                raise Invalid(f"screener answer {self.answer!r} is out of range")

    @property
    def later(self) -> bool:
        return self.item is None

    @property
    def data(self) -> str:
        if self.item is None:
            return f"{SCREENER}:{self.administration_id}:later"
        return f"{SCREENER}:{self.administration_id}:{self.item}:{self.answer}"


Callback = (
    Consent
    | CheckinTap
    | CrisisStep
    | Meaning
    | Pause
    | Window
    | Language
    | Stop
    | Delete
    | AlertPress
    | QuestionAnswer
    | ScreenerTap
)


# -- builders: the data string for each button ------------------------------------------------


def consent(agree: bool, invite_id: int) -> str:
    return Consent(agree, invite_id).data


def checkin_mood(checkin_id: int, mood: int) -> str:
    return CheckinTap(checkin_id, "m", mood).data


def checkin_sign(checkin_id: int, index: int) -> str:
    return CheckinTap(checkin_id, "s", index).data


def checkin_step(checkin_id: int, action: Literal["done", "none", "skip"]) -> str:
    return CheckinTap(checkin_id, action).data


def crisis_step(step_id: int, response: CrisisResponse) -> str:
    return CrisisStep(step_id, response).data


def meaning(intent: str) -> str:
    return Meaning(intent).data


def pause(yes: bool) -> str:
    return Pause(yes).data


def window(name: str) -> str:
    return Window(name).data


def language(code: str) -> str:
    return Language(code).data


def stop(yes: bool) -> str:
    return Stop(yes).data


def delete(step: DeleteStep) -> str:
    return Delete(step).data


def alert(alert_id: int, action: AlertAction) -> str:
    return AlertPress(alert_id, action).data


def question(question_id: int, choice: QuestionChoice) -> str:
    return QuestionAnswer(question_id, choice).data


def screener_answer(administration_id: int, item: int, answer: int) -> str:
    return ScreenerTap(administration_id, item, answer).data


def screener_later(administration_id: int) -> str:
    return ScreenerTap(administration_id).data


# -- reading ----------------------------------------------------------------------------------


def _consent(parts: list[str]) -> Callback:
    answer, invite = parts
    return Consent(_yes_no(answer), _read_id(invite, "invite id"))


def _checkin(parts: list[str]) -> Callback:
    checkin_id = _read_id(parts[0], "check-in id")
    match parts[1:]:
        case ["m" | "s" as action, value]:
            return CheckinTap(checkin_id, action, _read_small(value))
        case ["done" | "none" | "skip" as action]:
            return CheckinTap(checkin_id, action)
    raise Invalid(f"unknown check-in tap {parts!r}")


def _crisis(parts: list[str]) -> Callback:
    step, response = parts
    if response not in get_args(CrisisResponse):
        raise Invalid(f"unknown crisis step response {response!r}")
    return CrisisStep(_read_id(step, "crisis step id"), response)  # type: ignore[arg-type]


def _meaning(parts: list[str]) -> Callback:
    [intent] = parts
    return Meaning(intent)


def _preference(parts: list[str]) -> Callback:
    kind, choice = parts
    if kind == "pause":
        return Pause(_yes_no(choice))
    if kind == "win":
        return Window(choice)
    if kind == "lang":
        return Language(choice)
    raise Invalid(f"unknown preference {kind!r}")


def _stop(parts: list[str]) -> Callback:
    [answer] = parts
    return Stop(_yes_no(answer))


def _delete(parts: list[str]) -> Callback:
    [wire] = parts
    for step, known in _DELETE_WIRE.items():
        if wire == known:
            return Delete(step)
    raise Invalid(f"unknown delete step {wire!r}")


def _alert(parts: list[str]) -> Callback:
    alert_id, wire = parts
    action: AlertAction
    if wire == "ack":
        action = "ack"
    elif wire in ("res", "resolve"):
        action = "resolve"
    else:
        raise Invalid(f"unknown alert action {wire!r}")
    return AlertPress(_read_id(alert_id, "alert id"), action)


def _question(parts: list[str]) -> Callback:
    question_id, choice = parts
    if choice not in get_args(QuestionChoice):
        raise Invalid(f"unknown answer {choice!r}")
    return QuestionAnswer(_read_id(question_id, "question id"), choice)  # type: ignore[arg-type]


_DIGIT = re.compile(r"[0-9]")


def _screener(parts: list[str]) -> Callback:
    administration_id = _read_id(parts[0], "administration id")
    match parts[1:]:
        case ["later"]:
            return ScreenerTap(administration_id)
        case [item, answer] if _DIGIT.fullmatch(answer):
            return ScreenerTap(administration_id, _read_id(item, "screener item"), int(answer))
    raise Invalid(f"unknown screener tap {parts!r}")


_READERS = {
    CONSENT: _consent,
    CHECKIN: _checkin,
    CRISIS: _crisis,
    MEANING: _meaning,
    PREFERENCE: _preference,
    STOP: _stop,
    DELETE: _delete,
    ALERT: _alert,
    QUESTION: _question,
    SCREENER: _screener,
}


def parse(data: object) -> Callback | None:
    """The button this data came from, or None for anything a builder here would not make."""
    if not isinstance(data, str) or not data.isascii() or not 0 < len(data) <= MAX_BYTES:
        return None
    prefix, colon, rest = data.partition(":")
    reader = _READERS.get(prefix)
    if reader is None or not colon:
        return None
    try:
        return reader(rest.split(":"))
    except ValueError:  # Invalid, or unpacking the wrong number of parts
        return None


def has_prefix(data: object, prefix: str) -> bool:
    """Whether the data claims this prefix (valid or not): for routing to the handler that
    then parses it and refuses what is forged."""
    return isinstance(data, str) and data.startswith(prefix + ":")
