"""`aftercare staff add --email`, `staff invite`, `staff set-password` and
`staff rotate-totp-key`: console accounts."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.cli.common import CliError, database, run, settings_of
from bot.clinic import service as clinics
from bot.console import accounts, invites, sealed_secrets


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


def rotate_totp_key(ctx: typer.Context) -> None:
    """Seal every TOTP secret with the first key of TOTP_ENCRYPTION_KEY.

    To rotate: put a new key first, keeping the old one after it (NEW,OLD), restart the console,
    run this, then remove the old key. Secrets stored before sealing existed are sealed too.
    """
    from bot.web.settings import WebSettings  # the console's settings check the keys

    settings = settings_of(ctx)
    if settings.totp_encryption_key is None:
        raise CliError(
            "TOTP_ENCRYPTION_KEY is not set: put the new key first (NEW,OLD) and run this again"
        )
    keyring = WebSettings.of(settings).console_keys.totp

    async def _rotate() -> str:
        async with database(settings) as session:
            done = await sealed_secrets.reseal_all(session, keyring=keyring)
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.totp_key_rotated,
                now=datetime.now(UTC),
                detail=(
                    f"key {keyring.current_id}: {done.from_older_key} from an older key, "
                    f"{done.from_plain_text} from plain text, {done.already_current} already"
                ),
            )
            return (
                f"{done.total} TOTP secrets sealed with key {keyring.current_id} "
                f"({done.from_older_key} from an older key, {done.from_plain_text} stored in "
                f"plain text before, {done.already_current} already with it); "
                "older keys can now be removed from TOTP_ENCRYPTION_KEY"
            )

    typer.echo(run(_rotate()))


def register(staff_app: typer.Typer) -> None:
    """Put the staff-account commands on `aftercare staff`."""
    staff_app.command("add")(add_staff)
    staff_app.command("invite")(invite_staff)
    staff_app.command("set-password")(set_password)
    staff_app.command("rotate-totp-key")(rotate_totp_key)
