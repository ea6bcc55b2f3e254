"""The deterministic crisis net: what it catches, what it must not, and what cannot fool it."""

from __future__ import annotations

import pytest

from bot.nlu.ask_cues import ask_cues
from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.risk import assess_risk
from bot.nlu.safety_net import crisis_matches, normalize
from bot.nlu.understanding import Risk

CAUGHT = {
    "I want to die": "want_to_die",
    "I want to diiiie": "want_to_die",
    "I WANT TO DIE": "want_to_die",
    "i wanna die": "want_to_die",
    "want 2 die": "want_to_die",
    "i wish i was dead": "want_to_die",
    "kms": "kill_myself",
    "honestly might kms tonight": "kill_myself",
    "i'm gonna kys": "kill_myself",
    "I’m going to kill myself": "kill_myself",
    "k1ll mys3lf": "kill_myself",
    "thinking about suicide": "suicide",
    "su1cide": "suicide",
    "feeling suicdal again": "suicide",
    "i want to unalive myself": "suicide",
    "s\u200bu\u200bi\u200bc\u200bi\u200bd\u200be": "suicide",
    "I od'd last night": "overdose",
    "I OD’d": "overdose",
    "i overdosed": "overdose",
    "I took all my pills": "overdose",
    "im done with life": "done_with_life",
    "I don’t want to be alive": "done_with_life",
    "I'm going to end it all": "end_my_life",
    "no reason to live": "no_reason_to_live",
    "everyone would be better off without me": "better_off_without_me",
    "I'm such a burden to everyone": "burden",
    "I feel like a burden": "burden",
    "goodbye forever": "goodbye_forever",
    "this is my final goodbye": "goodbye_forever",
    "I cut myself again": "self_harm",
    "I hurt myself": "self_harm",
    "he's going to kill me": "danger_from_other",
    "He’s gonna kill me": "danger_from_other",
    "I'm not safe at home": "danger_from_other",
}

FIGURATIVE = [
    "i'd kill for a coffee",
    "I’d kill for a coffee right now",
    "this deadline will be the death of me",
    "my feet are killing me",
    "dying to see the film",
    "killing it at work",
    "i could murder a pizza",
    "died laughing",
    "I nearly killed myself laughing",
    "this traffic is killing me",
    "my boss is going to kill me",
    "my mum is going to kill me when she sees the car",
    "that's odd",
    "kys",
    "I overdosed on netflix this weekend",
    "I'm dead tired",
    "the battery died",
    "I'd die for a holiday",
]


@pytest.mark.parametrize(("text", "pattern"), CAUGHT.items())
def test_crisis_phrasings_are_caught(text: str, pattern: str) -> None:
    assert pattern in crisis_matches(text)


@pytest.mark.parametrize("text", FIGURATIVE)
def test_figurative_speech_is_not_caught(text: str) -> None:
    assert crisis_matches(text) == ()


@pytest.mark.parametrize(
    "disguised",
    [
        "I don\u2019t want to live anymore",  # curly apostrophe from a phone keyboard
        "I DON'T WANT TO LIVE ANYMORE",
        "I dooon't want to liiiive anymore",
        "I don`t want to live anymore",
        "I do\u200bn't want to li\u200dve anymore",
        "Ｉ ｄｏｎ'ｔ ｗａｎｔ ｔｏ ｌｉｖｅ",  # full-width letters
    ],
)
def test_disguises_do_not_defeat_the_net(disguised: str) -> None:
    assert crisis_matches(disguised) == ("done_with_life",)


def test_normalize_folds_quotes_case_and_invisible_characters() -> None:
    assert normalize("  I\u2019M  ok\u200b `fine´ ") == "i'm ok 'fine'"


def test_crisis_deep_in_a_long_message_is_found() -> None:
    text = "work was busy today. " * 500 + "honestly I want to end it all"
    assert crisis_matches(text) == ("end_my_life",)


