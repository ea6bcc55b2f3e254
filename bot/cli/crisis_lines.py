"""`aftercare clinic resources` and `clinic resource-add`: the crisis lines a client is given, with
the languages each answers in, as the console's clinic page keeps them."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.cli.common import database, run, settings_of
from bot.clinic import service as clinics
from bot.console import crisis_resources


def register(clinic_app: typer.Typer) -> None:
    @clinic_app.command("resources")
    def list_resources(
        ctx: typer.Context, clinic: str = typer.Argument(..., help="Clinic id or name.")
    ) -> None:
        """The clinic's crisis resources, one entry a line, with their languages."""

        async def _list() -> list[str]:
            async with database(settings_of(ctx)) as session:
                found = await clinics.get_by_ref(session, ref=clinic)
                current = await crisis_resources.entries(session, clinic_id=found.id)
                if not current:
                    return [found.crisis_resources, "(set as text; add entries to give languages)"]
                return [
                    f"{e.id}\t{crisis_resources.line(e)}\t{e.languages or 'every language'}"
                    f"\tverified {e.verified_on.isoformat()}"
                    for e in current
                ]

        for line in run(_list()):
            typer.echo(line)

    @clinic_app.command("resource-add")
    def add_resource(
        ctx: typer.Context,
        clinic: str = typer.Argument(..., help="Clinic id or name."),
        name: str = typer.Option(..., help="e.g. Samaritans"),
        number: str = typer.Option(..., help="e.g. 116 123"),
        hours: str = typer.Option(..., help="e.g. 24/7"),
        verified_on: str = typer.Option(
            "", help="When someone last checked the line (YYYY-MM-DD); default today."
        ),
        languages: str = typer.Option(
            "", help="Codes of the languages it answers in, e.g. es,en; empty: every language."
        ),
    ) -> None:
        """Add a crisis resource. The first entry replaces a text set with `clinic add`."""

        async def _add() -> str:
            now = datetime.now(UTC)
            async with database(settings_of(ctx)) as session:
                found = await clinics.get_by_ref(session, ref=clinic)
                entry = crisis_resources.check(
                    name,
                    number,
                    hours,
                    verified_on or now.date().isoformat(),
                    today=now.date(),
                    languages=languages,
                )
                text = await crisis_resources.add(session, clinic=found, entry=entry, now=now)
                audit.record(
                    session,
                    actor=audit.CLI,
                    action=AuditAction.crisis_resources_changed,
                    now=now,
                    target=f"clinic {found.id}",
                    detail=text,
                    clinic_id=found.id,
                )
                return text

        typer.echo("Clients are now given:")
        typer.echo(run(_add()))
