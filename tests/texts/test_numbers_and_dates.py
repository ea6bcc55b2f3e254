"""Numbers and dates in the client's language: a count takes the language's own form."""

from __future__ import annotations

from datetime import date

from bot.texts.time_words import DAYS
from bot.texts.translation import translator


def test_a_count_takes_the_languages_form() -> None:
    en, es = translator("en"), translator("es")
    assert [en.count(DAYS, n) for n in (1, 2, 90)] == ["1 day", "2 days", "90 days"]
    assert [es.count(DAYS, n) for n in (1, 2, 90)] == ["1 día", "2 días", "90 días"]


def test_a_date_in_full_in_the_language() -> None:
    day = date(2027, 3, 14)
    assert translator("en").full_date(day) == "March 14, 2027"
    assert translator("es").full_date(day) == "14 de marzo de 2027"


def test_the_notice_says_one_day_in_the_singular() -> None:
    from bot.texts import onboarding

    es = translator("es")
    notice = es(onboarding.NOTICE).format(
        name="Lucía",
        clinic="Riverside",
        retention=es.count(DAYS, 1),
        office_hours="lun-vie",
        crisis="-",
    )
    assert "al cabo de 1 día." in notice
