"""`aftercare alerts` and the link-code commands, against a migrated database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import typer
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from bot.alert import actions, staff_link
from bot.alert import service as alerts
from bot.alert.models import AlertStatus
from bot.cli import alerts as alerts_cli
from bot.clinic.models import Clinic
from bot.database.core import make_engine, make_sessionmaker
from bot.staff.models import Staff
from tests.alert.conftest import World, build_world, raise_crisis
from tests.factories import make_crisis_message

WORDS = "i can't keep going like this"


def _root() -> typer.Typer:
    root = typer.Typer()
    clinic_app, staff_app = typer.Typer(), typer.Typer()
    alerts_cli.link_code_commands(clinic_app, staff_app)
    root.add_typer(alerts_cli.app, name="alerts")
    root.add_typer(clinic_app, name="clinic")
    root.add_typer(staff_app, name="staff")
    return root


async def _seed(url: str) -> tuple[World, int]:
    engine = make_engine(url)
    try:
        sessionmaker = make_sessionmaker(engine)
        world = await build_world(sessionmaker)
        async with sessionmaker.begin() as session:
            message_id = await make_crisis_message(
                session,
                client_id=world.client_id,
                text=WORDS,
                now=datetime.now(UTC),
                confidence=0.8,
            )
        alert_id = await raise_crisis(
            sessionmaker,
            world,
            now=datetime.now(UTC) - timedelta(minutes=1),
            message_id=message_id,
        )
        return world, alert_id
    finally:
        await engine.dispose()


async def _read(url: str, query):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await query(session)
    finally:
        await engine.dispose()


@pytest.fixture
def cli_env(database_url: str, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_list_ack_resolve_and_show(cli_env: str) -> None:
    world, alert_id = asyncio.run(_seed(cli_env))
    runner, root = CliRunner(), _root()

    listed = runner.invoke(root, ["alerts", "list", "--open"])
    assert listed.exit_code == 0, listed.output
    assert f"{alert_id}\topen\turgent\tcrisis\tC-" in listed.output

    therapist = runner.invoke(
        root, ["alerts", "ack", str(alert_id), "--by", str(world.therapist_id)]
    )
    assert isinstance(therapist.exception, actions.NotAllowed)
    acked = runner.invoke(root, ["alerts", "ack", str(alert_id), "--by", str(world.duty_id)])
    assert acked.exit_code == 0, acked.output
    assert "acknowledged by Dee Duty (cli)" in acked.output

    no_note = runner.invoke(root, ["alerts", "resolve", str(alert_id)])
    assert no_note.exit_code != 0 and "--note" in no_note.output

    resolved = runner.invoke(
        root,
        [
            "alerts",
            "resolve",
            str(alert_id),
            "--note",
            "called, safe",
            "--reason",
            "contacted_client",
        ],
    )
    assert resolved.exit_code == 0, resolved.output
    again = runner.invoke(root, ["alerts", "resolve", str(alert_id), "--note", "again"])
    assert isinstance(again.exception, actions.AlreadyResolved)

    assert runner.invoke(root, ["alerts", "list", "--open"]).output.strip() == "no alerts"
    shown = runner.invoke(root, ["alerts", "show", str(alert_id)])
    assert shown.exit_code == 0, shown.output
    assert f"their words: {WORDS}" in shown.output
    assert "note: called, safe" in shown.output
    for action in ("created", "acknowledged  Dee Duty (cli)", "resolved  cli"):
        assert action in shown.output
    status = asyncio.run(_read(cli_env, lambda s: alerts.get(s, alert_id=alert_id))).status
    assert status is AlertStatus.resolved


def test_link_codes_are_printed_once_and_stored_hashed(cli_env: str) -> None:
    world, _ = asyncio.run(_seed(cli_env))
    runner, root = CliRunner(), _root()
    clinic_out = runner.invoke(root, ["clinic", "link-code", "Riverside Clinic"])
    staff_out = runner.invoke(root, ["staff", "link-code", str(world.admin_id)])
    assert clinic_out.exit_code == 0 and staff_out.exit_code == 0, clinic_out.output
    clinic_code = clinic_out.output.split("/link ")[1].split()[0]
    staff_code = staff_out.output.split("/staff ")[1].split()[0]
    assert len(clinic_code) >= 22 and len(staff_code) >= 22  # 128 bits in base64url

    async def stored(session):  # type: ignore[no-untyped-def]
        clinic = await session.get(Clinic, world.clinic_id)
        staff = await session.get(Staff, world.admin_id)
        return clinic.link_code_hash, staff.link_code_hash, clinic.link_code_expires_at

    clinic_hash, staff_hash, expires = asyncio.run(_read(cli_env, stored))
    assert clinic_hash == staff_link.hash_code(clinic_code) and clinic_code not in clinic_hash
    assert staff_hash == staff_link.hash_code(staff_code)
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)
