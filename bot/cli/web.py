"""`aftercare web`: the clinic console on its own (`aftercare run` can run it with the bot)."""

from __future__ import annotations

import asyncio
import signal

import typer

from bot.cli.common import settings_of
from bot.web.settings import WebSettings

app = typer.Typer(help="The clinic console in a browser.")


@app.callback(invoke_without_command=True)
def web(ctx: typer.Context) -> None:
    """Serve the clinic console on WEB_HOST:WEB_PORT until Ctrl-C."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_of(ctx)
    web_settings = WebSettings.of(settings)
    # Imported here: the other commands start without loading the web stack.
    from bot.database.core import make_engine, make_sessionmaker
    from bot.database.migrate import upgrade
    from bot.nlu.service import Understander
    from bot.services import Services
    from bot.web.app import build_server

    async def _serve() -> None:
        engine = make_engine(
            settings.resolved_database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        # The console reads no client messages: no NLU model is loaded (or trained) for it.
        services = Services(
            settings=settings,
            engine=engine,
            sessionmaker=make_sessionmaker(engine),
            understander=Understander(embedded=None, embedded_error="not used by the console"),
        )
        try:
            await upgrade(engine)
            server = build_server(services, web_settings)
            # Ctrl-C or SIGTERM: finish requests in flight, then close the database cleanly.
            loop = asyncio.get_running_loop()
            for stop in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(stop, setattr, server, "should_exit", True)
            typer.echo(f"clinic console: {web_settings.public_url}", err=True)
            await server.serve()
        finally:
            await services.aclose()

    asyncio.run(_serve())
