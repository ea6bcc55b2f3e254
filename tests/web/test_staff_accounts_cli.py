"""`aftercare staff add --email --role`, `staff invite`, `staff set-password --password-stdin`,
and the invite link they lead to."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest

from bot.console import invites
from bot.console.passwords import HASHER
from bot.database.core import make_engine, make_sessionmaker
from bot.staff.models import Staff
from bot.web.settings import WebSettings
from tests.cli.conftest import Outcome, cli_env, invoke
from tests.cli.test_cli import setup_clinic

pytestmark = pytest.mark.usefixtures("cli_env")
__all__ = ["cli_env"]  # the fixture, shared with tests/cli


async def _cli(*args: str, stdin: str | None = None) -> Outcome:
    def run() -> Outcome:
        if stdin is None:
            return invoke(*args)
        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            return invoke(*args)
        finally:
            sys.stdin = saved

    return await asyncio.to_thread(run)


async def _staff(database_url: str, staff_id: int) -> Staff:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            found = await session.get(Staff, staff_id)
            assert found is not None
            return found
    finally:
        await engine.dispose()


async def test_add_with_email_and_duty_role_then_set_a_password_from_stdin(cli_env: str) -> None:
    await setup_clinic()
    added = await _cli(
        "staff", "add", "Dee Duty", "--clinic", "1", "--email", "Dee@Clinic.test", "--role", "duty"
    )
    assert added.code == 0, added.err
    assert added.out.strip() == "staff 2: Dee Duty (duty, Riverside Clinic)"
    again = await _cli("staff", "add", "Other", "--clinic", "1", "--email", "dee@clinic.test")
    assert again.code == 2 and "already belongs to a staff member" in again.err
    bad_role = await _cli("staff", "add", "X", "--clinic", "1", "--role", "boss")
    assert bad_role.code == 2 and "therapist, duty, clinic_admin" in bad_role.err

    short = await _cli(
        "staff", "set-password", "dee@clinic.test", "--password-stdin", stdin="short\n"
    )
    assert short.code == 2 and "at least 12 characters" in short.err
    done = await _cli(
        "staff", "set-password", "2", "--password-stdin", stdin="a long enough secret\n"
    )
    assert done.code == 0, done.err
    dee = await _staff(cli_env, 2)
    assert dee.email == "dee@clinic.test" and dee.password_hash is not None
    assert HASHER.verify(dee.password_hash, "a long enough secret")
    no_flag = await _cli("staff", "set-password", "2")
    assert no_flag.code == 2 and "--password-stdin" in no_flag.err
    no_email = await _cli("staff", "set-password", "1", "--password-stdin", stdin="x" * 20)
    assert no_email.code == 2 and "has no email" in no_email.err


async def test_invite_prints_a_single_use_link_that_a_newer_one_replaces(cli_env: str) -> None:
    await setup_clinic()
    await _cli("staff", "add", "Dee Duty", "--clinic", "1", "--email", "dee@clinic.test")
    first = await _cli("staff", "invite", "dee@clinic.test")
    second = await _cli("staff", "invite", "2")
    assert first.code == second.code == 0
    prefix = "http://127.0.0.1:8000/invite/"
    assert first.out.startswith(prefix) and second.out.startswith(prefix)
    old, new = first.out.strip()[len(prefix) :], second.out.strip()[len(prefix) :]
    assert len(new) >= 27 and old != new
    engine = make_engine(cli_env)
    try:
        async with make_sessionmaker(engine).begin() as session:
            from datetime import UTC, datetime

            now = datetime.now(UTC)
            assert await invites.find_usable(session, code=old, now=now) is None
            invite = await invites.find_usable(session, code=new, now=now)
            assert invite is not None and invite.staff_id == 2
            result = await invites.accept(
                session,
                invite=invite,
                password="a long enough secret",
                repeated="a long enough secret",
                code=None,
                address="203.0.113.7",
                now=now,
                keys=WebSettings(_env_file=None).console_keys,  # type: ignore[call-arg]
            )
            staff = result.staff
            assert staff is not None and staff.password_hash is not None
            assert invite.used_at == now
            assert await invites.find_usable(session, code=new, now=now) is None
    finally:
        await engine.dispose()
    nobody = await _cli("staff", "invite", "1")
    assert nobody.code == 2 and "has no email" in nobody.err
