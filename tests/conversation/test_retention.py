"""Free text is kept for `free_text_retention_days`, then blanked; what it meant stays."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.checkin.models import Checkin, CheckinStatus
from bot.conversation import service as messages
from bot.conversation.models import ClientMessage
from bot.database.core import SessionMaker
from bot.nlu.understanding import Risk, Understanding
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now()
KEEP_DAYS = 90
CUTOFF = NOW - timedelta(days=KEEP_DAYS)
WORRY = Understanding(intent="warning_sign", confidence=0.82, risk=Risk.elevated, source="rasa")


async def _history(sessionmaker: SessionMaker) -> int:
    """Messages and check-in notes written long ago, exactly at the cutoff, and recently."""
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapist = await make_therapist(session, clinic)
        client = await make_client(session, therapist=therapist, now=NOW - timedelta(days=200))
        for age, words in (
            (timedelta(days=120), "old: couldn't sleep all week"),
            (timedelta(days=KEEP_DAYS, seconds=1), "just past the cutoff"),
            (timedelta(days=KEEP_DAYS), "exactly at the cutoff"),
            (timedelta(days=3), "recent: went for the walk"),
        ):
            await messages.record(
                session, client_id=client.id, text=words, understanding=WORRY, now=NOW - age
            )
        for age, note in (
            (timedelta(days=100), "old note"),
            (timedelta(days=5), "new note"),
            (timedelta(days=100), None),
        ):
            session.add(
                Checkin(
                    client_id=client.id,
                    due_at=NOW - age,
                    status=CheckinStatus.answered,
                    answered_at=NOW - age,
                    mood=2,
                    warning_signs=[1],
                    note=note,
                )
            )
        return client.id


async def _purge(sessionmaker: SessionMaker, now: datetime = NOW) -> int:
    async with sessionmaker.begin() as session:
        return await messages.purge_free_text(session, now=now, keep_days=KEEP_DAYS)


async def _messages(sessionmaker: SessionMaker) -> list[ClientMessage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ClientMessage).order_by(ClientMessage.id)))


async def _answered(sessionmaker: SessionMaker) -> list[Checkin]:
    async with sessionmaker() as session:
        query = select(Checkin).where(Checkin.status == CheckinStatus.answered)
        return list(await session.scalars(query.order_by(Checkin.id)))


async def test_old_message_text_is_blanked_and_its_meaning_kept(
    sessionmaker: SessionMaker,
) -> None:
    await _history(sessionmaker)
    assert await _purge(sessionmaker) == 2
    old, past, at_cutoff, recent = await _messages(sessionmaker)
    for purged in (old, past):
        assert purged.text is None and purged.text_purged_at == NOW
        assert purged.intent == "warning_sign" and purged.risk == "elevated"
        assert purged.confidence == 0.82 and purged.source == "rasa"
    assert at_cutoff.text == "exactly at the cutoff" and at_cutoff.text_purged_at is None
    assert recent.text == "recent: went for the walk" and recent.text_purged_at is None


async def test_old_checkin_notes_are_blanked_and_answers_kept(sessionmaker: SessionMaker) -> None:
    await _history(sessionmaker)
    await _purge(sessionmaker)
    old, new, without_note = await _answered(sessionmaker)
    assert old.note is None and old.mood == 2 and old.warning_signs == [1]
    assert new.note == "new note"
    assert without_note.note is None and without_note.mood == 2


async def test_purging_again_changes_nothing(sessionmaker: SessionMaker) -> None:
    await _history(sessionmaker)
    await _purge(sessionmaker)
    assert await _purge(sessionmaker) == 0
    purged = [m for m in await _messages(sessionmaker) if m.text is None]
    # The first purge's time stands: it is when the words were actually deleted.
    assert [m.text_purged_at for m in purged] == [NOW, NOW]


async def test_text_is_purged_as_time_passes(sessionmaker: SessionMaker) -> None:
    await _history(sessionmaker)
    await _purge(sessionmaker)
    assert await _purge(sessionmaker, now=NOW + timedelta(days=1)) == 1
    assert await _purge(sessionmaker, now=NOW + timedelta(days=KEEP_DAYS)) == 1
    assert all(m.text is None for m in await _messages(sessionmaker))
    assert all(c.note is None for c in await _answered(sessionmaker))
