"""`aftercare staff deactivate`, how `staff list` shows it, and invites for records that ended."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select, update

from bot.audit.models import AuditEntry
from bot.client.models import Client, ClientStatus
from bot.database.core import make_engine, make_sessionmaker
from bot.staff.models import Staff
from tests.cli.conftest import invoke
from tests.cli.test_cli import client_args, setup_clinic
from tests.support import clock

NOW = clock.now()


async def _cli(*args: str):  # type: ignore[no-untyped-def]
    return await asyncio.to_thread(invoke, *args)


async def _set_status(database_url: str, client_id: int, status: ClientStatus, **more: object):
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            await session.execute(
                update(Client).where(Client.id == client_id).values(status=status, **more)
            )
    finally:
        await engine.dispose()


async def _staff(database_url: str, staff_id: int) -> Staff:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            found = await session.get(Staff, staff_id)
            assert found is not None
            return found
    finally:
        await engine.dispose()


async def _audit(database_url: str) -> list[AuditEntry]:
    """The audit log's deactivation lines."""
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            query = select(AuditEntry).where(AuditEntry.action == "staff_deactivated")
            return list(await session.scalars(query.order_by(AuditEntry.id)))
    finally:
        await engine.dispose()


async def test_deactivate_once_then_refuse_and_list_shows_it(
    cli_env: str, caplog: pytest.LogCaptureFixture
) -> None:
    await setup_clinic()
    assert (
        await _cli("staff", "add", "Jo Admin", "--clinic", "1", "--role", "clinic_admin")
    ).code == 0
    listed = await _cli("staff", "list")
    assert listed.out.splitlines() == [
        "1\tDr Ana Rivera\ttherapist\tRiverside Clinic\tactive",
        "2\tJo Admin\tclinic_admin\tRiverside Clinic\tactive",
    ]
    with caplog.at_level(logging.INFO, logger="bot.staff.service"):
        done = await _cli("staff", "deactivate", "1")
    assert done.code == 0, done.err
    assert done.out.startswith("staff 1: Dr Ana Rivera (Riverside Clinic) deactivated at ")
    assert "alert buttons and /staff codes no longer work" in done.out
    assert any("deactivated" in r.getMessage() for r in caplog.records)

    ana = await _staff(cli_env, 1)
    assert ana.deactivated_at is not None
    listed = await _cli("staff", "list")
    day = f"{ana.deactivated_at:%Y-%m-%d}"
    assert (
        listed.out.splitlines()[0]
        == f"1\tDr Ana Rivera\ttherapist\tRiverside Clinic\tdeactivated {day}"
    )
    assert listed.out.splitlines()[1].endswith("\tactive")

    [line] = await _audit(cli_env)
    assert (line.action, line.target, line.actor, line.clinic_id) == (
        "staff_deactivated",
        "staff 1",
        "cli",
        1,
    )

    again = await _cli("staff", "deactivate", "1")
    assert again.code == 2 and "Traceback" not in again.err
    assert len(again.err.strip().splitlines()) == 1
    assert "staff member 1 (Dr Ana Rivera) is already deactivated, since " in again.err
    assert (await _staff(cli_env, 1)).deactivated_at == ana.deactivated_at
    assert len(await _audit(cli_env)) == 1  # the refusal wrote nothing

    # As in the console, the clinic keeps one active admin.
    last_admin = await _cli("staff", "deactivate", "2")
    assert last_admin.code == 2 and "only active clinic admin" in last_admin.err

    unknown = await _cli("staff", "deactivate", "99")
    assert unknown.code == 2 and "no staff member with id 99" in unknown.err


async def test_a_deactivated_therapist_takes_no_new_clients(cli_env: str) -> None:
    await setup_clinic()
    assert (await _cli("staff", "deactivate", "1")).code == 0
    added = await _cli(*client_args())
    assert added.code == 2 and len(added.err.strip().splitlines()) == 1
    assert "staff member 1 (Dr Ana Rivera) is deactivated" in added.err


@pytest.mark.parametrize(
    ("status", "more", "says"),
    [
        (ClientStatus.stopped, {}, "has stopped aftercare"),
        (ClientStatus.completed, {}, "has graduated from aftercare"),
        (ClientStatus.stopped, {"display_name": "deleted"}, "had their data erased"),
    ],
)
async def test_no_invite_for_a_record_that_has_ended(
    cli_env: str, status: ClientStatus, more: dict[str, object], says: str
) -> None:
    await setup_clinic()
    assert (await _cli(*client_args())).code == 0
    await _set_status(cli_env, 1, status, **more)
    result = await _cli("client", "invite", "1")
    assert result.code == 2 and result.out == ""
    [line] = result.err.strip().splitlines()
    assert says in line and "aftercare client add" in line and "https://t.me" not in line
    # An enrolled record that has not ended still gets its link.
    assert (await _cli(*client_args(**{"--name": "Alex"}))).code == 0
    assert (await _cli("client", "invite", "2")).out.startswith("https://t.me/")


async def test_deactivating_from_the_command_line_returns_their_alerts(cli_env: str) -> None:
    from bot.alert import actions
    from bot.alert import service as alerts
    from bot.alert.models import Alert, AlertStatus, AlertType, Severity
    from tests.factories import make_client

    await setup_clinic()
    assert (await _cli("staff", "add", "Dee Duty", "--clinic", "1", "--role", "duty")).code == 0
    engine = make_engine(cli_env)
    try:
        async with make_sessionmaker(engine).begin() as session:
            ana = await session.get(Staff, 1)
            dee = await session.get(Staff, 2)
            assert ana is not None and dee is not None
            client = await make_client(session, therapist=ana, now=NOW)
            alert, _ = await alerts.raise_alert(
                session,
                client=client,
                type=AlertType.crisis,
                severity=Severity.urgent,
                evidence="test",
                now=NOW,
            )
            await actions.take(
                session, alert_id=alert.id, actor=actions.Actor(dee, actions.Door.cli), now=NOW
            )
            alert_id = alert.id
        done = await _cli("staff", "deactivate", "2")
        assert done.code == 0, done.err
        assert f"alerts back in the queue: {alert_id}" in done.out
        async with make_sessionmaker(engine)() as session:
            back = await session.get(Alert, alert_id)
            assert back is not None and back.status is AlertStatus.open
            assert back.acknowledged_by_id is None and back.owner_id == 1
            [line] = list(
                await session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "alert_returned")
                )
            )
        assert (line.target, line.actor) == (f"alert {alert_id}", "cli")
    finally:
        await engine.dispose()
