"""Each screener rule on the signed page, paired with the input that picks it; and silence after
the direct question that followed item 9 pages the clinic with item 9 named."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.client.models import Client
from bot.conversation import question, screener_taps, screener_walk
from bot.database.core import SessionMaker
from bot.policy.decide import (
    decide_item9,
    decide_item9_question,
    decide_screener_interrupted,
    decide_screener_total,
)
from bot.policy.rules import Reply
from bot.policy.screener_rules import SCREENER_RULES
from bot.screener import views
from bot.screener.models import AdministrationStatus
from bot.screener.plans import PlanChange
from tests.screener.conftest import dispatch_at, linked_client

CRISIS = (Reply.crisis, AlertType.crisis, Severity.urgent)


@pytest.mark.parametrize(
    "value, urgent, expected",
    [
        (0, False, (Reply.screener_next, None, None)),
        (0, True, (Reply.screener_next, None, None)),
        (1, False, (Reply.ask, None, None)),
        (1, True, CRISIS),
        (2, False, CRISIS),
        (3, False, CRISIS),
        (3, True, CRISIS),
    ],
)
def test_item9_by_its_answer(value: int, urgent: bool, expected: tuple[object, ...]) -> None:
    decision = decide_item9(value, any_positive_urgent=urgent)
    assert (decision.reply, decision.alert, decision.severity) == expected


def test_the_direct_question_after_item9() -> None:
    for answer in ("yes", "rather_not_say"):
        decision = decide_item9_question(answer)
        assert (decision.reply, decision.alert, decision.severity) == (
            Reply.crisis_after_asking,
            AlertType.crisis,
            Severity.urgent,
        )
    no = decide_item9_question("no")
    assert (no.reply, no.alert, no.severity) == (
        Reply.screener_next,
        AlertType.crisis,
        Severity.elevated,
    )
    silence = decide_item9_question("unanswered")
    assert (silence.alert, silence.severity) == (AlertType.crisis, Severity.urgent)


def test_reliable_deterioration_and_the_rest() -> None:
    worse = decide_screener_total(reliable_deterioration=True)
    assert (worse.alert, worse.severity, worse.taper_signal) == (
        AlertType.warning_signs,
        Severity.elevated,
        True,
    )
    same = decide_screener_total(reliable_deterioration=False)
    assert (same.alert, same.taper_signal) == (None, False)


def test_every_screener_rule_is_picked_by_some_input() -> None:
    picked = {
        decide_item9(value, any_positive_urgent=urgent).rule
        for value in range(4)
        for urgent in (False, True)
    }
    picked |= {
        decide_item9_question(answer).rule
        for answer in ("yes", "rather_not_say", "no", "unanswered")
    }
    picked |= {decide_screener_total(reliable_deterioration=flag).rule for flag in (True, False)}
    picked.add(decide_screener_interrupted().rule)
    assert picked == {rule.when for rule in SCREENER_RULES}


async def test_no_answer_to_the_question_after_item9_pages_the_clinic_naming_item9(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    [administration] = await dispatch_at(sessionmaker, client_id, start)
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None and administration.checkin_id is not None
        await screener_walk.begin_after_checkin(session, client, administration.checkin_id, start)
        for number, value in enumerate([2, 1, 0, 0, 0, 0, 0, 0, 1], start=1):
            await screener_taps.tap(
                session, client, administration_id=administration.id, item=number, value=value,
                now=start,
            )  # fmt: skip
    async with sessionmaker.begin() as session:
        assert await question.expire(session, now=start + timedelta(minutes=14)) == 0
        assert await question.expire(session, now=start + timedelta(minutes=15)) == 1
    async with sessionmaker() as session:
        [alert] = list(await session.scalars(select(Alert)))
        behind = await views.behind_alert(session, alert_id=alert.id)
        [line] = await views.administrations(session, client_id=client_id)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert alert.evidence.startswith('PHQ-9 item 9 "Several days"')
    assert "no answer in time" in alert.evidence
    assert [(a.number, a.answer) for a in behind.answers] == [(9, "Several days")]
    # The total was kept at the answer; the questionnaire waits (and closes after 4 days).
    assert (line.total, line.status) == (4, AdministrationStatus.asking.value)
