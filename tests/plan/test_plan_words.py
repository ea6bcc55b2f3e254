"""The plan words every message is read against: the plan's own signs and trigger situations,
read with the client in the flow's one query, and none (not an error) from a plan without them."""

from __future__ import annotations

from bot.conversation.flow import Inbound, receive
from bot.plan import service as plans
from bot.services import Services
from tests.factories import example_plan, make_linked_client

CHAT = 16_101


def test_the_words_are_the_plans_own_signs_and_trigger_situations() -> None:
    plan = example_plan()
    assert plan.warning_signs and plan.triggers
    content = plan.model_dump(mode="json")
    signs, triggers = plans.words_of(content["warning_signs"], content["triggers"])
    assert signs == plan.warning_signs
    assert triggers == [trigger.situation for trigger in plan.triggers]


def test_a_plan_without_them_reads_as_none() -> None:
    assert plans.words_of(None, None) == ([], [])
    assert plans.words_of(["Sleeping badly"], [{"no situation": "x"}]) == ([], [])


async def test_a_message_is_read_against_the_plan_that_comes_with_the_client(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessionmaker.begin() as session:
        await make_linked_client(session, chat_id=CHAT, now=now)
    sign = example_plan().warning_signs[0]
    handled = await receive(services, Inbound(CHAT, sign.lower()))
    assert handled.understanding.matched_sign == sign
    stranger = await receive(services, Inbound(CHAT + 1, sign.lower()))
    assert stranger.client_id is None and stranger.understanding.matched_sign is None
