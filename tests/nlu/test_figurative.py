"""The idiom guard: idioms that explain every death word are found; other danger keeps them off."""

from __future__ import annotations

import pytest

from bot.nlu.figurative import figurative_matches
from bot.nlu.risk import assess_risk
from bot.nlu.safety_net import crisis_matches
from bot.nlu.thresholds import Thresholds
from bot.nlu.understanding import Classification, Risk

T = Thresholds(page=0.6, ask=0.2)


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("you have to try this cake, it's to die for", "wanting"),
        ("my kettle died this morning", "things"),
        ("the stag do could kill my sobriety", "hyperbole"),
        ("we killed a bottle of prosecco at the weekend", "hyperbole"),
        ("i'm dead tired after the night shift", "hyperbole"),
        ("lol i'm dead, the dog ate my toast", "laughing"),
        ("had me in stitches, nearly died", "laughing"),
    ],
)
def test_idioms_that_explain_every_death_word_are_found(text: str, family: str) -> None:
    assert family in figurative_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "i killed a bottle of wine and i want to die tonight",
        "my phone died and i can't do this anymore",
        "killing it at work lol but honestly what's the point of me",
        "dead tired and i feel like a burden",
        "my laptop died, i give up on everything",
        "lol i'm dead inside, i don't want to be alive",
        "that song is to die for but i've got my pills ready",
    ],
)
def test_an_idiom_beside_other_danger_explains_nothing(text: str) -> None:
    assert figurative_matches(text) == ()


def test_no_idiom_no_match() -> None:
    assert figurative_matches("i want to die") == ()
    assert figurative_matches("had a lovely walk") == ()


@pytest.mark.parametrize(
    "text",
    [
        "i killed a bottle of wine and i want to die tonight",
        "this queue is killing me and i want to kill myself",
        "my phone died, goodbye forever everyone",
    ],
)
def test_literal_danger_beside_an_idiom_still_escalates(text: str) -> None:
    # Whatever the classifier says, even a confident non-crisis reading.
    lapse = Classification("report_lapse", 0.95, (("report_lapse", 0.95), ("crisis", 0.04)))
    assert assess_risk(lapse, crisis_matches(text), figurative_matches(text), T) == Risk.crisis


def test_classifier_crisis_beside_an_idiom_and_other_danger_words_is_kept() -> None:
    text = "my phone died and i can't do this anymore"
    unsure = Classification("crisis", 0.55, (("crisis", 0.55), ("mood_low", 0.4)))
    assert crisis_matches(text) == ()
    kept = assess_risk(unsure, crisis_matches(text), figurative_matches(text), T)
    assert kept == Risk.ask  # not explained away: asked directly (paged above T.page)
    sure = Classification("crisis", 0.7, (("crisis", 0.7), ("mood_low", 0.2)))
    assert assess_risk(sure, crisis_matches(text), figurative_matches(text), T) == Risk.crisis


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("my mum will kill me if i'm late again", "hyperbole"),
        ("this heat is going to kill me", "hyperbole"),
        ("my legs are dead after that run", "hyperbole"),
        ("the laptop's on its way out, it'll die any day", "things"),
    ],
)
def test_everyday_hyperbole(text: str, family: str) -> None:
    assert family in figurative_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "my husband will kill me if i leave",
        "my boyfriend will kill me if i tell anyone",
        "he will kill me if i go to the police",
        "my ex is going to kill me",
    ],
)
def test_a_partner_s_threat_is_never_an_idiom(text: str) -> None:
    assert figurative_matches(text) == ()


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("my calves were killing me after the hike", "hyperbole"),
        ("i'm dead proud of my son", "hyperbole"),
        ("if my manager sees this i'm a dead man walking", "hyperbole"),
        ("my sister will have my head if i'm late", "hyperbole"),
        ("this office is boiling us alive", "hyperbole"),
        ("a week in ibiza, that'll be the end of my savings", "hyperbole"),
        ("the talk was so long i lost the will to live", "hyperbole"),
        ("overdosed on cheese over christmas", "hyperbole"),
        ("my brother's going to kill me, i scratched his car", "hyperbole"),
        ("running on empty after the night shift", "weariness"),
        ("bored out of my mind in this meeting", "weariness"),
        ("drowning in emails since i got back", "weariness"),
        ("felt like i'd been run over by a tractor this morning", "weariness"),
    ],
)
def test_everyday_idioms_of_tiredness_and_excess(text: str, family: str) -> None:
    assert family in figurative_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "that'll be the end of my life",
        "my husband's going to kill me, i broke his phone",
        "drowning in the bath is all i think about",
        "i hope i get hit by a bus",
        "running on empty and i want to die",
        "overdosed on my sleeping tablets",
    ],
)
def test_the_new_idioms_never_explain_real_danger(text: str) -> None:
    assert figurative_matches(text) == ()
