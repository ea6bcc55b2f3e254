"""Leader election: exactly one process does what must not be done twice (polling Telegram).

On PostgreSQL the leader is whoever holds a session-level advisory lock
(`pg_try_advisory_lock`) on a connection kept open for as long as it leads. When the leader
process dies, its connection closes and PostgreSQL releases the lock: another process's next
try wins. A leader whose connection is lost stops being the leader (`check`).

On SQLite the product is single-process by design: every `Leadership` leads as soon as it
tries, and two of them on one file would both lead.

    leadership = Leadership(services.engine)
    task = asyncio.create_task(
        keep_leading(leadership, on_elected=start_polling, on_lost=stop_polling, interval=5)
    )
    ...
    task.cancel()  # releases the lock, so another process takes over at its next try
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

POLLER = "aftercare:telegram-poller"
CHECK_TIMEOUT = 10.0

_TRY = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")
# A bigint advisory lock shows in pg_locks as classid (high 32 bits), objid (low), objsubid 1.
_HOLDS = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = pg_backend_pid() AND objsubid = 1"
    " AND classid::bigint = :high AND objid::bigint = :low)"
)
# What a lost connection or an unreachable server looks like from here.
_LOST = (SQLAlchemyError, OSError, asyncio.TimeoutError)


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name` (the same in every process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Leadership:
    """Whether this process leads for `name`; one leader per database among all processes."""

    def __init__(
        self, engine: AsyncEngine, *, name: str = POLLER, check_timeout: float = CHECK_TIMEOUT
    ) -> None:
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self.check_timeout = check_timeout
        # Only PostgreSQL has advisory locks; anything else is single-process by design.
        self.uses_lock = engine.dialect.name == "postgresql"
        self._connection: AsyncConnection | None = None
        self._leader = False
        self._guard = asyncio.Lock()

    @property
    def is_leader(self) -> bool:
        """True from a successful `try_acquire` until `release` or a detected loss."""
        return self._leader

    async def try_acquire(self) -> bool:
        """Become the leader if no other process is; True if this process now leads.

        Never raises for database trouble: an unreachable database means not leading.
        """
        async with self._guard:
            if self._leader and await self._holds():
                return True
            if not self.uses_lock:
                self._leader = True
                return True
            try:
                connection = await self.engine.connect()
            except _LOST as exc:
                logger.warning("leader election for %s: no database connection: %s", self.name, exc)
                return False
            try:
                # No transaction left open for hours: the lock belongs to the session.
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                got = await asyncio.wait_for(
                    connection.scalar(_TRY, {"key": self.key}), self.check_timeout
                )
            except BaseException as exc:
                await _discard(connection)
                if isinstance(exc, _LOST):
                    logger.warning("leader election for %s failed: %s", self.name, exc)
                    return False
                raise
            if not got:
                await connection.close()
                return False
            self._connection = connection
            self._leader = True
            logger.info("this process now leads for %s", self.name)
            return True

    async def check(self) -> bool:
        """Still the leader? A lost connection (or a lock gone from it) ends the leadership."""
        async with self._guard:
            return self._leader and await self._holds()

    async def release(self) -> None:
        """Stop leading and let another process take over at its next try."""
        async with self._guard:
            connection, self._connection = self._connection, None
            was_leader, self._leader = self._leader, False
            if connection is None:
                return
            try:
                await asyncio.wait_for(
                    connection.execute(_UNLOCK, {"key": self.key}), self.check_timeout
                )
                await connection.close()
            except BaseException as exc:
                # Closing the session releases the lock all the same.
                await _discard(connection)
                if not isinstance(exc, _LOST):
                    raise
            finally:
                if was_leader:
                    logger.info("this process no longer leads for %s", self.name)

    async def _holds(self) -> bool:
        """With the guard held: whether the lock is still ours; forgets it if not."""
        if self._connection is None:
            return self._leader
        high, low = (self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF
        try:
            held = bool(
                await asyncio.wait_for(
                    self._connection.scalar(_HOLDS, {"high": high, "low": low}),
                    self.check_timeout,
                )
            )
        except BaseException as exc:
            await self._lose()
            if isinstance(exc, _LOST):
                logger.warning("lost the leadership for %s: %s", self.name, exc)
                return False
            raise
        if not held:
            logger.warning("lost the leadership for %s: the lock is gone", self.name)
            await self._lose()
        return held

    async def _lose(self) -> None:
        connection, self._connection = self._connection, None
        self._leader = False
        if connection is not None:
            await _discard(connection)


async def _discard(connection: AsyncConnection) -> None:
    """Close a connection that may be broken; its session (and any lock) ends with it."""
    try:
        await connection.invalidate()
    except _LOST:
        pass
    try:
        await connection.close()
    except _LOST:
        pass


async def keep_leading(
    leadership: Leadership,
    *,
    on_elected: Callable[[], Awaitable[None]],
    on_lost: Callable[[], Awaitable[None]] | None = None,
    interval: float = 5.0,
) -> None:
    """Until cancelled: try to lead every `interval` seconds, and once leading check it as often.

    `on_elected` runs each time this process becomes the leader (start polling); if it
    fails, the leadership is given back and tried again later. `on_lost` runs when the
    leadership is lost without being released (the database connection went away): stop
    polling, another process may already be the leader. Cancelling releases the leadership
    without calling `on_lost`: the caller is shutting down and stops what it started itself.
    """
    try:
        while True:
            if leadership.is_leader:
                if not await leadership.check() and on_lost is not None:
                    try:
                        await on_lost()
                    except Exception:
                        logger.exception("on_lost for %s failed", leadership.name)
            elif await leadership.try_acquire():
                try:
                    await on_elected()
                except Exception:
                    logger.exception("on_elected for %s failed: giving it back", leadership.name)
                    await leadership.release()
            await asyncio.sleep(interval)
    finally:
        await leadership.release()