def test_text_without_letters_matches_nothing() -> None:
    assert crisis_matches("🙂🙂 ... 123") == ()
    assert crisis_matches("") == ()


def test_no_hard_negative_is_raised_by_the_net(hard_negatives: list[tuple[str, str]]) -> None:
    raised = [text for text, _ in hard_negatives if crisis_matches(text)]
    assert raised == []


def test_every_held_out_crisis_is_caught_by_net_or_classifier(
    held_out: list[tuple[str, str]], embedded: EmbeddedClassifier
) -> None:
    # Caught: paged (crisis) or asked directly with the resources (ask).
    missed = [
        text
        for text, intent in held_out
        if intent == "crisis"
        and assess_risk(embedded.classify(text), crisis_matches(text), cues=ask_cues(text))
        not in (Risk.crisis, Risk.ask)
    ]
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "got a box of my dad's old codeine hidden under the bed",
        "i've stashed my tablets",
        "ive got paracetamol stashed in the garage",
        "my pills are hidden in my wardrobe",
        "i've been hiding my meds from my partner",
        "razor blades tucked in my sock drawer",
        "the sleeping pills i've been hoarding are in my bag",
    ],
)
def test_concealed_means_are_caught(text: str) -> None:
    assert "hidden_means" in crisis_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        # Putting means away from children or out of reach is the safe-environment step of a plan.
        "i hid the painkillers from the kids so they're safe",
        "hid the tablets at the top of the cupboard so the kids can't reach",
        "the paracetamol is hidden away from the grandkids",
        "my meds are tucked away out of reach now",
        "i collected my meds from the pharmacy",
        "keeping paracetamol in the cupboard for headaches",
        "i hid my phone from my kids",
    ],
)
def test_putting_means_away_safely_is_not_concealment(text: str) -> None:
    assert crisis_matches(text) == ()


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("i'm saying bye to the ones who matter", "goodbye_forever"),
        ("said goodbye to everyone i love today", "goodbye_forever"),
        ("just saying my goodbyes", "goodbye_forever"),
        ("i wanted to hug my kids one last time", "goodbye_forever"),
        ("one last message from me", "goodbye_forever"),
        ("googled the highest cliff round here", "method"),
    ],
)
def test_farewells_and_method_research_are_caught(text: str, pattern: str) -> None:
    assert pattern in crisis_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "saying bye to everyone at work, it's my last day",
        "checked the oven one last time before we left",
        "googled the tallest building in the world for the pub quiz",
        "said bye to the kids at the school gate",
    ],
)
def test_everyday_goodbyes_and_trivia_are_not_caught(text: str) -> None:
    assert crisis_matches(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "said my goodbyes at my retirement do, lovely send off",
        "saying goodbye to my colleagues on friday, new job monday",
        "this is my last message before our honeymoon, back in a fortnight",
        "my last message till the op, speak to you on tuesday",
        "the inquest into her overdose is next month",
        "it's three years since my brother’s suicide on sunday",
        "my sisters overdose anniversary is coming up",
    ],
)
def test_farewells_with_a_return_and_other_people_s_deaths_are_not_caught(text: str) -> None:
    # A goodbye at work, a last message that says when the client is back, and another person's
    # overdose or suicide (a trigger the classifier reads) do not page the clinic.
    assert crisis_matches(text) == ()


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("this is my last message", "goodbye_forever"),
        ("my last message to you all, i love you", "goodbye_forever"),
        ("said my goodbyes, it's time", "goodbye_forever"),
        ("i took an overdose an hour ago", "overdose"),
        ("i overdosed after her funeral", "overdose"),
        ("thinking about suicide since his funeral", "suicide"),
        ("he's overdosed and won't wake up", "overdose"),
    ],
)
def test_the_client_s_own_goodbye_or_overdose_still_pages(text: str, pattern: str) -> None:
    assert pattern in crisis_matches(text)
