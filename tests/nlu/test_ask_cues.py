"""Ask cues: preparation and not-being-around language asks directly; everyday talk does not."""

from __future__ import annotations

import pytest

from bot.nlu.ask_cues import ask_cues
from bot.nlu.risk import blend
from bot.nlu.understanding import Classification


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("i've rewritten my will this week", "affairs_in_order"),
        ("left my passwords in an envelope for my daughter", "affairs_in_order"),
        ("it's all sorted for after i'm gone", "affairs_in_order"),
        ("wrote letters for everyone, they're in the drawer", "affairs_in_order"),
        ("been giving all my stuff away", "giving_away"),
        ("my mate is taking the dog for good on saturday", "giving_away"),
        ("found a new home for my cat, it's for the best", "giving_away"),
        ("i went up to the bridge again last night just to see", "high_places"),
        ("i keep checking how high the top floor of the car park is", "high_places"),
        ("i tied the cord to the banister to see if it would hold me", "means"),
        ("i've been keeping my tablets back for when i need them", "means"),
        ("looked up the lethal dose of paracetamol", "means"),
        ("my arms have fresh cuts again", "self_harm_signs"),
        ("banged my head against the wall till it went quiet", "self_harm_signs"),
        ("i won't be around by christmas", "not_around"),
        ("you won't need to check on me after this week", "not_around"),
        ("i'm tired of waking up", "not_around"),
        ("i don't see myself getting through the winter", "not_around"),
        ("haven't told anyone but i've been planning it", "secret_preparation"),
        ("signed my flat over to my brother this week", "giving_away"),
        ("gave my savings to my sons", "giving_away"),
        ("i keep picturing the fall from the top floor", "high_places"),
        ("sat on the railway bridge for a few hours", "high_places"),
        ("ordered a long rope online, it came today", "means"),
        ("had a bottle of gin and all my tablets", "means"),
        ("took my diazepam with a load of cider", "means"),
        ("picked at my arms until there was blood", "self_harm_signs"),
        ("i cover up the burns with plasters so nobody asks", "self_harm_signs"),
        ("wearing a hoodie so my mum can't see my wrists", "self_harm_signs"),
        ("the bruises aren't from netball", "self_harm_signs"),
        ("made sure the kids won't be the ones to find me", "not_around"),
        ("picked the day, not telling anyone", "secret_preparation"),
        ("after the wedding i'm going through with it", "secret_preparation"),
        ("they only keep me around out of pity, they put up with me out of guilt", "burden"),
        ("i cause nothing but trouble for my family", "burden"),
        ("it's never going to get better for me", "hopelessness"),
        ("nobody can help me now", "hopelessness"),
        ("i've got no fight left", "hopelessness"),
        ("honestly what's left for me now", "hopelessness"),
    ],
)
def test_cues_that_ask(text: str, family: str) -> None:
    assert family in ask_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "won't be around for the next fortnight, i'm travelling",
        "won't be around much next week, at a conference",
        "the dog's going to my mum's while we're away",
        "how high is ben nevis",
        "we walked over the bridge into town",
        "bought some charcoal for the barbecue",
        "my son loves watching the trains at the station",
        "i took my tablets this morning",
        "gave my old bike to my nephew",
        "deleted my instagram, needed a break",
        "what's the point of the check ins",
        "i'm checking out of the hotel tomorrow",
        "i don't get panic attacks anymore",
        "moved my savings into an isa",
        "got a rope for the washing line",
        "imagining falling in love again",
        "can i have a glass of wine with my tea",
        "set a date for the wedding, not telling anyone yet",
        "things will get better, i know they will",
        "what's left for me to sort before the move",
        "walked over the footbridge to the shops",
    ],
)
def test_everyday_talk_does_not(text: str) -> None:
    assert ask_cues(text) == ()


def test_blend_averages_two_rankings() -> None:
    rasa = Classification("crisis", 1.0, (("crisis", 1.0), ("nlu_fallback", 0.4)))
    embedded = Classification("out_of_scope", 0.9, (("out_of_scope", 0.9), ("crisis", 0.02)))
    blended = blend(rasa, embedded)
    assert dict(blended.ranking) == pytest.approx({"crisis": 0.51, "out_of_scope": 0.45})
    assert blended.intent == "crisis"
    assert blend(Classification("x", 0.0), Classification("y", 0.0)).ranking
