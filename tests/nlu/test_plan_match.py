"""Plan-aware reading: a message that restates the client's own warning sign or trigger."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.plan_match import concepts, match_plan, stem_word
from bot.nlu.service import Understander, with_plan
from bot.nlu.understanding import Risk, Understanding
from bot.plan.schema import load_plan_file
from tests.nlu.conftest import ROOT

PLAN = load_plan_file(ROOT / "examples" / "plan.yml")
SIGNS = PLAN.warning_signs
TRIGGERS = [trigger.situation for trigger in PLAN.triggers]
SLEEP, CANCEL, MEALS, POINT = SIGNS
PARTIES, ANNIVERSARY = TRIGGERS


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("I slept badly again last night", SLEEP),
        ("couldn't sleep last night", SLEEP),
        ("slept terribly", SLEEP),
        ("not sleeping well these nights", SLEEP),
        ("i’ve been awake every night till 4", SLEEP),
        ("cancelled on my mates again", CANCEL),
        ("I keep bailing on plans with my friends", CANCEL),
        ("skipped lunch and dinner", MEALS),
        ("missed breakfast and lunch again", MEALS),
        ("keep telling myself there's no point", POINT),
        # The sign's key words in other forms: the framing ("telling myself") is optional.
        ("everything feels pointless lately", POINT),
        ("Everything feels POINTLESS lately", POINT),
        ("honestly what’s the point anymore", POINT),
        ("is there any point trying", POINT),
        ("work party on friday, everyone will be drinking", PARTIES),
        ("it's the anniversary of dad dying next week", ANNIVERSARY),
    ],
)
def test_restated_items_match(text: str, item: str) -> None:
    match = match_plan(text, SIGNS, TRIGGERS)
    assert match is not None and match.item == item


@pytest.mark.parametrize(
    "text",
    [
        "slept really well last night",
        "had a good night's sleep for once",
        "i skipped the gym",
        "what's the point of this reminder",
        "this reminder is pointless",
        "the point is i'm fine",
        "my friends are coming round tonight",
        "I have work on friday",
        "hello",
        "",
    ],
)
def test_passing_mentions_do_not_match(text: str) -> None:
    assert match_plan(text, SIGNS, TRIGGERS) is None


@pytest.mark.parametrize(
    ("sign", "text"),
    [
        ("Thinking it's hopeless", "feels so hopeless right now"),
        ("Crying a lot", "been really tearful all week"),
        ("Feeling exhausted all the time", "so drained, all the time lately"),
        ("Worrying about everything", "on edge about everything"),
        ("Snapping at the kids", "lost my temper with the kids again"),
    ],
)
def test_synonyms_and_phrases_of_a_sign_s_key_words_match(sign: str, text: str) -> None:
    match = match_plan(text, [sign])
    assert match is not None and match.item == sign


def test_framing_words_alone_do_not_match() -> None:
    sign = 'Telling myself "what\'s the point"'
    assert match_plan("i told my sister about the party", [sign]) is None
    assert match_plan("what's the point", [sign]) is not None
    assert concepts(sign) == concepts("telling myself there's no point") == {"tell", "pointless"}


def test_no_plan_no_match() -> None:
    assert match_plan("I slept badly again last night") is None


def test_stemming_and_concepts() -> None:
    assert stem_word("cancelling") == stem_word("cancelled") == stem_word("cancel")
    assert stem_word("skipping") == stem_word("skipped") == stem_word("skip")
    assert stem_word("parties") == stem_word("party")
    assert concepts("Slept BADLY") == concepts("sleeping poorly") == {"sleep", "bad"}
    assert "bad" in concepts("not sleeping well")


async def test_the_issue_example_reads_as_the_sign(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    text = "I slept badly again last night"
    plain = await understander.understand(text)
    assert plain.matched_sign is None
    read = await understander.understand(text, warning_signs=SIGNS, triggers=TRIGGERS)
    assert read.intent == "report_warning_sign"
    assert read.matched_sign == SLEEP
    assert read.matched_trigger is None
    assert read.risk is Risk.elevated
    assert read.runner_up == "report_warning_sign"
    named = await understander.understand_using(text, "embedded", warning_signs=SIGNS)
    assert (named.intent, named.matched_sign) == ("report_warning_sign", SLEEP)


async def test_a_trigger_is_named(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    read = await understander.understand(
        "there's a work party on friday and everyone will be drinking", triggers=TRIGGERS
    )
    assert (read.intent, read.matched_trigger, read.risk) == (
        "report_trigger",
        PARTIES,
        Risk.elevated,
    )


async def test_plan_matching_never_lowers_a_crisis(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    text = "i keep telling myself there's no point, i want to kill myself"
    read = await understander.understand(text, warning_signs=SIGNS, triggers=TRIGGERS)
    assert read.risk is Risk.crisis
    assert read.matched_sign == POINT
    assert read.intent != "report_warning_sign" or read.net_matches


def base(risk: Risk, intent: str, runner_up: str | None = "mood_low") -> Understanding:
    return Understanding(intent, 0.6, risk, "embedded", runner_up=runner_up)


@pytest.mark.parametrize("risk", list(Risk))
def test_with_plan_only_ever_raises(risk: Risk) -> None:
    order = [Risk.none, Risk.elevated, Risk.needs_review, Risk.ask, Risk.crisis]
    for intent in ("report_lapse", "mood_low", "mood_good", "crisis", "nlu_fallback", "ask_plan"):
        before = base(risk, intent)
        after = with_plan(before, "I slept badly again last night", SIGNS, TRIGGERS)
        assert order.index(after.risk) >= order.index(before.risk)
        assert after.matched_sign == SLEEP
        if risk in (Risk.crisis, Risk.needs_review):
            assert (after.intent, after.risk, after.runner_up) == (intent, risk, "mood_low")
        if risk is Risk.ask:
            assert (after.intent, after.risk) == (intent, Risk.ask)
            assert after.runner_up == "report_warning_sign"


def test_positive_readings_and_questions_keep_their_intent() -> None:
    for intent in ("mood_good", "ask_plan", "ask_coping", "thanks"):
        after = with_plan(base(Risk.none, intent), "I slept badly again", SIGNS, TRIGGERS)
        assert after.intent == intent
        assert after.matched_sign == SLEEP


def test_a_lapse_in_a_trigger_situation_stays_a_lapse() -> None:
    lapse = base(Risk.elevated, "report_lapse")
    after = with_plan(
        lapse, "had a drink at the work party, everyone was drinking", SIGNS, TRIGGERS
    )
    assert (after.intent, after.matched_trigger) == ("report_lapse", PARTIES)
    slept = with_plan(lapse, "I slept badly again last night", SIGNS, TRIGGERS)
    assert (slept.intent, slept.matched_sign) == ("report_warning_sign", SLEEP)


def test_a_broken_matcher_costs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.nlu.service as service

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bad plan item")

    monkeypatch.setattr(service, "match_plan", boom)
    before = base(Risk.elevated, "report_lapse")
    assert with_plan(before, "I slept badly", SIGNS, TRIGGERS) == before


def test_example_plan_is_where_the_tests_expect(tmp_path: Path) -> None:
    assert SLEEP == "Sleeping badly for several nights"
    assert PARTIES.startswith("Work parties")
