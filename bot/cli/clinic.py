"""`aftercare clinic` and `aftercare staff`: who treats clients and who answers alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.alert import actions
from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.cli.common import database, run, settings_of
from bot.clinic import service as clinics
from bot.console import accounts
from bot.staff import service as staff_service
from bot.staff.models import Staff

app = typer.Typer(help="Clinics: crisis resources, office hours.", no_args_is_help=True)
staff_app = typer.Typer(help="Therapists and clinic admins.", no_args_is_help=True)


@app.command("add")
def add_clinic(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The clinic's name."),
    timezone: str = typer.Option(..., help="IANA timezone, e.g. Europe/London."),
    crisis_resources: str = typer.Option(
        ..., help="Shown to clients in a crisis, e.g. 'Samaritans: 116 123 (free, 24/7)'."
    ),
    emergency_number: str = typer.Option("999", help="The local emergency number."),
    office_hours: str = typer.Option("mon-fri 09:00-17:00", help="When staff read messages."),
) -> None:
    """Add a clinic."""

    async def _add() -> str:
        async with database(settings_of(ctx)) as session:
            clinic = await clinics.create(
                session,
                name=name,
                timezone=timezone,
                crisis_resources=crisis_resources.replace("\\n", "\n"),
                emergency_number=emergency_number,
                office_hours=office_hours,
            )
            return f"clinic {clinic.id}: {clinic.name}"

    typer.echo(run(_add()))


@app.command("list")
def list_clinics(ctx: typer.Context) -> None:
    """List clinics."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            return [
                f"{c.id}\t{c.name}\t{c.timezone}\t{c.office_hours}"
                for c in await clinics.get_all(session)
            ]

    for line in run(_list()) or ["no clinics yet: add one with `aftercare clinic add`"]:
        typer.echo(line)


@staff_app.command("list")
def list_staff(
    ctx: typer.Context, clinic: str | None = typer.Option(None, help="Clinic id or name.")
) -> None:
    """List staff."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            clinic_id = (await clinics.get_by_ref(session, ref=clinic)).id if clinic else None
            members = await staff_service.get_all(session, clinic_id=clinic_id)
            return [
                f"{m.id}\t{m.name}\t{m.role.value}\t{m.clinic.name}\t{_state(m)}" for m in members
            ]

    for line in run(_list()) or ["no staff yet: add one with `aftercare staff add`"]:
        typer.echo(line)


def _state(member: Staff) -> str:
    if member.deactivated_at is not None:
        return f"deactivated {member.deactivated_at:%Y-%m-%d}"
    return "active"


@staff_app.command("deactivate")
def deactivate_staff(
    ctx: typer.Context, staff_id: int = typer.Argument(..., help="Staff id.")
) -> None:
    """Deactivate someone who has left: alert buttons, link codes and the console stop working
    for them. Nothing is deleted or unlinked; alerts and audit trails keep their name."""

    async def _deactivate() -> str:
        now = datetime.now(UTC)
        async with database(settings_of(ctx)) as session:
            member = await staff_service.get(session, staff_id=staff_id)
            staff_service.refuse_if_deactivated(member)
            # As the console does: their console sessions end, and an admin always remains.
            returned = await accounts.deactivate(
                session,
                staff=member,
                now=now,
                by=audit.CLI,
                acting=actions.Actor(None, actions.Door.cli),
            )
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.staff_deactivated,
                now=now,
                target=f"staff {member.id}",
                detail=f"{member.name} ({member.role.value})",
                clinic_id=member.clinic_id,
            )
            when = f"{now:%Y-%m-%d %H:%M} UTC"
            return (
                f"staff {member.id}: {member.name} ({member.clinic.name}) deactivated at {when}; "
                "their alert buttons and /staff codes no longer work"
                + (
                    f"; alerts back in the queue: {', '.join(map(str, returned))}"
                    if returned
                    else ""
                )
            )

    typer.echo(run(_deactivate()))
