"""Migration 0009 down and up again on a clinic's data: no row lost, secrets handled as said."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from bot.database.core import make_engine
from bot.database.migrate import alembic_config, upgrade
from bot.services import Services
from bot.staff.models import Staff
from bot.web.settings import WebSettings
from tests.web.world import build_clinic

COUNTED = ("clinics", "staff", "clients", "alerts", "console_sessions", "staff_invites")
PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


async def _scalars(url: str, sql: str) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(sql))).scalars())
    finally:
        await engine.dispose()


async def test_down_to_0008_and_back_keeps_every_row(database_url: str, services: Services) -> None:
    world = await build_clinic(
        services.sessionmaker, name="Riverside Clinic", domain="r.test", now=services.now(), group=1
    )
    keyring = WebSettings(_env_file=None).console_keys.totp  # type: ignore[call-arg]
    async with services.sessionmaker.begin() as session:
        admin = await session.get(Staff, world.admin_id)
        duty = await session.get(Staff, world.duty_id)
        assert admin is not None and duty is not None
        admin.totp_secret = keyring.seal(PLAIN, staff_id=admin.id)
        duty.totp_secret = PLAIN  # from before sealing
    counts = {t: await _scalars(database_url, f"SELECT count(*) FROM {t}") for t in COUNTED}
    engine = make_engine(database_url)
    try:

        def down(connection: object) -> None:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0008")

        async with engine.begin() as connection:
            await connection.run_sync(down)
        secrets = await _scalars(database_url, "SELECT totp_secret FROM staff ORDER BY id")
        # A sealed secret does not fit the old column and needs the key: forgotten.
        assert secrets == [None, PLAIN, None]
        await upgrade(engine)
    finally:
        await engine.dispose()
    assert {t: await _scalars(database_url, f"SELECT count(*) FROM {t}") for t in COUNTED} == (
        counts
    )
    assert await _scalars(database_url, "SELECT totp_secret FROM staff ORDER BY id") == [
        None,
        PLAIN,
        None,
    ]
    assert await _scalars(database_url, "SELECT count(*) FROM kept_forms") == [0]
