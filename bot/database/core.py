"""Engines and sessions. Nothing connects until a caller asks for an engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.database import sqlite_driver

SessionMaker = async_sessionmaker[AsyncSession]
POOL_RECYCLE_SECONDS = 1800
# How long a statement waits for a lock another connection holds before failing. Short: a failed
# message is handled again once the database answers, and a possible crisis gets the resources
# straight away meanwhile; waiting longer would only delay them.
LOCK_WAIT_SECONDS = 5


def make_engine(
    url: str, *, lock_wait_seconds: float = LOCK_WAIT_SECONDS, **kwargs: Any
) -> AsyncEngine:
    """An engine whose errors and logs never show bound values (a client's words, their name).

    `hide_parameters` is forced: a failed INSERT of a message would otherwise put its text in
    the exception's str(), and so in every log line and CLI error that prints it.
    """
    kwargs["hide_parameters"] = True
    if url.startswith("sqlite"):
        # SQLite has one writer; pool sizing is a PostgreSQL matter.
        kwargs.pop("pool_size", None)
        kwargs.pop("max_overflow", None)
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            _one_trip(url), connect_args={"timeout": lock_wait_seconds}, **kwargs
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(lock_wait_seconds))
        return engine
    # No pre-ping: a round trip on every checkout. A connection lost to a restart fails once and
    # renews the pool; recycling keeps idle ones from outliving a firewall's idle timeout.
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
    if make_url(url).get_backend_name() == "postgresql":
        lock_wait = {"lock_timeout": str(int(lock_wait_seconds * 1000))}
        kwargs.setdefault("connect_args", {"server_settings": lock_wait})
    return create_async_engine(url, **kwargs)


def _one_trip(url: str) -> URL:
    """aiosqlite through the dialect that makes each statement one trip to its thread."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite+aiosqlite":
        return parsed.set(drivername=f"sqlite+{sqlite_driver.DRIVER}")
    return parsed


def _sqlite_pragmas(lock_wait_seconds: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets the bot read while the scheduler writes; foreign keys are off by default.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_wait_seconds * 1000)}")
        cursor.close()

    return on_connect


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    return async_sessionmaker(engine, expire_on_commit=False)
