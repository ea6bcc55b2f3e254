"""Leader election: on PostgreSQL exactly one process leads, and another takes over when the
leader releases or dies; on SQLite (single-process by design) every process leads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.database.core import make_engine
from bot.database.leader import Leadership, keep_leading, lock_key

ROUNDS = 30


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture
async def engines(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two processes' engines on one database (leadership needs no tables)."""
    first, second = make_engine(database_url), make_engine(database_url)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if not is_postgres(database_url):
        pytest.skip("advisory locks are PostgreSQL's; SQLite runs one process")


async def eventually(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def terminate_lock_holder(engine: AsyncEngine, key: int) -> int:
    """What a crash of the leader's process looks like to PostgreSQL: its session ends."""
    high, low = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    async with engine.connect() as connection:
        pid = await connection.scalar(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid::bigint = :high AND objid::bigint = :low"
                # Advisory locks are per database: never another database's holder (a bench's).
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"high": high, "low": low},
        )
        assert pid is not None
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await connection.commit()
    return int(pid)


def test_the_key_is_stable_and_fits_a_bigint() -> None:
    assert lock_key("aftercare:telegram-poller") == lock_key("aftercare:telegram-poller")
    assert lock_key("a") != lock_key("b")
    assert -(2**63) <= lock_key("aftercare:telegram-poller") < 2**63


async def test_on_sqlite_every_process_leads(
    database_url: str, engines: tuple[AsyncEngine, AsyncEngine]
) -> None:
    if is_postgres(database_url):
        pytest.skip("SQLite's behaviour")
    a, b = Leadership(engines[0]), Leadership(engines[1])
    assert not a.uses_lock and not a.is_leader
    assert await a.try_acquire() and await b.try_acquire()
    assert a.is_leader and b.is_leader and await a.check()
    await a.release()
    assert not a.is_leader and not await a.check() and b.is_leader


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
async def test_exactly_one_of_two_processes_leads(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    a, b = Leadership(engines[0]), Leadership(engines[1])
    try:
        for round in range(ROUNDS):
            got = await asyncio.gather(a.try_acquire(), b.try_acquire())
            assert sorted(got) == [False, True], round
            assert [a.is_leader, b.is_leader] == list(got)
            leader, other = (a, b) if got[0] else (b, a)
            # Trying again changes nothing: the leader stays, the other still waits.
            assert await leader.try_acquire() and not await other.try_acquire()
            assert await leader.check() and not await other.check()
            await leader.release()
            assert not leader.is_leader
            # Released: the other's next try wins.
            assert await other.try_acquire()
            await other.release()
    finally:
        await a.release()
        await b.release()


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
async def test_when_the_leaders_connection_dies_it_stops_leading_and_another_takes_over(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    a, b = Leadership(engines[0]), Leadership(engines[1])
    try:
        assert await a.try_acquire() and not await b.try_acquire()
        await terminate_lock_holder(engines[1], a.key)
        assert not await a.check() and not a.is_leader
        assert await b.try_acquire()
        # The old leader's pool still works: it can try again, and waits its turn.
        assert not await a.try_acquire()
    finally:
        await a.release()
        await b.release()


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
async def test_a_dead_leader_process_frees_the_lock(database_url: str, engine: AsyncEngine) -> None:
    """The leader's engine is thrown away without releasing: its connection closing is enough."""
    dying = make_engine(database_url)
    a, b = Leadership(dying), Leadership(engine)
    assert await a.try_acquire() and not await b.try_acquire()
    # A process that dies closes its sockets; dispose() alone would keep a checked-out one.
    connection = a._connection
    assert connection is not None
    await connection.invalidate()
    await dying.dispose()
    try:
        assert await b.try_acquire()
    finally:
        await b.release()


Callback = Callable[[], Awaitable[None]]


def recorder(log: list[str], what: str) -> Callback:
    async def record() -> None:
        log.append(what)

    return record


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
async def test_keep_leading_elects_one_and_hands_over_on_shutdown_and_on_loss(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    a, b = Leadership(engines[0]), Leadership(engines[1])
    log: list[str] = []
    tasks = {
        name: asyncio.create_task(
            keep_leading(
                leadership,
                on_elected=recorder(log, f"{name} elected"),
                on_lost=recorder(log, f"{name} lost"),
                interval=0.02,
            )
        )
        for name, leadership in (("a", a), ("b", b))
    }
    try:
        await eventually(lambda: a.is_leader or b.is_leader)
        await asyncio.sleep(0.2)  # several more tries: still exactly one leader
        assert a.is_leader != b.is_leader and len(log) == 1
        first, other = ("a", "b") if a.is_leader else ("b", "a")
        # The leader shuts down: cancelling releases the lock, the other is elected.
        tasks[first].cancel()
        with pytest.raises(asyncio.CancelledError):
            await tasks[first]
        lead = {"a": a, "b": b}
        await eventually(lambda: lead[other].is_leader)
        assert log == [f"{first} elected", f"{other} elected"]
        # Its connection is killed: it notices, says so, and is elected again once reconnected.
        await terminate_lock_holder(engines[0], lead[other].key)
        await eventually(lambda: f"{other} lost" in log)
        await eventually(lambda: log.count(f"{other} elected") == 2)
        assert log[-2:] == [f"{other} lost", f"{other} elected"]
    finally:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    assert not a.is_leader and not b.is_leader


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_only")
async def test_a_failing_on_elected_gives_the_leadership_back(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    a, b = Leadership(engines[0]), Leadership(engines[1])
    calls: list[bool] = []

    async def broken() -> None:
        calls.append(a.is_leader)
        raise RuntimeError("could not start polling")

    task = asyncio.create_task(keep_leading(a, on_elected=broken, interval=0.05))
    try:
        # `a` was elected (and was the leader during the call), then gave it back...
        await eventually(lambda: bool(calls))
        assert calls[0] is True
        await eventually(lambda: not a.is_leader)
        # ...so `b` gets its turn, and `a` keeps trying without ever taking it from `b`.
        for _ in range(50):
            if await b.try_acquire():
                break
            await asyncio.sleep(0.01)
        assert b.is_leader
        tries = len(calls)
        await asyncio.sleep(0.2)
        assert len(calls) == tries and not a.is_leader
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await b.release()
