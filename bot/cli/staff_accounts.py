"""`aftercare staff add --email`, `staff invite` and `staff set-password`: console accounts."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.cli.common import CliError, database, run, settings_of
from bot.clinic import service as clinics
from bot.console import accounts, invites


def add_staff(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Full name."),
    clinic: str = typer.Option(..., help="Clinic id or name."),
    email: str | None = typer.Option(None, help="What they sign in to the console with."),
    role: str = typer.Option("therapist", help="therapist, duty or clinic_admin."),
) -> None:
    """Add a therapist, duty staff member or clinic admin."""

    async def _add() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clinics.get_by_ref(session, ref=clinic)
            member = await accounts.add(session, clinic=found, name=name, email=email, role=role)
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.staff_added,
                now=datetime.now(UTC),
                target=f"staff {member.id}",
                detail=f"role {member.role.value}",
                clinic_id=found.id,
            )
            return f"staff {member.id}: {member.name} ({member.role.value}, {found.name})"

    typer.echo(run(_add()))


def invite_staff(
    ctx: typer.Context, staff: str = typer.Argument(..., help="Staff id or email.")
) -> None:
    """Print a single-use link (valid 72 hours) to set a password and an authenticator code."""

    async def _invite() -> str:
        now = datetime.now(UTC)
        async with database(settings_of(ctx)) as session:
            member = await accounts.find(session, ref=staff)
            code = await invites.issue(session, staff=member, by="cli", now=now)
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.invite_issued,
                now=now,
                target=f"staff {member.id}",
                clinic_id=member.clinic_id,
            )
            return invites.link(settings_of(ctx).public_url, code)

    typer.echo(run(_invite()))


def set_password(
    ctx: typer.Context,
    staff: str = typer.Argument(..., help="Staff id or email."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (one line)."
    ),
) -> None:
    """Set a staff member's console password (for automation); their sessions end."""
    if not password_stdin:
        raise CliError("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")

    async def _set() -> str:
        now = datetime.now(UTC)
        async with database(settings_of(ctx)) as session:
            member = await accounts.find(session, ref=staff)
            await accounts.set_password(session, staff=member, password=password, now=now)
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.password_set,
                now=now,
                target=f"staff {member.id}",
                clinic_id=member.clinic_id,
            )
            return f"staff {member.id}: password set; any console sessions of theirs ended"

    typer.echo(run(_set()))


def register(staff_app: typer.Typer) -> None:
    """Put the staff-account commands on `aftercare staff`."""
    staff_app.command("add")(add_staff)
    staff_app.command("invite")(invite_staff)
    staff_app.command("set-password")(set_password)
