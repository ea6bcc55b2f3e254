"""/delete's erasure: none of the client's words remain anywhere; the clinic's record stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import bot.database.models  # noqa: F401 - every table registered, so the sweep sees them all
from bot.alert.models import Alert, AlertEvent, AlertStatus
from bot.checkin.models import Checkin
from bot.client.erasure import ERASED_EVIDENCE, ERASED_NAME, erase_client, is_erased
from bot.client.models import Client, ClientStatus, Invite
from bot.conversation.models import ClientMessage
from bot.database.base import Base
from bot.database.core import SessionMaker
from bot.errors import NotFound
from bot.plan.models import Plan
from bot.return_request.models import ReturnRequest
from tests.client.test_data_export import (
    CHAT,
    NOTE,
    NOW,
    OLD,
    PLAN_WORDS,
    RECENT,
    STAFF_NOTE,
    client_with_history,
)

LATER = NOW + timedelta(hours=1)


async def _every_stored_value(sessionmaker: SessionMaker) -> str:
    """Every value in every table, as one string to search."""
    parts: list[str] = []
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(select(table)):
                parts.extend(repr(value) for value in row)
    return "\n".join(parts)


async def _count(sessionmaker: SessionMaker, model: type, client_id: int) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(
            select(func.count()).select_from(model).where(model.client_id == client_id)  # type: ignore[attr-defined]
        )
        return int(found or 0)


async def test_no_words_of_the_client_remain_anywhere(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    before = await _every_stored_value(sessionmaker)
    for words in (NOTE[:20], RECENT[:20], PLAN_WORDS, "Sam Jones", str(CHAT)):
        assert words in before, f"the setup should have stored {words!r}"
    async with sessionmaker.begin() as session:
        receipt = await erase_client(session, client_id=history.client_id, now=LATER)
    after = await _every_stored_value(sessionmaker)
    for words in (NOTE[:20], RECENT[:20], OLD[:10], PLAN_WORDS, "Sam Jones", str(CHAT)):
        assert words not in after, f"{words!r} survived the erasure"
    for model in (ClientMessage, Checkin, Plan, Invite):
        assert await _count(sessionmaker, model, history.client_id) == 0, model.__name__
    assert receipt.messages == 2 and receipt.plans == 1 and receipt.invites == 1
    assert receipt.crisis_steps == 1 and receipt.taper_changes == 1
    assert receipt.checkins > 2  # the two answered/missed and every scheduled one
    assert receipt.alerts_scrubbed == 1 and receipt.erased_at == LATER


async def test_the_client_row_stays_as_the_record_of_the_erasure(
    sessionmaker: SessionMaker,
) -> None:
    history = await client_with_history(sessionmaker)
    async with sessionmaker.begin() as session:
        receipt = await erase_client(session, client_id=history.client_id, now=LATER)
    async with sessionmaker() as session:
        client = await session.get(Client, history.client_id)
        assert client is not None
        assert client.display_name == ERASED_NAME and client.chat_id is None
        assert client.status == ClientStatus.stopped and is_erased(client)
        assert client.pseudonym == receipt.pseudonym and client.updated_at == LATER


async def test_alerts_stay_for_the_clinic_without_evidence(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    async with sessionmaker.begin() as session:
        await erase_client(session, client_id=history.client_id, now=LATER)
    async with sessionmaker() as session:
        alert = await session.get(Alert, history.alert_id)
        assert alert is not None
        assert alert.evidence == ERASED_EVIDENCE
        assert alert.evidence_message_id is None and alert.evidence_checkin_id is None
        # The clinic's own handling of it is its clinical record, and stays.
        assert alert.status == AlertStatus.resolved and alert.resolution_note == STAFF_NOTE
        details = list(
            await session.scalars(
                select(AlertEvent.detail).where(AlertEvent.alert_id == history.alert_id)
            )
        )
        assert ERASED_EVIDENCE in details and STAFF_NOTE in details
        returns = await session.scalar(
            select(func.count()).where(ReturnRequest.client_id == history.client_id)
        )
        assert returns == 1


async def test_other_clients_are_untouched(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    before = await _count(sessionmaker, Checkin, history.other_id)
    async with sessionmaker.begin() as session:
        await erase_client(session, client_id=history.client_id, now=LATER)
    async with sessionmaker() as session:
        other = await session.get(Client, history.other_id)
        assert other is not None and other.display_name == "Alex Other" and other.chat_id == 5552
        words = list(
            await session.scalars(
                select(ClientMessage.text).where(ClientMessage.client_id == history.other_id)
            )
        )
        assert words == ["Alex's own words stay."]
    assert await _count(sessionmaker, Plan, history.other_id) == 1
    assert await _count(sessionmaker, Checkin, history.other_id) == before > 0


async def test_erasing_twice_changes_nothing_more(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    async with sessionmaker.begin() as session:
        await erase_client(session, client_id=history.client_id, now=LATER)
    async with sessionmaker.begin() as session:
        again = await erase_client(session, client_id=history.client_id, now=LATER)
    assert (again.messages, again.checkins, again.plans, again.invites) == (0, 0, 0, 0)


async def test_unknown_client_is_not_found(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        with pytest.raises(NotFound):
            await erase_client(session, client_id=999, now=NOW)


async def test_the_direct_questions_go_and_an_open_one_pages_nobody(
    sessionmaker: SessionMaker,
) -> None:
    from bot.conversation.question_models import DirectQuestion
    from bot.services import Services
    from scheduler import jobs

    history = await client_with_history(sessionmaker)
    async with sessionmaker.begin() as session:
        session.add_all(
            [
                DirectQuestion(
                    client_id=history.client_id, asked_at=NOW, deadline_at=NOW, answer=None
                ),
                DirectQuestion(
                    client_id=history.client_id,
                    asked_at=NOW - timedelta(days=1),
                    deadline_at=NOW - timedelta(days=1),
                ),
            ]
        )
    async with sessionmaker.begin() as session:
        receipt = await erase_client(session, client_id=history.client_id, now=LATER)
    assert receipt.questions == 2
    assert await _count(sessionmaker, DirectQuestion, history.client_id) == 0
    clock_only = Services(
        settings=None,  # type: ignore[arg-type]
        engine=None,  # type: ignore[arg-type]
        sessionmaker=sessionmaker,
        understander=None,  # type: ignore[arg-type]
        now=lambda: LATER + timedelta(hours=1),
    )
    assert await jobs.expire_questions(clock_only) == 0
