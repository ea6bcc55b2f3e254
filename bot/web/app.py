"""The console's ASGI app, and serving it inside the bot's event loop or on its own.

app = create_app(services)            # FastAPI, for uvicorn or httpx.ASGITransport
await serve(services)                 # serve on WEB_HOST:WEB_PORT until cancelled/stopped
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from bot.services import Services
from bot.web import deps, session_ended, texts
from bot.web.deps import RequestRefused, SignInNeeded, guard_unsafe_requests
from bot.web.pages import STATIC_DIR, build_templates, render_public
from bot.web.routes import (
    alerts,
    audit_log,
    client_invite,
    client_plan,
    clients,
    clinic,
    enrolment,
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

ERRORS = {403: texts.FORBIDDEN, 404: texts.NOT_FOUND}


def create_app(services: Services, web: WebSettings | None = None) -> FastAPI:
    """The console over `services` (the bot's database and clock); settings from the env."""
    web = web or WebSettings.of(services.settings)
    app = FastAPI(
        title="aftercare console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(guard_unsafe_requests)],
    )
    app.state.services = services
    app.state.web = web
    app.state.templates = build_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (home, sign_in, invite, alerts, returns, clinic, staff, audit_log):
        app.include_router(module.router)
    for module in (enrolment, clients, client_invite, client_plan, timeline, try_client):
        app.include_router(module.router)
    _handle_errors(app)
    app.add_middleware(SecurityHeaders, hsts=web.secure)
    return app


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
        return session_ended.to_sign_in(
            request, deps.web_of(request), kept=exc.kept, notice=exc.notice
        )

    @app.exception_handler(RequestRefused)
    async def refused(request: Request, _exc: RequestRefused) -> Response:
        return render_public(request, "error.html", 403, message=texts.REQUEST_REFUSED)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = ERRORS.get(exc.status_code, texts.SERVER_ERROR)
        return render_public(request, "error.html", exc.status_code, message=message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        logger.exception("console request %s %s failed", request.method, request.url.path)
        return render_public(request, "error.html", 500, message=texts.SERVER_ERROR)


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
