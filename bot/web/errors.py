"""Error answers: the console's error page, in its look (with the menu when signed in).

htmx requests get JSON instead, since they swap fragments and a whole page would land inside one.
An unknown id, including one too large to be an id, is 404; a malformed value is 422.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from bot.console import sessions
from bot.console.models import SessionStage
from bot.web import deps, security, session_ended, texts
from bot.web.deps import Console, RequestRefused, SignInNeeded
from bot.web.pages import render, render_public

logger = logging.getLogger(__name__)

MESSAGES = {
    403: texts.FORBIDDEN,
    404: texts.NOT_FOUND,
    405: texts.NOT_ALLOWED,
    422: texts.UNREADABLE,
}


async def _console(request: Request) -> Console | None:
    """Who is signed in, looked up afresh: the route's own database session may be gone."""
    web = deps.web_of(request)
    services = deps.services_of(request)
    token = request.cookies.get(security.cookie_name(security.SESSION_COOKIE, web))
    if not token:
        return None
    async with services.sessionmaker() as db:
        row = await sessions.find(db, token=token, now=services.now(), limits=web.session_limits)
        if row is None or row.stage != SessionStage.active.value:
            return None
        staff = row.staff
        clinic = staff.clinic
        return Console(
            staff=staff,
            clinic=clinic,
            session=row,
            db=db,
            now=services.now(),
            address=deps.address_of(request),
            web=web,
        )


async def error_page(request: Request, status: int, message: str | None = None) -> Response:
    message = message or MESSAGES.get(status, texts.SERVER_ERROR)
    if session_ended.htmx(request):
        return JSONResponse({"detail": message}, status_code=status)
    console = await _console(request) if status < 500 else None
    if console is None:
        return render_public(request, "error.html", status, message=message)
    return render(request, console, "error.html", status, message=message)


def handle_errors(app: FastAPI) -> None:
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
        response = await error_page(request, exc.status_code)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # A path value that is not an id names nothing: as absent as an id that does not exist.
        in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
        return await error_page(request, 404 if in_path else 422)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        logger.exception("console request %s %s failed", request.method, request.url.path)
        return render_public(request, "error.html", 500, message=texts.SERVER_ERROR)
