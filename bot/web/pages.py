"""Rendering pages: the templates, what every page is given, and the form cookie."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from bot.texts.alerts import duration
from bot.web import client_format, client_texts, formatting, security, texts
from bot.web.deps import Console, web_of

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
HTMX = "htmx-2.0.11.min.js"


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.globals.update(
        texts=texts, client_texts=client_texts, htmx=HTMX, time_left=formatting.time_left
    )
    env.globals.update(queue_title=formatting.queue_title, duration=duration)
    env.globals.update(
        ago=client_format.ago, within=client_format.within, step=client_format.offset_label
    )
    env.filters["client_local"] = client_format.client_local
    env.filters["local"] = formatting.local
    env.filters["iso"] = formatting.iso
    return templates


def _notice(request: Request) -> str | None:
    key = request.query_params.get("notice", "")
    return texts.NOTICES.get(key) or client_texts.NOTICES.get(key)


def render(
    request: Request,
    console: Console,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A page for a signed-in staff member."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {
            "console": console,
            "csrf": console.csrf,
            "tz": console.clinic.timezone,
            "now": console.now,
            "notice": _notice(request),
            **context,
        },
        status_code=status_code,
    )


def render_public(
    request: Request,
    template: str,
    status_code: int = 200,
    csrf: str | None = None,
    **context: Any,
) -> Response:
    """A page before sign-in; forms on it carry the form cookie's token."""
    templates: Jinja2Templates = request.app.state.templates
    web = web_of(request)
    name = security.cookie_name(security.FORM_COOKIE, web)
    token = csrf or request.cookies.get(name) or security.new_form_token()
    response = templates.TemplateResponse(
        request,
        template,
        {"console": None, "csrf": token, "notice": _notice(request), **context},
        status_code=status_code,
    )
    if csrf is None and request.cookies.get(name) != token:
        security.set_cookie(response, security.FORM_COOKIE, token, web)
    return response
