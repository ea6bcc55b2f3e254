"""Walking through the screeners of one check-in: one after another, the AUDIT-C's early end,
"Not now" for all of them, and taps that are stale, forged or someone else's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.client.models import Client
from bot.conversation import screener_taps, screener_walk
from bot.conversation.checkin_taps import Tapped
from bot.database.core import SessionMaker
from bot.outbox.models import OutboxMessage
from bot.screener.models import Administration, AdministrationStatus
from bot.screener.plans import PlanChange
from bot.texts import screener as text
from tests.factories import make_client
from tests.screener.conftest import dispatch_at, linked_client


async def started(
    sessionmaker: SessionMaker, change: PlanChange, at: datetime
) -> tuple[int, list[int]]:
    client_id = await linked_client(sessionmaker, change)
    riding = await dispatch_at(sessionmaker, client_id, at)
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None and riding[0].checkin_id is not None
        assert await screener_walk.begin_after_checkin(session, client, riding[0].checkin_id, at)
    return client_id, [a.id for a in riding]


async def tap(
    sessionmaker: SessionMaker, client_id: int, administration_id: int, item: int | None,
    value: int | None, at: datetime,
) -> Tapped:  # fmt: skip
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        return await screener_taps.tap(
            session, client, administration_id=administration_id, item=item, value=value, now=at
        )


async def replies(sessionmaker: SessionMaker) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage.text)
            .where(OutboxMessage.edit_message_id.is_(None), OutboxMessage.purpose == "reply")
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def statuses(sessionmaker: SessionMaker) -> list[tuple[str, AdministrationStatus]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Administration.form, Administration.status).order_by(Administration.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_phq_then_gad_then_audit_c_on_one_checkin(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    change = PlanChange(families=["audit_c", "gad", "phq"], audit_c_cutoff="men")
    client_id, (phq, gad, audit) = await started(sessionmaker, change, start)
    for item, value in ((1, 0), (2, 1)):  # PHQ-2 = 1: no step-up
        assert (await tap(sessionmaker, client_id, phq, item, value, start)).toast == text.SAVED
    sent = await replies(sessionmaker)
    assert sent[-1].startswith(text.NEXT_INSTRUMENT)
    assert "by the following problems?\n\n1 of 2: Feeling nervous, anxious or on edge" in sent[-1]
    for item, value in ((1, 1), (2, 1)):  # GAD-2 = 2
        await tap(sessionmaker, client_id, gad, item, value, start)
    sent = await replies(sessionmaker)
    assert sent[-1].endswith("1 of 3: How often do you have a drink containing alcohol?")
    await tap(sessionmaker, client_id, audit, 1, 0, start)  # "Never": the form ends there
    assert (await replies(sessionmaker))[-1] == text.DONE
    assert await statuses(sessionmaker) == [
        ("phq2", AdministrationStatus.finished),
        ("gad2", AdministrationStatus.finished),
        ("audit_c", AdministrationStatus.finished),
    ]
    async with sessionmaker() as session:
        totals = list(
            await session.execute(
                select(Administration.total, Administration.band).order_by(Administration.id)
            )
        )
    assert [tuple(t) for t in totals] == [
        (1, "negative screen"),
        (2, "negative screen"),
        (0, "negative screen"),
    ]


async def test_not_now_leaves_every_screener_of_the_checkin(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id, (phq, gad) = await started(sessionmaker, PlanChange(families=["phq", "gad"]), start)
    await tap(sessionmaker, client_id, phq, 1, 3, start)
    assert (await tap(sessionmaker, client_id, phq, None, None, start)).toast == text.SKIPPED
    assert (await replies(sessionmaker))[-1] == text.NOT_NOW_REPLY
    assert await statuses(sessionmaker) == [
        ("phq2", AdministrationStatus.skipped),
        ("gad2", AdministrationStatus.skipped),
    ]
    assert (await tap(sessionmaker, client_id, phq, None, None, start)).toast == text.CLOSED
    assert (await tap(sessionmaker, client_id, gad, 1, 0, start)).toast == text.CLOSED


async def test_stale_forged_and_foreign_taps_change_nothing(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id, (phq,) = await started(sessionmaker, PlanChange(families=["phq"]), start)
    await tap(sessionmaker, client_id, phq, 1, 2, start)
    again = await tap(sessionmaker, client_id, phq, 1, 0, start)
    assert again.toast == text.ALREADY_SAVED
    assert again.buttons is not None and again.buttons[0][0][0] == "✓ More than half the days"
    ahead = await tap(sessionmaker, client_id, phq, 5, 0, start)  # not asked yet
    assert ahead.toast == text.CLOSED
    forged = await tap(sessionmaker, client_id, phq, 2, 7, start)  # no such answer
    assert forged.toast is None and forged.buttons is not None and len(forged.buttons) == 5
    beyond = await tap(sessionmaker, client_id, phq, 20, 0, start)  # no such item
    assert beyond.toast == text.CLOSED
    assert (await tap(sessionmaker, client_id, phq + 1000, 1, 0, start)).toast == text.CLOSED
    async with sessionmaker.begin() as session:
        mine = await session.get(Client, client_id)
        assert mine is not None
        other = await make_client(session, therapist=mine.therapist, now=start, name="Alex")
        theirs = Administration(
            client_id=other.id, family="phq", form="phq2", status=AdministrationStatus.answering,
            asked_item="phq1", sent_at=start,
        )  # fmt: skip
        session.add(theirs)
    assert (await tap(sessionmaker, client_id, theirs.id, 1, 3, start)).toast == text.CLOSED
    async with sessionmaker() as session:
        untouched = await session.get(Administration, theirs.id)
    assert untouched is not None and untouched.asked_item == "phq1"
    async with sessionmaker() as session:
        administration = await session.get(Administration, phq)
    assert administration is not None
    assert (administration.status, administration.asked_item) == (
        AdministrationStatus.answering,
        "phq2",
    )
