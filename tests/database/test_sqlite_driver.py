"""SQLite through the one-trip dialect: the same results and errors as the stock aiosqlite
dialect, with each statement a single hand-off to aiosqlite's thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.database import sqlite_driver
from bot.database.core import make_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    made = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    async with made.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield made
    await made.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every hand-off to aiosqlite's thread, by the function handed over."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(
        self: aiosqlite.Connection, fn: object, *args: object, **kw: object
    ) -> object:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kw)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_the_engine_uses_the_one_trip_dialect(engine: AsyncEngine) -> None:
    assert engine.dialect.driver == sqlite_driver.DRIVER


async def test_each_statement_is_one_trip_with_the_stock_results(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        trips.clear()
        inserted = await connection.execute(
            text("INSERT INTO t (name) VALUES ('a'), ('b') RETURNING id")
        )
        assert sorted(inserted.scalars()) == [1, 2] and trips == ["_run"]
        trips.clear()
        many = await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "c"}, {"name": "d"}]
        )
        assert many.rowcount == 2 and trips == ["_run"]
        trips.clear()
        changed = await connection.execute(text("UPDATE t SET name = name || '!' WHERE id > 2"))
        assert changed.rowcount == 2 and trips == ["_run"]
        rows = (await connection.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b"), (3, "c!"), (4, "d!")]
        empty = await connection.execute(text("SELECT id FROM t WHERE id > 99"))
        assert empty.all() == []


async def test_errors_are_sqlalchemys_own(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('same')"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('same')"))
    async with engine.connect() as connection:
        count = await connection.scalar(text("SELECT count(*) FROM t"))
    assert count == 1
