"""`aftercare db`: the database schema."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.common import head_revision, run, settings_of
from bot.database.core import make_engine
from bot.database.migrate import current_revision, upgrade

app = typer.Typer(help="Create or update the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Bring the database to the latest schema (safe to run again)."""
    settings = settings_of(ctx)

    async def _upgrade() -> str | None:
        engine = make_engine(settings.resolved_database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    revision = run(_upgrade())
    typer.echo(f"database is at revision {revision}")


@app.command("check")
def check_command(ctx: typer.Context) -> None:
    """Exit 0 when the database answers and its schema is the latest (the image's health check)."""
    settings = settings_of(ctx)

    async def _check() -> tuple[str | None, str | None]:
        engine = make_engine(settings.resolved_database_url)
        try:
            at = await asyncio.wait_for(current_revision(engine), 10)
            return at, head_revision(str(engine.url))
        finally:
            await engine.dispose()

    try:
        at, head = run(_check())
    except Exception as exc:  # any failure to reach the database is "unhealthy", said in a line
        typer.echo(f"unhealthy: the database does not answer ({type(exc).__name__})", err=True)
        raise typer.Exit(1) from None
    if at != head:
        typer.echo(f"unhealthy: database at {at}, not {head}: aftercare db upgrade", err=True)
        raise typer.Exit(1)
    typer.echo(f"healthy: database at revision {at}")
