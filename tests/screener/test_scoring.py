"""Wording, scoring and bands against the published instruments, item by item.

The literals here are copied from the published forms (docs/screeners.md lists the sources):
the data files must hold exactly these, and score exactly so.
"""

from __future__ import annotations

import pytest

from bot.policy.screener_rules import SCREENER_RULES
from bot.screener import scoring
from bot.screener.instrument import Form, Instrument, instrument, instruments

FREQUENCY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9 = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family "
    "down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being "
    "so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
GAD7 = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
AUDIT_C = (
    (
        "How often do you have a drink containing alcohol?",
        ("Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week",
         "4 or more times a week"),
    ),
    (
        "How many drinks containing alcohol do you have on a typical day when you are drinking?",
        ("1 or 2", "3 or 4", "5 or 6", "7, 8, or 9", "10 or more"),
    ),
    (
        "How often do you have six or more drinks on one occasion?",
        ("Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"),
    ),
)  # fmt: skip
# Published severity bands: (lowest total, highest total, label).
PHQ9_BANDS = (
    (0, 4, "minimal"),
    (5, 9, "mild"),
    (10, 14, "moderate"),
    (15, 19, "moderately severe"),
    (20, 27, "severe"),
)
GAD7_BANDS = ((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe"))


def answers_totalling(found: Instrument, form: Form, total: int) -> dict[str, int]:
    """Answers to the form's items that add up to `total`, filled from the first item."""
    answers = {}
    for item in found.items[: form.items]:
        value = min(total, len(found.answers_of(item)) - 1)
        answers[item.key] = value
        total -= value
    assert total == 0
    return answers


def test_the_wording_labels_and_order_are_the_published_ones() -> None:
    phq, gad = instrument("phq"), instrument("gad")
    assert phq.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert gad.stem == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert tuple(i.text for i in phq.items) == PHQ9 and phq.answers == FREQUENCY
    assert tuple(i.text for i in gad.items) == GAD7 and gad.answers == FREQUENCY
    assert phq.closing is not None and phq.closing.text == (
        "If you checked off any problems, how difficult have these problems made it for you to do "
        "your work, take care of things at home, or get along with other people?"
    )
    assert phq.closing.answers == (
        "Not difficult at all",
        "Somewhat difficult",
        "Very difficult",
        "Extremely difficult",
    )
    audit = instrument("audit_c")
    assert tuple((i.text, audit.answers_of(i)) for i in audit.items) == AUDIT_C
    # The short forms are the full forms' first two items.
    assert (phq.short_form.items, gad.short_form.items) == (2, 2)
    assert [i.safety for i in phq.items] == [None] * 8 + ["item9"]


@pytest.mark.parametrize("family, full", [("phq", "phq9"), ("gad", "gad7")])
def test_each_item_scores_its_answer_0_to_3_in_the_published_order(family: str, full: str) -> None:
    found = instrument(family)
    form = found.form(full)
    for item in found.items:
        for value, _label in enumerate(FREQUENCY):
            answers = {other.key: 0 for other in found.items}
            answers[item.key] = value
            assert scoring.score(found, form, answers).total == value, (item.key, value)


@pytest.mark.parametrize(
    "family, full, bands", [("phq", "phq9", PHQ9_BANDS), ("gad", "gad7", GAD7_BANDS)]
)
def test_every_total_gets_its_published_band(family: str, full: str, bands: tuple) -> None:  # type: ignore[type-arg]
    found = instrument(family)
    form = found.form(full)
    for low, high, label in bands:
        for total in range(low, high + 1):
            result = scoring.score(found, form, answers_totalling(found, form, total))
            assert (result.total, result.band) == (total, label)
    assert bands[-1][1] == sum(len(found.answers) - 1 for _ in found.items[: form.items])


@pytest.mark.parametrize("full, caseness", [("phq9", 10), ("gad7", 8)])
def test_caseness_phq9_10_gad7_8(full: str, caseness: int) -> None:
    found = instrument(full[:3])
    form = found.form(full)
    below = scoring.score(found, form, answers_totalling(found, form, caseness - 1))
    at = scoring.score(found, form, answers_totalling(found, form, caseness))
    assert (below.positive, at.positive) == (False, True)


@pytest.mark.parametrize("short", ["phq2", "gad2"])
def test_a_short_form_of_3_or_more_steps_up(short: str) -> None:
    found = instrument(short[:3])
    form = found.form(short)
    assert form.steps_up_to == f"{short[:3]}{9 if short == 'phq2' else 7}"
    for total in range(0, 7):
        result = scoring.score(found, form, answers_totalling(found, form, total))
        assert result.positive is (total >= 3)
        assert result.band == ("positive screen" if total >= 3 else "negative screen")


def test_audit_c_scores_0_to_4_per_item_with_the_sex_specific_cut_offs() -> None:
    found = instrument("audit_c")
    form = found.short_form
    for index, item in enumerate(found.items):
        for value in range(5):
            answers = {i.key: (1 if i.key == "auditc1" else 0) for i in found.items}
            answers[item.key] = max(value, 1) if index == 0 else value
            expected = answers["auditc1"] + answers["auditc2"] + answers["auditc3"]
            assert scoring.score(found, form, answers, "men").total == expected
    three = {"auditc1": 1, "auditc2": 1, "auditc3": 1}
    four = {"auditc1": 2, "auditc2": 1, "auditc3": 1}
    assert scoring.score(found, form, three, "women").positive is True
    assert scoring.score(found, form, three, "men").positive is False
    assert scoring.score(found, form, four, "men").positive is True
    # "Never" ends the form: the amounts are not asked and score 0.
    never = {"auditc1": 0}
    assert scoring.is_complete(found, form, never)
    assert scoring.score(found, form, never, "men").total == 0


@pytest.mark.parametrize("full, points", [("phq9", 6), ("gad7", 4)])
def test_reliable_change_is_phq9_6_and_gad7_4(full: str, points: int) -> None:
    _, form = next((i, f) for i in instruments().values() for f in i.forms if f.key == full)
    assert form.reliable_change == points
    worse = scoring.change(form, 5, 5 + points)
    nearly = scoring.change(form, 5, 5 + points - 1)
    better = scoring.change(form, 5 + points, 5)
    assert worse is not None and worse.reliable_deterioration and worse.delta == points
    assert nearly is not None and not nearly.reliable_deterioration
    assert better is not None and better.reliable_improvement
    assert scoring.change(form, None, 20) is None


def test_back_into_caseness_after_recovery() -> None:
    form = instrument("phq").form("phq9")
    assert scoring.back_in_caseness(form, [14, 8], 12)
    assert not scoring.back_in_caseness(form, [14, 12], 13)  # never left caseness
    assert not scoring.back_in_caseness(form, [8], 9)
    assert not scoring.back_in_caseness(form, [], 15)


def test_the_signed_page_names_the_instruments_own_figures() -> None:
    [rule] = [r for r in SCREENER_RULES if r.when.startswith("reliable deterioration")]
    phq9, gad7 = instrument("phq").form("phq9"), instrument("gad").form("gad7")
    assert f"PHQ-9 up {phq9.reliable_change} or more" in rule.when
    assert f"GAD-7 up {gad7.reliable_change} or more" in rule.when
