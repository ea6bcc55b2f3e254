"""Signing in and out: password, then a TOTP code or setting one up; one session per sign-in."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.console import kept_forms, sessions, sign_in, totp
from bot.console.models import ConsoleSession, SessionStage
from bot.console.sign_in import Outcome
from bot.console.throttle import HeldBy, Hold
from bot.staff.models import Staff
from bot.web import security, texts
from bot.web.deps import AnyStaff, Db, address_of, services_of, visit_session, web_of
from bot.web.pages import render_public

router = APIRouter()
SIGN_IN = "/sign-in"


def _redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


async def begin_session(request: Request, db: Db, staff: Staff, stage: SessionStage) -> Response:
    """End this browser's earlier session, start a new one (a new token), commit, go on.

    Signed in at last: to the page of a form kept while signed out, if it is theirs, else home.
    """
    now = services_of(request).now()
    web = web_of(request)
    earlier = await visit_session(request, db)
    if earlier is not None:
        sessions.end(earlier, now)
    token, row = sessions.start(
        db,
        staff=staff,
        stage=stage,
        now=now,
        limits=web.session_limits,
        address=address_of(request),
    )
    if stage is SessionStage.enrol:
        sign_in.offer_code_set_up(row, web.console_keys)
    kept_cookie = security.cookie_name(security.KEPT_COOKIE, web)
    kept = request.cookies.get(kept_cookie)
    page = None
    if stage is SessionStage.active and kept:
        page = await kept_forms.hand_to(db, token=kept, session=row, now=now)
    await db.commit()
    to = {
        SessionStage.active: page or "/",
        SessionStage.code: "/sign-in/code",
        SessionStage.enrol: "/sign-in/set-up-code",
    }[stage]
    response = _redirect(to)
    security.set_cookie(response, security.SESSION_COOKIE, token, web)
    if stage is SessionStage.active and kept:
        security.clear_cookie(response, security.KEPT_COOKIE, web)
    return response


def _wait_words(left: timedelta) -> str:
    seconds = max(1, math.ceil(left.total_seconds()))
    if seconds < 60:
        return texts.WAIT_SECONDS.format(n=seconds)
    minutes = math.ceil(seconds / 60)
    return texts.WAIT_MINUTE if minutes == 1 else texts.WAIT_MINUTES.format(n=minutes)


def _held(request: Request, template: str, hold: Hold, message: str, **context: Any) -> Response:
    left = hold.left(services_of(request).now())
    text = texts.ADDRESS_HELD if hold.held_by is HeldBy.address else message
    response = render_public(
        request, template, 429, error=text.format(wait=_wait_words(left)), **context
    )
    response.headers["retry-after"] = str(max(1, math.ceil(left.total_seconds())))
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, db: Db) -> Response:
    row = await visit_session(request, db)
    if row is not None and row.stage == SessionStage.active.value:
        return _redirect("/")
    # Half-way through signing in, starting again: the form carries that session's token.
    return render_public(request, "sign_in.html", csrf=row.csrf_token if row else None)


@router.post("/sign-in")
async def sign_in_submit(
    request: Request,
    db: Db,
    email: Annotated[str, Form(max_length=300)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    result = await sign_in.check_password(
        db,
        email=email,
        password=password,
        address=address_of(request),
        now=services_of(request).now(),
        keys=web_of(request).console_keys,
    )
    await db.commit()
    if result.outcome is Outcome.held and result.hold is not None:
        return _held(request, "sign_in.html", result.hold, texts.SIGN_IN_HELD, email=email)
    if result.outcome is Outcome.refused or result.staff is None:
        return render_public(request, "sign_in.html", 401, error=texts.SIGN_IN_REFUSED, email=email)
    if result.outcome is Outcome.code_needed:
        return await begin_session(request, db, result.staff, SessionStage.code)
    if result.outcome is Outcome.set_up_code:
        return await begin_session(request, db, result.staff, SessionStage.enrol)
    return await begin_session(request, db, result.staff, SessionStage.active)


async def _pending(request: Request, db: Db, stage: SessionStage) -> ConsoleSession | None:
    row = await visit_session(request, db)
    return row if row is not None and row.stage == stage.value else None


@router.get("/sign-in/code")
async def code_page(request: Request, db: Db) -> Response:
    row = await _pending(request, db, SessionStage.code)
    if row is None:
        return _redirect(SIGN_IN)
    return render_public(request, "sign_in_code.html", csrf=row.csrf_token)


@router.post("/sign-in/code")
async def code_submit(
    request: Request, db: Db, code: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    row = await _pending(request, db, SessionStage.code)
    if row is None:
        return _redirect(SIGN_IN)
    result = await sign_in.check_code(
        db,
        staff=row.staff,
        code=code,
        address=address_of(request),
        now=services_of(request).now(),
        keys=web_of(request).console_keys,
    )
    if result.outcome is Outcome.signed_in:
        return await begin_session(request, db, row.staff, SessionStage.active)
    await db.commit()
    if result.outcome is Outcome.held and result.hold is not None:
        return _held(
            request, "sign_in_code.html", result.hold, texts.CODE_HELD, csrf=row.csrf_token
        )
    error = texts.CODE_REUSED if result.outcome is Outcome.code_reused else texts.CODE_REFUSED
    return render_public(request, "sign_in_code.html", 401, csrf=row.csrf_token, error=error)


def _set_up_context(request: Request, row: ConsoleSession) -> dict[str, Any]:
    staff: Staff = row.staff
    assert staff.email is not None
    secret = sign_in.offered_secret(row, web_of(request).console_keys)
    uri = totp.setup_uri(secret, email=staff.email, clinic=staff.clinic.name)
    return {
        "qr": totp.qr_svg(uri),
        "secret": secret,
        "csrf": row.csrf_token,
        "explain": texts.CODE_SET_UP_NEEDED,
    }


@router.get("/sign-in/set-up-code")
async def set_up_code_page(request: Request, db: Db) -> Response:
    row = await _pending(request, db, SessionStage.enrol)
    if row is None or row.enrolment_secret is None:
        return _redirect(SIGN_IN)
    return render_public(request, "sign_in_set_up_code.html", **_set_up_context(request, row))


@router.post("/sign-in/set-up-code")
async def set_up_code_submit(
    request: Request, db: Db, code: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    row = await _pending(request, db, SessionStage.enrol)
    if row is None or row.enrolment_secret is None:
        return _redirect(SIGN_IN)
    result = sign_in.confirm_new_code(
        db,
        row=row,
        code=code,
        address=address_of(request),
        now=services_of(request).now(),
        keys=web_of(request).console_keys,
    )
    if result.outcome is Outcome.signed_in:
        return await begin_session(request, db, row.staff, SessionStage.active)
    return render_public(
        request,
        "sign_in_set_up_code.html",
        401,
        error=texts.CODE_REFUSED,
        **_set_up_context(request, row),
    )


def _signed_out(request: Request, notice: str) -> Response:
    response = _redirect(f"{SIGN_IN}?notice={notice}")
    security.clear_cookie(response, security.SESSION_COOKIE, web_of(request))
    return response


@router.post("/sign-out")
async def sign_out(request: Request, console: AnyStaff) -> Response:
    sessions.end(console.session, console.now)
    console.audit(AuditAction.sign_out)
    await console.db.commit()
    return _signed_out(request, "signed_out")


@router.post("/sign-out-everywhere")
async def sign_out_everywhere(request: Request, console: AnyStaff) -> Response:
    ended = await sessions.end_all(console.db, staff_id=console.staff.id, now=console.now)
    console.audit(AuditAction.sign_out_everywhere, detail=f"{ended} sessions ended")
    await console.db.commit()
    return _signed_out(request, "signed_out_everywhere")
