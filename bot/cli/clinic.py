"""`aftercare clinic` and `aftercare staff`: who treats clients and who answers alerts."""

from __future__ import annotations

import typer

from bot.cli.common import database, run, settings_of
from bot.clinic import service as clinics
from bot.staff import service as staff_service

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


@staff_app.command("add")
def add_staff(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Full name."),
    clinic: str = typer.Option(..., help="Clinic id or name."),
    role: str = typer.Option("therapist", help="therapist or clinic_admin."),
) -> None:
    """Add a therapist or clinic admin."""

    async def _add() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clinics.get_by_ref(session, ref=clinic)
            member = await staff_service.create(session, clinic=found, name=name, role=role)
            return f"staff {member.id}: {member.name} ({member.role.value}, {found.name})"

    typer.echo(run(_add()))


@staff_app.command("list")
def list_staff(
    ctx: typer.Context, clinic: str | None = typer.Option(None, help="Clinic id or name.")
) -> None:
    """List staff."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            clinic_id = (await clinics.get_by_ref(session, ref=clinic)).id if clinic else None
            members = await staff_service.get_all(session, clinic_id=clinic_id)
            return [f"{m.id}\t{m.name}\t{m.role.value}\t{m.clinic.name}" for m in members]

    for line in run(_list()) or ["no staff yet: add one with `aftercare staff add`"]:
        typer.echo(line)
