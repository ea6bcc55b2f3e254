"""Does a message restate one of the client's own warning signs or triggers?

"I slept badly again last night" restates the plan's "Sleeping badly for several nights". The
match is lexical, so it can be explained to a clinician: both texts become sets of concepts
(words stemmed, irregular forms, everyday synonyms and phrases folded together: "pointless",
"no point" and "what's the point" are one concept; filler dropped). An item's key concepts are
all but the words that frame it ("telling myself", "thinking"); it matches when the message
covers at least half of them, and at least two when it has two or more. A message that praises
what the item warns about ("slept well") does not match an item about things going badly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.nlu.readable import strip_marks
from bot.nlu.safety_net import normalize

# Least share of an item's concepts the message must mention.
MIN_COVERAGE = 0.5
# Least number of an item's concepts the message must mention (items of one concept need one).
MIN_SHARED = 2

_STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves im ive id ill dont cant wont didnt isnt wasnt havent hasnt couldnt wouldnt
    shouldnt doesnt arent werent get got getting gets keep keeps kept keeping still really
    lately recently last week weeks today yesterday tonight's several lot lots bit little much
    many every everything something anything nothing thing things like feel felt feeling
    start started starting go going gone went back even also maybe though always usually
    often sometimes time times day days one two three four five ago since yet already till
    til next round
    """.split()
)
# Irregular forms and everyday synonyms, folded onto one concept name.
_CONCEPTS: dict[str, list[str]] = {
    name: words.split()
    for name, words in {
        "sleep": "sleep slept asleep insomnia awake kip bed",
        "bad": "bad badly poor poorly terrible terribly awful awfully rubbish crap crappy rough"
        " horrible worse worst",
        "good": "good well great better best fine lovely brilliant soundly properly",
        "night": "night nights tonight overnight nightly",
        "eat": "eat ate eaten eating meal meals breakfast lunch dinner food supper",
        "skip": "skip skipped skipping miss missed missing",
        "cancel": "cancel cancelled canceled cancelling canceling bail bailed bailing flake flaked",
        "friend": "friend friends mate mates pal pals bestie",
        "plan": "plan plans planned arrangement arrangements meetup",
        "drink": "drink drank drunk drinking drinks booze boozing alcohol pint pints beer beers"
        " wine bar",
        "party": "party parties celebration celebrations",
        "work": "work job office colleague colleagues boss",
        "mum": "mum mom mam mother mummy",
        "dad": "dad father daddy",
        "death": "death died die dying passed passing funeral lost loss",
        "anniversary": "anniversary anniversaries",
        "alone": "alone lonely isolated isolating isolate",
        "avoid": "avoid avoided avoiding ignore ignored ignoring hide hid hiding dodging",
        "tell": "tell told telling say said saying",
        "spend": "spend spent spending shopping",
        "money": "money cash wages pay payday debt debts bills",
        "see": "see saw seen seeing meet met visit visited",
        "leave": "leave left leaving",
        "think": "think thought thoughts thinking",
        "argue": "argue argued arguing argument row rows fight fought fighting shouting",
        "ex": "ex ex's former",
        "home": "home house flat hometown",
        "family": "family relatives parents folks",
        "christmas": "christmas xmas",
        "phone": "phone texts messages calls",
        "scroll": "scroll scrolling doomscrolling",
        "wash": "wash washing shower showering bath",
        "tired": "tired exhausted drained knackered shattered",
        "cry": "cry cried crying tearful teary weepy tears",
        "worry": "worry worried worrying anxious anxiety nervous panicky",
        "irritable": "irritable snappy snapping snapped temper angry",
    }.items()
}
# Ways of saying one thought, found as phrases before single words are read.
_PHRASES: dict[str, re.Pattern[str]] = {
    "pointless": re.compile(
        r"\b(?:pointless|meaningless|futile|(?:no|what'?s the|whats the|not much|little|any)"
        r" point|is there (?:a|any) point)\b"
    ),
    "hopeless": re.compile(r"\b(?:hopeless|no hope|lost hope|losing hope)\b"),
    "tired": re.compile(r"\bworn out\b"),
    "worry": re.compile(r"\bon edge\b"),
}
_ANY_PHRASE = re.compile("|".join(f"(?P<{name}>{p.pattern})" for name, p in _PHRASES.items()))
# "What's the point of this reminder": said of one thing, not of everything, it is not the thought.
_OF_A_THING = re.compile(
    r"\b(?:what'?s|whats|is there (?:a|any)|no|not much) (?:the )?point (?:of|in) (?:this|that"
    r"|these|those|the|a|an|your)\b|\b(?:this|that|these|those|the|your) \w+(?: \w+)? (?:is|was"
    r"|are|were|seems|feels) (?:so |a bit |totally |completely )?pointless\b"
)
# How a sign shows ("telling myself", "thinking") rather than what it is: optional in a match.
_FRAMING = frozenset({"tell", "think"})
_BY_WORD = {word: concept for concept, words in _CONCEPTS.items() for word in words}
# Items that warn about things going badly do not match messages that only say they went well.
_NEGATIVE = "bad"
_POSITIVE = "good"
# "couldn't sleep", "not sleeping well": a negated word also means things went badly.
_NEGATORS = frozenset(
    "not no never dont don't didnt didn't havent haven't hasnt hasn't isnt isn't wasnt wasn't "
    "cant can't cannot couldnt couldn't wont won't barely hardly".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_SUFFIXES = ("ingly", "edly", "ness", "ing", "ies", "ied", "ed", "ly", "es", "s")


@dataclass(frozen=True)
class PlanMatch:
    """The plan item a message restates, and how much of it the message covered."""

    item: str
    kind: str  # "sign" | "trigger"
    coverage: float
    shared: int


def match_plan(
    text: str, warning_signs: Sequence[str] = (), triggers: Sequence[str] = ()
) -> PlanMatch | None:
    """The best-covered warning sign or trigger that `text` restates, or None.

    Ties go to the warning sign listed first, then the trigger listed first.
    """
    if not warning_signs and not triggers:
        return None
    message = concepts(text)
    if not message:
        return None
    best: PlanMatch | None = None
    candidates = [(item, "sign") for item in warning_signs]
    candidates += [(item, "trigger") for item in triggers]
    for item, kind in candidates:
        wanted = _item_concepts(item)
        if not wanted:
            continue
        if _NEGATIVE in wanted and _POSITIVE in message and _NEGATIVE not in message:
            continue
        key = wanted - _FRAMING or wanted
        covered = len(key & message)
        coverage = covered / len(key)
        if coverage < MIN_COVERAGE or covered < min(MIN_SHARED, len(key)):
            continue
        shared = len(wanted & message)
        if best is None or (coverage, shared) > (best.coverage, best.shared):
            best = PlanMatch(item=item, kind=kind, coverage=coverage, shared=shared)
    return best


def concepts(text: str) -> frozenset[str]:
    """The content concepts of `text`: phrases and stems of its words, synonyms folded, filler
    dropped ("there's no point" and "pointless" are one concept)."""
    plain = strip_marks(normalize(text))
    if "point" in plain:
        plain = _OF_A_THING.sub(" ", plain)
    found = {match.lastgroup for match in _ANY_PHRASE.finditer(plain) if match.lastgroup}
    words = _WORD.findall(_ANY_PHRASE.sub(" ", plain) if found else plain)
    for index, word in enumerate(words):
        if word not in _BY_WORD:
            word = word.removesuffix("'s")
        if word in _BY_WORD:
            concept = _BY_WORD[word]
        elif len(word) < 2 or word.replace("'", "") in _STOPWORDS or word in _NEGATORS:
            continue
        else:
            stem = stem_word(word)
            concept = _BY_WORD.get(stem, stem)
        if _NEGATORS.intersection(words[max(0, index - 2) : index]):
            if concept in (_POSITIVE, _NEGATIVE):
                concept = _NEGATIVE if concept == _POSITIVE else _POSITIVE
            else:
                found.add(_NEGATIVE)
        found.add(concept)
    return frozenset(found)


@lru_cache(maxsize=1024)
def _item_concepts(item: str) -> frozenset[str]:
    """Plan items repeat message after message; their concepts are worked out once."""
    return concepts(item)


def stem_word(word: str) -> str:
    """A light English stemmer: both sides of a comparison get the same cut, which is enough."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouys":
        word = word[:-1]  # skipp -> skip, cancell -> cancel, tell -> tel
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # make, making -> mak
    return word
