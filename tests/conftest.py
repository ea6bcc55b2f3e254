"""Shared fixtures: storage tests run on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings, normalize_database_url
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from bot.database.migrate import upgrade
from bot.nlu.service import Understander, build_understander
from bot.runtime import Runtime
from bot.services import Services
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness

pytest_plugins = ["tests.support.fixtures", "tests.support.clock"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
TOKEN = "123456:TEST-TOKEN"


async def _admin(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'aftercare.db'}"
        return
    assert POSTGRES_URL is not None
    base = normalize_database_url(POSTGRES_URL)
    name = f"aftercare_test_{secrets.token_hex(6)}"
    admin = await _admin(base)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    admin = await _admin(base)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A database migrated to head."""
    engine = make_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> SessionMaker:
    return make_sessionmaker(engine)


@pytest.fixture(scope="session")
def nlu_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu")


@pytest.fixture(scope="session")
def understander(nlu_dir: Path) -> Iterator[Understander]:
    """The embedded NLU, trained once for the whole run."""
    yield build_understander(Settings(data_dir=nlu_dir, rasa_url=None, _env_file=None))


@pytest.fixture
def settings(database_url: str, tmp_path: Path, nlu_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_bot_username="aftercare_test_bot",
        database_url=database_url,
        data_dir=nlu_dir,
        rasa_url=None,
        rate_limit=False,
        dispatch_interval_seconds=0.2,
        telegram_timeout_seconds=1.0,
        run_console=False,
    )


@pytest.fixture
async def services(
    settings: Settings, engine: AsyncEngine, understander: Understander
) -> AsyncIterator[Services]:
    yield Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        understander=understander,
    )


@pytest.fixture
async def harness(  # the product running against the fake Bot API, for end-to-end tests
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> AsyncIterator[Harness]:
    live = settings.model_copy(update={"telegram_api_url": fake_bot_api.base_url})
    services.settings = live
    runtime = Runtime(live, services)
    await runtime.start(poll_timeout=1)
    try:
        yield Harness(fake_bot_api, services, runtime)
    finally:
        await runtime.stop()
