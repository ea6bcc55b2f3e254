"""`aftercare db`: the database schema."""

from __future__ import annotations

import typer

from bot.cli.common import run, settings_of
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
