"""Which screeners ride on which check-ins: the 14-day rule over a whole year, the AUDIT-C's
months, send-now with and without --force, and who has a plan at all."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from bot.checkin import dispatch, schedule
from bot.checkin.models import CheckinKind
from bot.client.enrollment import Enrollment, enroll
from bot.client.models import Client
from bot.database.core import SessionMaker
from bot.errors import InvalidInput
from bot.outbox.models import Delivery, OutboxMessage, Outcome, Purpose
from bot.screener import outcomes as screener_outcomes
from bot.screener import plans, riding
from bot.screener.models import Administration, ScreenerPlan
from bot.screener.plans import PlanChange
from bot.texts import screener as text
from tests.factories import example_plan, make_clinic, make_therapist
from tests.screener.conftest import dispatch_at, linked_client, the_client
from tests.support import clock


async def test_never_twice_within_14_days_over_a_year(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    """Check-ins every 5 days for a year and a bit: a PHQ-2 and GAD-2 ride on the first check-in
    at least 14 days after the last ones, and on no other."""
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq", "gad"]))
    rode: list[datetime] = []
    for day in range(0, 380, 5):
        at = start + timedelta(days=day)
        riding_now = await dispatch_at(sessionmaker, client_id, at)
        families = [a.family for a in riding_now]
        assert families in ([], ["phq", "gad"]), families
        if families:
            rode.append(at)
            assert [a.form for a in riding_now] == ["phq2", "gad2"]
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(rode)]
    assert gaps and all(gap == 15 for gap in gaps), gaps  # 14 days is not a multiple of 5
    assert len(rode) == 26 and rode[0] == start
    async with sessionmaker() as session:
        openers = list(
            await session.scalars(
                select(OutboxMessage.text).where(OutboxMessage.purpose == Purpose.checkin)
            )
        )
    assert sum(text.RIDES_ALONG in o for o in openers) == len(rode)
    assert len(openers) == len(range(0, 380, 5))


async def test_exactly_14_days_later_it_rides_again(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    assert len(await dispatch_at(sessionmaker, client_id, start)) == 1
    almost = start + timedelta(days=14) - timedelta(minutes=1)
    assert await dispatch_at(sessionmaker, client_id, almost) == []
    assert len(await dispatch_at(sessionmaker, client_id, start + timedelta(days=14))) == 1


async def test_audit_c_at_the_first_checkin_then_months_3_6_and_12(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(
        sessionmaker, PlanChange(families=["audit_c"], audit_c_cutoff="women")
    )
    ending = (await the_client(sessionmaker, client_id)).ending_date
    rode = []
    for day in range(1, 400, 7):
        at = start + timedelta(days=day)
        if await dispatch_at(sessionmaker, client_id, at):
            rode.append(at.date())
    milestones = [riding.add_months(ending, months) for months in (3, 6, 12)]
    assert rode[0] == (start + timedelta(days=1)).date()
    assert len(rode) == 4
    for went, milestone in zip(rode[1:], milestones, strict=True):
        assert milestone <= went < milestone + timedelta(days=7)


async def test_manual_checkins_carry_only_what_send_now_planned(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    assert await dispatch_at(sessionmaker, client_id, start, CheckinKind.manual) == []
    first = await dispatch_at(sessionmaker, client_id, start + timedelta(minutes=1))
    assert [a.family for a in first] == ["phq"]
    later = start + timedelta(days=3)
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        refused = await schedule.add_manual(session, client=client, now=later)
        with pytest.raises(InvalidInput, match="at most every 14 days"):
            await riding.plan_now(
                session, client=client, checkin_id=refused.id, family="phq", force=False, now=later
            )
        other = await schedule.add_manual(session, client=client, now=later)
        await riding.plan_now(
            session, client=client, checkin_id=other.id, family="gad", force=False, now=later
        )
        forced = await schedule.add_manual(session, client=client, now=later)
        await riding.plan_now(
            session, client=client, checkin_id=forced.id, family="phq", force=True, now=later
        )
        await dispatch.queue_due(session, now=later, limit=10)
    async with sessionmaker() as session:
        sent = await session.execute(
            select(Administration.checkin_id, Administration.form).where(
                Administration.sent_at == later
            )
        )
        assert sorted(sent.tuples()) == [(other.id, "gad2"), (forced.id, "phq2")]


async def test_existing_clients_have_none_and_new_ones_get_the_clinics_default(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker)
    async with sessionmaker.begin() as session:
        # A client enrolled before screeners existed has no plan at all (migration 0012).
        await session.execute(delete(ScreenerPlan).where(ScreenerPlan.client_id == client_id))
    assert await dispatch_at(sessionmaker, client_id, start) == []
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        await plans.change_clinic_settings(
            session, clinic_id=client.clinic_id, families=["phq", "gad", "audit_c"]
        )
        therapist = await make_therapist(session, client.clinic, name="Dr Lee")
        enrollment = Enrollment(
            display_name="Alex",
            ending_date=start.date(),
            ending_type="planned",
            timezone="Europe/London",
            window="18:00-20:00",
            template="standard",
            custom_offsets=None,
            plan=example_plan(),
        )
        new = await enroll(session, therapist=therapist, enrollment=enrollment, now=start)
        chosen = await enroll(
            session,
            therapist=therapist,
            enrollment=Enrollment(
                **{
                    **enrollment.__dict__,
                    "screeners": PlanChange(families=["audit_c"], audit_c_cutoff="men"),
                }
            ),
            now=start,
        )
        new_id, chosen_id = new.id, chosen.id
    async with sessionmaker() as session:
        assert await session.get(ScreenerPlan, client_id) is None  # existing: off
        plan = await session.get(ScreenerPlan, new_id)
        # The default's AUDIT-C waits for a therapist to choose its cut-off.
        assert plan is not None and plan.families == "phq,gad"
        other = await session.get(ScreenerPlan, chosen_id)
        assert other is not None and (other.families, other.audit_c_cutoff) == ("audit_c", "men")


async def test_a_bad_plan_is_refused_with_the_reason(sessionmaker: SessionMaker) -> None:
    client_id = await linked_client(sessionmaker)
    cases = [
        (PlanChange(families=["audit_c"]), "needs its published cut-off"),
        (PlanChange(audit_c_cutoff="adults"), "unknown AUDIT-C cut-off"),
        (PlanChange(ending_totals={"phq9": 28}), "0-27"),
        (PlanChange(ending_totals={"gad2": 3}), "not gad2"),
    ]
    for change, reason in cases:
        async with sessionmaker() as session:
            client = await session.get(Client, client_id)
            assert client is not None
            with pytest.raises(InvalidInput, match=reason):
                await plans.change(session, client=client, change=change, now=clock.now())
    with pytest.raises(InvalidInput, match="unknown screener 'bdi'"):
        plans.parse_families("phq,bdi")
    assert plans.parse_families("GAD, phq") == ["phq", "gad"]
    assert plans.parse_families("none") == []


async def test_a_clinic_without_settings_has_the_defaults(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session, name="Elsewhere")
        settings = await plans.clinic_settings(session, clinic_id=clinic.id)
    assert (settings.families_for_new_clients, settings.item9_any_positive_urgent) == ("", False)


async def test_a_checkin_telegram_refuses_carried_no_screener(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    [administration] = await dispatch_at(sessionmaker, client_id, start)
    async with sessionmaker.begin() as session:
        row = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.checkin_id == administration.checkin_id)
            )
        ).one()
        await screener_outcomes.checkin_not_sent(
            session, row, Delivery(Outcome.blocked, error="Forbidden: bot was blocked"), start
        )
    async with sessionmaker() as session:
        assert await session.get(Administration, administration.id) is None
    # It never reached them: the next check-in carries one.
    assert len(await dispatch_at(sessionmaker, client_id, start + timedelta(days=1))) == 1
