"""What a reply typed (not tapped) to the direct question counts as: Yes, No, or neither.

People answer in words as often as with buttons. A yes-like or unsure reply counts as Yes (when in
doubt, a person looks); only a clear no counts as No; anything else leaves the question open, so
its deadline still pages the clinic unless the client later says No. The lists are part of the
signed policy page (docs/escalation-policy.md).
"""

from __future__ import annotations

import enum
import re

from bot.nlu.safety_net import normalize

# Yes-like replies.
YES_WORDS = (
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "yh",
    "y",
    "ye",
    "ok",
    "okay",
    "k",
    "i am",
    "i do",
    "i have",
    "i have been",
    "true",
    "correct",
    "yes please",
    "help",
)
# Unsure, or not wanting to say: these count as Yes too (a person looks).
UNSURE_WORDS = (
    "maybe",
    "perhaps",
    "possibly",
    "probably",
    "kind of",
    "kinda",
    "sort of",
    "sorta",
    "a bit",
    "a little",
    "sometimes",
    "not sure",
    "im not sure",
    "i'm not sure",
    "unsure",
    "idk",
    "i don't know",
    "i dont know",
    "dunno",
    "i guess",
    "i think so",
    "rather not say",
    "i'd rather not say",
    "id rather not say",
    "rather not",
    "i'd rather not",
    "don't want to talk",
    "dont want to talk",
    "don't want to say",
    "dont want to say",
    "not telling",
    "leave me alone",
)
# A clear no: the only replies that close the question as No.
NO_WORDS = (
    "no",
    "nope",
    "nah",
    "n",
    "no thanks",
    "no thank you",
    "not really",
    "not at all",
    "never",
    "i'm ok",
    "im ok",
    "i am ok",
    "i'm okay",
    "im okay",
    "i am okay",
    "i'm fine",
    "im fine",
    "i am fine",
    "i'm good",
    "im good",
    "i am good",
    "i'm alright",
    "im alright",
    "i am alright",
    "all good",
    "i'm not",
    "im not",
    "i am not",
    "i don't",
    "i dont",
    "no i'm not",
    "no im not",
    "no i am not",
    "no i'm ok",
    "no im ok",
    "no i'm fine",
    "no im fine",
    "i'm safe",
    "im safe",
    "i am safe",
)
# After a leading yes or no, at most this many more words still make it an answer to the question
# ("yes i have been thinking about it", "no, i'm fine thanks"); a longer one is read on its own.
MORE_WORDS = 12


class TypedReply(enum.StrEnum):
    yes = "yes"
    no = "no"
    neither = "neither"


def _plain(text: str) -> str:
    """Lower case, one kind of apostrophe, no punctuation or emoji, stretched letters shortened."""
    text = normalize(text)
    text = re.sub(r"[^\w' ]+", " ", text)
    text = re.sub(r"(\w)\1{2,}", r"\1", text)  # "yesss", "nooo"
    return " ".join(word.strip("'") for word in text.split() if word.strip("'"))


def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    # Longest first, so "no i'm not" wins over "no" and "i'm not sure" over "i'm not".
    return tuple(sorted((tuple(_plain(w).split()) for w in words), key=len, reverse=True))


_YES = _phrases(YES_WORDS + UNSURE_WORDS)
_NO = _phrases(NO_WORDS)


def _leading(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    for phrase in phrases:
        if tuple(words[: len(phrase)]) == phrase:
            return phrase
    return None


def _contains(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(
        tuple(words[i : i + len(phrase)]) == phrase
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
    )


def read_typed_reply(text: str) -> TypedReply:
    """Yes (yes-like or unsure), No (a clear no), or neither (read on its own, question open)."""
    words = _plain(text).split()
    if not words:
        return TypedReply.neither
    yes, no = _leading(words, _YES), _leading(words, _NO)
    # The longer match decides: "i'm not sure" is unsure (yes), "i'm not" is no.
    if yes is not None and (no is None or len(yes) >= len(no)):
        lead, answer = yes, TypedReply.yes
    elif no is not None:
        lead, answer = no, TypedReply.no
    else:
        return TypedReply.neither
    rest = words[len(lead) :]
    if len(rest) > MORE_WORDS:
        return TypedReply.neither
    if answer is TypedReply.no and _contains(rest, _YES):
        # "no... maybe", "nah idk", "no i don't want to talk": unsure wins, a person looks.
        return TypedReply.yes
    return answer
