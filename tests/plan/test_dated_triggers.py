"""A trigger with a date: in the plan file, in the taper (a caring check-in two days before, in
the plan's words), replanned when the plan changes, and kept as a version."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.checkin import dispatch
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client import actions
from bot.client.enrollment import Enrollment
from bot.client.models import Client, ClientStatus
from bot.database.core import SessionMaker
from bot.outbox.models import OutboxMessage
from bot.plan import service as plans
from bot.plan.models import PlanVersion
from bot.plan.schema import PlanDocument, PlanFileError, dump_plan, load_plan_text, parse_plan
from tests.factories import example_plan, make_clinic, make_therapist
from tests.support.clock import now as clock_now

SITUATION = "The anniversary of Dad's death in March"


def dated_plan(on: str, every_year: bool = False) -> PlanDocument:
    data = example_plan().model_dump(mode="json", exclude_defaults=True)
    for trigger in data["triggers"]:
        if trigger["situation"] == SITUATION:
            trigger["date"] = on
            trigger["every_year"] = every_year
    return parse_plan(data, source="plan.yml")


def test_the_plan_file_takes_a_date_once_or_every_year() -> None:
    text = dump_plan(dated_plan("2019-03-14", every_year=True))
    assert "date: '2019-03-14'" in text and "every_year: true" in text
    plan = load_plan_text(text, source="plan.yml")
    assert [t.situation for t in plan.dated_triggers] == [SITUATION]
    raw = "warning_signs: [a]\ncoping_strategies: [{action: b}]\nclosing_note: c\n"
    with_date = load_plan_text(
        raw + "triggers: [{situation: s, what_to_do: w, date: 2027-01-02}]", source="plan.yml"
    )
    assert with_date.triggers[0].date is not None and not with_date.triggers[0].every_year
    with pytest.raises(PlanFileError) as refused:
        load_plan_text(
            raw + "triggers: [{situation: s, what_to_do: w, every_year: true}]", source="plan.yml"
        )
    assert str(refused.value) == (
        "plan.yml: field 'triggers.1': Value error, every_year needs a date "
        "(the first time the day comes)"
    )


async def test_a_caring_check_in_in_the_plans_words_and_replanned_with_the_plan(
    sessionmaker: SessionMaker,
) -> None:
    now = clock_now()
    day = now.date() + timedelta(days=33)  # its caring day, day 31, has no taper step
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapist = await make_therapist(session, clinic)
        client = await actions.enroll(
            session,
            therapist=therapist,
            enrollment=Enrollment(
                display_name="Sam",
                ending_date=now.date(),
                ending_type="planned",
                timezone="Europe/London",
                window="18:00-20:00",
                template="standard",
                custom_offsets=None,
                plan=dated_plan(day.isoformat()),
            ),
            by="cli",
            now=now,
        )
        client.status, client.chat_id = ClientStatus.active, 9001
        [caring] = list(
            await session.scalars(select(Checkin).where(Checkin.kind == CheckinKind.caring))
        )
        assert caring.occasion == {
            "situation": SITUATION,
            "what_to_do": "Plan the day ahead with Priya; visit the coast like we used to.",
            "on": day.isoformat(),
        }
        assert caring.due_at.astimezone(ZoneInfo("Europe/London")).date() == day - timedelta(days=2)
        client_id, due = client.id, caring.due_at
    async with sessionmaker.begin() as session:
        # Everything before the caring one is sent, so the dispatcher takes only it.
        for row in await session.scalars(select(Checkin).where(Checkin.due_at < due)):
            row.status = CheckinStatus.answered
        assert await dispatch.queue_due(session, now=due, limit=10) == 1
        [opener] = list(await session.scalars(select(OutboxMessage)))
    assert SITUATION in opener.text and "visit the coast like we used to" in opener.text
    assert "Thinking of you" in opener.text and opener.buttons  # the mood buttons follow

    async with sessionmaker.begin() as session:
        found = await session.get(Client, client_id)
        assert found is not None
        later = day + timedelta(days=60)
        version = await actions.update_plan(
            session, client=found, plan=dated_plan(later.isoformat()), by="cli", now=now
        )
        assert version.number == 2
        scheduled = [
            c.occasion["on"]
            for c in await session.scalars(
                select(Checkin).where(Checkin.status == CheckinStatus.scheduled)
            )
            if c.occasion
        ]
        assert scheduled == [later.isoformat()]  # the sent one stays sent, never repeated
        numbers = list(await session.scalars(select(PlanVersion.number)))
        current = await plans.get_document(session, client_id=client_id)
        export = await actions.export(session, client_id=client_id, now=now, retention_days=90)
    assert [v["version"] for v in export["earlier_plan_versions"]] == [1]
    assert export["earlier_plan_versions"][0]["plan"]["triggers"][1]["date"] == day.isoformat()
    assert numbers == [1, 2]
    assert current is not None and current.dated_triggers[0].date == later
