"""Praise only on a sure reading: a confident mood_good reading and no negative word."""

from __future__ import annotations

import dataclasses

import pytest

from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.praise import PRAISE_CONFIDENCE, deserves_praise, negative_cues
from bot.nlu.service import Understander
from bot.nlu.understanding import Risk, Understanding

SURE = Understanding("mood_good", 0.95, Risk.none, "embedded")


@pytest.mark.parametrize(
    "text",
    [
        "feeling good today",
        "had a lovely day with the kids",
        "doing really well thanks",
        "all good here 😊",
    ],
)
async def test_a_sure_positive_message_is_praised(text: str, embedded: EmbeddedClassifier) -> None:
    reading = await Understander(embedded=embedded).understand(text)
    assert deserves_praise(reading, text), reading


@pytest.mark.parametrize(
    "text",
    [
        "everything feels pointless lately",  # the example
        "feeling empty",
        "kind of numb today",
        "cant be bothered with anything",
        "meh",
        "not great",
        "i'm in a good place but i'm feeling a burden to everyone",
    ],
)
async def test_a_hopeless_or_negative_message_is_not(
    text: str, embedded: EmbeddedClassifier
) -> None:
    reading = await Understander(embedded=embedded).understand(text)
    assert not deserves_praise(reading, text), reading


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("good day but everything feels pointless", "pointless"),
        ("Good day, POINTLESS though", "pointless"),
        ("good, just a bit empty", "empty"),
        ("happy but numb", "empty"),
        ("good, no point complaining", "pointless"),
        ("fine, can\u2019t be bothered to say more", "can't be bothered"),  # curly apostrophe
        ("CANT BE BOTHERED", "can't be bothered"),
        ("what\u2019s the point, great day", "pointless"),
        ("meeeeh, good i suppose", "meh"),
        ("good i guess", "hedged"),
        ("not great, but good", "not great"),
        ("feeling good 😔", "sad emoji"),
    ],
)
def test_negative_cues_are_read_like_the_safety_net_reads(text: str, cue: str) -> None:
    assert cue in negative_cues(text)
    assert not deserves_praise(SURE, text)


@pytest.mark.parametrize(
    "text", ["feeling great today", "had a brilliant weekend", "calmed down and feeling good"]
)
def test_plain_good_news_has_no_negative_cue(text: str) -> None:
    assert negative_cues(text) == ()
    assert deserves_praise(SURE, text)


@pytest.mark.parametrize(
    "change",
    [
        {"intent": "mood_low"},
        {"intent": "thanks"},
        {"confidence": PRAISE_CONFIDENCE},
        {"confidence": 0.5},
        {"risk": Risk.elevated},
        {"risk": Risk.ask},
        {"risk": Risk.needs_review},
        {"net_matches": ("goodbye_forever",)},
        {"cue_matches": ("giving_away",)},
        {"matched_sign": "Sleeping badly for several nights"},
        {"matched_trigger": "Work parties where everyone is drinking"},
    ],
)
def test_anything_short_of_a_sure_plain_reading_gets_no_praise(change: dict[str, object]) -> None:
    reading = dataclasses.replace(SURE, **change)
    assert not deserves_praise(reading, "feeling great today")
