"""A request whose session has ended: to the sign-in page, keeping what the request carried.

The form's fields (a POST) or just the page (a page load) are kept by bot.console.kept_forms
for the staff member whose session it was, with a token in a cookie; signing in again leads
back to that page with the fields put back.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from bot.console import kept_forms, sessions
from bot.console.models import SessionStage
from bot.web import security
from bot.web.settings import WebSettings

FORM_KEPT = "form_kept"


def htmx(request: Request) -> bool:
    return request.headers.get("hx-request") is not None


def _page_of(request: Request, web: WebSettings) -> str | None:
    """The console page this request was made from (the request itself for a page load)."""
    if htmx(request):
        return security.page_to_return_to(request.headers.get("hx-current-url"), request, web)
    if request.method in security.SAFE_METHODS:
        return security.page_to_return_to(str(request.url), request, web)
    return security.page_to_return_to(request.headers.get("referer"), request, web)


async def keep_what_was_sent(
    request: Request, db: AsyncSession, *, web: WebSettings, now: datetime, sent: str | None
) -> tuple[str | None, str | None]:
    """The kept form's token (None if nothing is kept) and the notice for the sign-in page."""
    token = request.cookies.get(security.cookie_name(security.SESSION_COOKIE, web))
    ended = await sessions.find_lapsed(db, token=token)
    page = _page_of(request, web)
    if ended is None or ended.stage != SessionStage.active.value or page is None:
        return None, None
    fields: list[tuple[str, str]] = []
    if request.method not in security.SAFE_METHODS:
        # The ended session's own token proves the form came from its page, not another site.
        if not security.tokens_match(sent, ended.csrf_token):
            return None, None
        form = await request.form()
        fields = [
            (name, value)
            for name, value in form.multi_items()
            if name != security.CSRF_FIELD and isinstance(value, str)
        ]
    kept = await kept_forms.keep(
        db, staff_id=ended.staff_id, page=page, action=request.url.path, fields=fields, now=now
    )
    await db.commit()
    return kept, FORM_KEPT if fields and kept else None


def to_sign_in(
    request: Request, web: WebSettings, *, kept: str | None, notice: str | None
) -> Response:
    """To the sign-in page (htmx: by HX-Redirect), holding the kept form's token in a cookie."""
    to = "/sign-in" + (f"?notice={notice}" if notice else "")
    response: Response = (
        Response(status_code=401, headers={"HX-Redirect": to})
        if htmx(request)
        else RedirectResponse(to, status_code=303)
    )
    if kept:
        security.set_cookie(response, security.KEPT_COOKIE, kept, web)
    return response
