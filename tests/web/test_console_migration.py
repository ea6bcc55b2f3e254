"""Migration 0006 down and up again on a database with a clinic's data: nothing is lost."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import alembic_config, upgrade
from bot.services import Services
from tests.web.world import build_clinic

COUNTED = ("clinics", "staff", "clients", "alerts", "alert_events", "return_requests")


async def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table: int(
                    (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                )
                for table in COUNTED
            }
    finally:
        await engine.dispose()


async def test_down_to_0005_and_back_keeps_every_row(database_url: str, services: Services) -> None:
    await build_clinic(
        services.sessionmaker,
        name="Riverside Clinic",
        domain="r.test",
        now=services.now(),
        group=-1,
    )
    before = await _counts(database_url)
    assert before["alerts"] == 2 and before["staff"] == 3
    engine = make_engine(database_url)
    try:

        def down(connection: object) -> None:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")

        async with engine.begin() as connection:
            await connection.run_sync(down)
        async with engine.connect() as connection:
            roles = (await connection.execute(text("SELECT role FROM staff ORDER BY id"))).scalars()
            assert list(roles) == ["clinic_admin", "clinic_admin", "therapist"]  # duty mapped
        assert await _counts(database_url) == before
        await upgrade(engine)
        assert await _counts(database_url) == before
        async with make_sessionmaker(engine)() as session:
            emails = await session.execute(text("SELECT email FROM staff WHERE email IS NOT NULL"))
            assert list(emails) == []  # the columns came back empty, the rows stayed
    finally:
        await engine.dispose()
