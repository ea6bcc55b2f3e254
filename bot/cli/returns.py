"""`aftercare return`: requests to come back, from new to contacted to booked or declined."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.audit import service as audit
from bot.cli.common import database, run, settings_of
from bot.client import service as clients
from bot.return_request import service as returns

app = typer.Typer(help="Requests to come back for sessions.", no_args_is_help=True)


@app.command("list")
def list_requests(
    ctx: typer.Context, open_only: bool = typer.Option(False, "--open", help="Only open ones.")
) -> None:
    """Requests to come back, newest first."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            lines = []
            for request in await returns.get_all(session, open_only=open_only):
                client = await clients.get(session, client_id=request.client_id)
                lines.append(
                    f"{request.id}\t{client.pseudonym}\t{request.status.value}\t"
                    f"asked {request.requested_at:%Y-%m-%d %H:%M} UTC\t"
                    f"respond by {request.respond_by:%Y-%m-%d %H:%M} UTC"
                )
            return lines

    for line in run(_list()) or ["no return requests"]:
        typer.echo(line)


@app.command("update")
def update_request(
    ctx: typer.Context,
    request_id: int = typer.Argument(..., help="The request's id."),
    status: str = typer.Option(..., help="contacted, booked or declined."),
    note: str | None = typer.Option(None, help="A short note for the record."),
) -> None:
    """Record what the clinic did about a request."""

    async def _update() -> str:
        async with database(settings_of(ctx)) as session:
            request = await returns.update_status(
                session,
                request_id=request_id,
                status=status,
                note=note,
                now=datetime.now(UTC),
                by=audit.CLI,
            )
            return f"return request {request.id} is now {request.status.value}"

    typer.echo(run(_update()))
