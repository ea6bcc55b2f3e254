"""The plan words every message is read against: the same as the whole plan's, in one query."""

from __future__ import annotations

from bot.database.core import SessionMaker
from bot.plan import service as plans
from tests.factories import example_plan, make_client, make_clinic, make_therapist
from tests.support import clock

CHAT = 16_001


async def test_the_words_are_the_plans_own_signs_and_trigger_situations(
    sessionmaker: SessionMaker,
) -> None:
    async with sessionmaker.begin() as session:
        therapist = await make_therapist(session, await make_clinic(session))
        client = await make_client(session, therapist=therapist, now=clock.now())
        client.chat_id = CHAT
    plan = example_plan()
    assert plan.warning_signs and plan.triggers
    async with sessionmaker() as session:
        signs, triggers = await plans.words_for_chat(session, chat_id=CHAT)
        assert signs == plan.warning_signs
        assert triggers == [trigger.situation for trigger in plan.triggers]
        assert await plans.words_for_chat(session, chat_id=CHAT + 1) == ([], [])
