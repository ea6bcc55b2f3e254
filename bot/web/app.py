"""The console's ASGI app, and serving it inside the bot's event loop or on its own.

app = create_app(services)            # FastAPI, for uvicorn or httpx.ASGITransport
await serve(services)                 # serve on WEB_HOST:WEB_PORT until cancelled/stopped
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import uvicorn
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from bot.services import Services
from bot.web import errors
from bot.web.deps import guard_unsafe_requests
from bot.web.inputs import refuse_nul
from bot.web.pages import STATIC_DIR, build_templates
from bot.web.routes import (
    alerts,
    audit_log,
    client_invite,
    client_plan,
    clients,
    clinic,
    enrolment,
    figures,
    home,
    invite,
    returns,
    sign_in,
    staff,
    timeline,
    try_client,
)
from bot.web.security import SecurityHeaders
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)


def create_app(services: Services, web: WebSettings | None = None) -> FastAPI:
    """The console over `services` (the bot's database and clock); settings from the env."""
    web = web or WebSettings.of(services.settings)
    app = FastAPI(
        title="aftercare console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul), Depends(guard_unsafe_requests)],
    )
    app.state.services = services
    app.state.web = web
    app.state.templates = build_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (home, sign_in, invite, alerts, returns, clinic, staff, audit_log, figures):
        app.include_router(module.router)
    for module in (enrolment, clients, client_invite, client_plan, timeline, try_client):
        app.include_router(module.router)
    errors.handle_errors(app)
    app.add_middleware(SecurityHeaders, hsts=web.secure)
    return app


class EmbeddedServer(uvicorn.Server):
    """uvicorn without its signal handlers: the process that embeds it owns Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build_server(
    services: Services, web: WebSettings | None = None, *, embedded: bool = True
) -> uvicorn.Server:
    """A uvicorn server for the console; `await server.serve()` runs it in the current loop.

    Stop it with `server.should_exit = True`. Access logs are off: invite links carry their
    code in the path, and the audit log records what matters.
    """
    web = web or WebSettings.of(services.settings)
    config = uvicorn.Config(
        create_app(services, web),
        host=web.web_host,
        port=web.web_port,
        access_log=False,
        log_config=None,
        lifespan="off",
        # The client's address comes from X-Forwarded-For only via WEB_TRUSTED_PROXIES
        # (bot.web.security), not from uvicorn's own list.
        proxy_headers=False,
        server_header=False,
    )
    return (EmbeddedServer if embedded else uvicorn.Server)(config)


async def serve(services: Services, web: WebSettings | None = None) -> None:
    """Serve the console on WEB_HOST:WEB_PORT until cancelled (no signal handlers of its own)."""
    web = web or WebSettings.of(services.settings)
    server = build_server(services, web)
    logger.info("clinic console at %s", web.public_url)
    await server.serve()
