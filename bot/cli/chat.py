"""`aftercare chat CLIENT`: write as the client and see what the bot would answer and do.

Interactive at a terminal; with standard input not a terminal it reads one message a line and
prints the answers, so it can be scripted. Nothing is stored or sent (bot.conversation.preview).
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

import typer

from bot.cli.common import CliError, head_revision, settings_of
from bot.client import service as clients
from bot.conversation.preview import Preview, try_message
from bot.database.migrate import current_revision
from bot.services import Services, build_services
from bot.texts import try_as_client as text


def render(preview: Preview) -> str:
    """The answers and what would happen, as plain lines."""
    lines = []
    for message in preview.to_client or ():
        lines.append(f"bot{' (' + text.URGENT + ')' if message.urgent else ''}: {message.text}")
        if message.buttons:
            lines.append("     " + " ".join(f"[{label}]" for label in message.buttons))
    if not preview.to_client:
        lines.append(f"bot: {text.NO_REPLY}")
    if preview.alerts:
        alerts = "; ".join(
            text.ALERT.format(
                type=a.type, severity=a.severity, merged=text.MERGED if a.merged else ""
            )
            for a in preview.alerts
        )
        lines.append(text.WOULD_PAGE.format(alerts=alerts))
    else:
        lines.append(text.WOULD_NOT_PAGE)
    for message in preview.to_staff:
        lines.append(f"{text.STAFF}: {message.text}")
    reading = preview.reading
    lines.append(
        text.READING.format(
            intent=reading.intent,
            confidence=reading.confidence,
            risk=reading.risk,
            source=reading.source,
            rule=preview.decision.rule or preview.decision.reply,
        )
    )
    return "\n".join(lines)


async def converse(
    services: Services, client_id: int, name: str, lines: TextIO, out: TextIO, prompt: str | None
) -> None:
    while True:
        if prompt is not None:
            out.write(prompt)
            out.flush()
        line = await asyncio.to_thread(lines.readline)
        if not line or (prompt is not None and not line.strip()):
            return
        message = line.rstrip("\n")
        if not message.strip():
            continue
        if prompt is None:
            out.write(f"{name}: {message}\n")
        out.write(render(await try_message(services, client_id=client_id, text=message)) + "\n\n")
        out.flush()


def chat(ctx: typer.Context, client: str = typer.Argument(..., help="Id or pseudonym.")) -> None:
    """Write as the client; see the bot's answers, whether it would alert the clinic, and why."""
    settings = settings_of(ctx)
    interactive = sys.stdin.isatty()

    async def _chat() -> None:
        services = build_services(settings)
        try:
            if await current_revision(services.engine) != head_revision(
                settings.resolved_database_url
            ):
                raise CliError("the database is not up to date: run `aftercare db upgrade` first")
            async with services.sessionmaker() as session:
                found = await clients.get_by_ref(session, ref=client)
                client_id, name, pseudonym = found.id, found.display_name, found.pseudonym
            prompt = text.PROMPT.format(name=name) if interactive else None
            if interactive:
                typer.echo(text.CHAT_HELLO.format(name=name, pseudonym=pseudonym))
            await converse(services, client_id, name, sys.stdin, sys.stdout, prompt)
            if not interactive:
                typer.echo(text.NOTHING_KEPT)
        finally:
            await services.aclose()

    asyncio.run(_chat())
