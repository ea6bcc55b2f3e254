"""A client's screeners answered through the same domain calls the buttons make."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.client.models import Client
from bot.conversation import question, screener_taps, screener_walk
from bot.database.core import SessionMaker
from bot.screener.instrument import instrument
from bot.screener.models import Administration, AdministrationStatus
from bot.screener.plans import PlanChange
from tests.screener.conftest import dispatch_at, linked_client

# PHQ-2 = 3 steps up; then the PHQ-9 totals 9 (mild), item 9 "Not at all".
FIRST_PHQ9 = [2, 1, 1, 1, 1, 1, 1, 1, 0]
# 15 (moderately severe), item 9 "Several days", answered No to the direct question.
SECOND_PHQ9 = [2, 2, 2, 2, 2, 2, 1, 1, 1]


async def answer_all(
    sessionmaker: SessionMaker,
    client_id: int,
    administration_id: int,
    values: list[int],
    at: datetime,
) -> None:
    """Answer the administration's items in order; after item 9 "Several days", No."""
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        administration = await session.get(Administration, administration_id)
        assert client is not None and administration is not None
        assert administration.checkin_id is not None
        await screener_walk.begin_after_checkin(session, client, administration.checkin_id, at)
        found = instrument(administration.family)
        for number, value in enumerate(values, start=1):
            tapped = await screener_taps.tap(
                session,
                client,
                administration_id=administration_id,
                item=number,
                value=value,
                now=at,
            )
            assert tapped.toast == "Saved.", (number, tapped)
            # The same object the taps changed (the session's identity map): no refresh.
            if administration.status is AdministrationStatus.asking:
                assert administration.question_id is not None
                assert await question.answer(
                    session, client, question_id=administration.question_id, choice="no", now=at
                )
        if found.closing is not None and administration.asked_item == found.closing.key:
            closing = found.number_of(found.closing.key)
            await screener_taps.tap(
                session, client, administration_id=administration_id, item=closing, value=1, now=at
            )


async def client_with_screeners(sessionmaker: SessionMaker, start: datetime) -> int:
    """Ending PHQ-9 8; a PHQ-9 of 9 on the first day, 15 with item 9 "Several days" two weeks
    later (up 7: a reliable deterioration, and back into caseness)."""
    client_id = await linked_client(
        sessionmaker, PlanChange(families=["phq"], ending_totals={"phq9": 8})
    )
    for values, day in ((FIRST_PHQ9, 0), (SECOND_PHQ9, 14)):
        at = start + timedelta(days=day)
        [administration] = await dispatch_at(sessionmaker, client_id, at)
        await answer_all(sessionmaker, client_id, administration.id, values, at)
    return client_id


async def administrations(sessionmaker: SessionMaker) -> list[Administration]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Administration).order_by(Administration.id)))
