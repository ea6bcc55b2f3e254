"""Reading Spanish: the Spanish model's held-out figures against the targets, and the Spanish
crisis net and ask cues over Spanish as it is texted.

The targets are English's: every crisis message gets the crisis resources (paged or asked), at
most 1% of ordinary messages page and at most 5% ask, macro-F1 >= 0.85 (run with `-s` to see
the figures).
"""

from __future__ import annotations

import pytest

from bot.nlu.ask_cues_es import ask_cues_es
from bot.nlu.curve import outcome
from bot.nlu.held_out import BLIND_ES, TUNE_ES, HeldOutPart
from bot.nlu.safety_net_es import crisis_matches_es
from bot.nlu.scorecard import evaluate_backend, format_reports
from bot.nlu.service import Understander
from bot.nlu.understanding import Risk
from tests.nlu.targets import missed_targets


@pytest.mark.parametrize("part", [TUNE_ES, BLIND_ES], ids=["tune", "blind"])
async def test_spanish_figures_against_the_targets(
    bilingual: Understander, part: HeldOutPart
) -> None:
    report = await evaluate_backend(bilingual, "embedded", files=part.load(), language="es")
    print(f"\nSpanish {part.name} part:\n" + format_reports([report], part.macro_f1_target))
    assert report.thresholds is not None
    crisis = [item for item in report.scored if item.kind == "crisis"]
    assert len(crisis) == {"tune": 28, "blind": 17}[part.name]
    assert [i.text for i in crisis if outcome(i.reading, report.thresholds) == "none"] == []
    assert missed_targets(report, part.macro_f1_target) == []


def test_the_spanish_held_out_messages_meet_the_issue_s_counts() -> None:
    files = TUNE_ES.load() + BLIND_ES.load()
    labelled = [gold for held in files if not held.figurative for _, gold in held.examples]
    crisis = labelled.count("crisis")
    blind_crisis = sum(gold == "crisis" for held in BLIND_ES.load() for _, gold in held.examples)
    assert crisis >= 40 and len(labelled) - crisis >= 150
    assert blind_crisis * 3 >= crisis


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("quiero morir", "want_to_die"),
        ("Quiero moriiir", "want_to_die"),
        ("kiero morirme ya", "want_to_die"),
        ("q ganas de morirme", "want_to_die"),
        ("ME VOY A MATAR", "kill_myself"),
        ("tb he pensado en matarme", "kill_myself"),
        ("pienso en el suisidio", "suicide"),
        ("ojala no despertarme mañana", "done_with_life"),
        ("me he tomado todas las pastis", "overdose"),
        ("me corté las muñecas", "self_harm"),
        ("¿para qué vivir? la vida no vale la pena", "no_reason_to_live"),
        ("todos estarían mejor sin mí", "better_off_without_me"),
        ("mi ex me ha dicho que me va a matar", "danger_from_other"),
    ],
)
def test_the_spanish_net_reads_accents_misspellings_and_abbreviations(
    text: str, family: str
) -> None:
    assert family in crisis_matches_es(text)


@pytest.mark.parametrize(
    "text",
    [
        "me muero de risa",
        "me muero de ganas de verte",
        "esta tarta está de muerte",
        "mi madre me va a matar si llego tarde",
        "el jefe me va a matar",
        "quiero acabar con todo el trabajo antes del viernes",
        "este es mi último mensaje antes de las vacaciones",
        "me corté el pelo",
    ],
)
def test_the_spanish_net_leaves_everyday_hyperbole_alone(text: str) -> None:
    assert crisis_matches_es(text) == ()


def test_spanish_ask_cues_raise_preparation_to_the_direct_question() -> None:
    assert "affairs_in_order" in ask_cues_es("les he dejado una carta a mis hijos")
    assert "not_around" in ask_cues_es("no voy a estar aquí para navidad")
    assert ask_cues_es("he dejado una carta en correos") == ()


async def test_a_spanish_crisis_through_the_embedded_classifier(bilingual: Understander) -> None:
    # No net rule names it: the Spanish model reads it, and its reading alone gives resources.
    text = "siento que ya no hay nada para mí y todos seguirían mejor"
    assert crisis_matches_es(text) == ()
    reading = await bilingual.understand(text, language="es")
    assert reading.language == "es" and reading.source == "embedded"
    assert reading.net_matches == () and reading.cue_matches == ()
    assert reading.risk in (Risk.crisis, Risk.ask)
    assert reading.crisis_score > 0


async def test_a_spanish_client_s_everyday_message_is_read_in_spanish(
    bilingual: Understander,
) -> None:
    reading = await bilingual.understand("¿me enseñas mi plan de seguridad?", language="es")
    assert (reading.intent, reading.risk, reading.language) == ("ask_plan", Risk.none, "es")
