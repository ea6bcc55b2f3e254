"""The bot starts sending before its model is read; no message is read without it."""

from __future__ import annotations

import asyncio
import threading

from bot.nlu.service import Understander
from bot.nlu.understanding import Risk


async def test_a_deferred_model_is_read_once_off_the_loop_and_awaited_by_readers(
    understander: Understander,
) -> None:
    calls: list[str] = []
    release = threading.Event()

    def loader() -> Understander:
        calls.append(threading.current_thread().name)
        release.wait(5)
        return understander

    deferred = Understander.deferred(loader)
    reading = asyncio.create_task(deferred.understand("can i see my plan"))
    starting = asyncio.create_task(deferred.load())
    await asyncio.sleep(0.05)
    assert not reading.done() and not starting.done()  # both wait for the one load
    release.set()
    await starting
    understood = await reading
    assert understood.intent == "ask_plan" and understood.source == "embedded"
    assert len(calls) == 1 and calls[0] != threading.main_thread().name
    assert deferred.health()["backend"] == "embedded"
    crisis = await deferred.understand("i want to end it all tonight")
    assert crisis.risk is Risk.crisis
