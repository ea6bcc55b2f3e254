"""A database error never carries a client's words: engines hide bound parameters."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation.models import ClientMessage
from bot.database.core import make_sessionmaker
from tests.support import clock

WORDS = "nobody would miss me, I have the pills ready"


async def test_an_integrity_error_shows_no_bound_values(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    assert engine.sync_engine.hide_parameters
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    sessionmaker = make_sessionmaker(engine)
    with pytest.raises(IntegrityError) as caught:
        async with sessionmaker.begin() as session:
            # No client 987654 exists: the foreign key refuses the row.
            session.add(
                ClientMessage(
                    client_id=987_654,
                    received_at=clock.now(),
                    text=WORDS,
                    intent="crisis",
                    confidence=0.9,
                    risk="crisis",
                    source="embedded",
                )
            )
    shown = str(caught.value)
    assert "INSERT INTO client_messages" in shown  # the statement is still there to debug with
    assert "parameters hidden" in shown
    assert WORDS not in shown and "987654" not in shown.split("DETAIL")[0]
    assert WORDS not in repr(caught.value)
    assert WORDS not in caplog.text
