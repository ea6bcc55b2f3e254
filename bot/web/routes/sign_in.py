"""Signing in and out: password, then a TOTP code or setting one up; one session per sign-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.console import sessions, sign_in, totp
from bot.console.models import ConsoleSession, SessionStage
from bot.console.sign_in import Outcome
from bot.staff.models import Staff
from bot.web import security, texts
from bot.web.deps import AnyStaff, Db, address_of, services_of, visit_session, web_of
from bot.web.pages import render_public

router = APIRouter()
SIGN_IN = "/sign-in"


def _redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


async def _begin(
    request: Request, db: Db, staff: Staff, stage: SessionStage, *, secret: str | None = None
) -> Response:
    """End this browser's earlier session, start a new one (a new token), commit, go on."""
    now = services_of(request).now()
    earlier = await visit_session(request, db)
    if earlier is not None:
        sessions.end(earlier, now)
    token, row = sessions.start(
        db,
        staff=staff,
        stage=stage,
        now=now,
        limits=web_of(request).session_limits,
        address=address_of(request),
    )
    row.enrolment_secret = secret
    await db.commit()
    to = {
        SessionStage.active: "/",
        SessionStage.code: "/sign-in/code",
        SessionStage.enrol: "/sign-in/set-up-code",
    }[stage]
    response = _redirect(to)
    security.set_cookie(response, security.SESSION_COOKIE, token, web_of(request))
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, db: Db) -> Response:
    row = await visit_session(request, db)
    if row is not None and row.stage == SessionStage.active.value:
        return _redirect("/")
    return render_public(request, "sign_in.html")


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
    )
    await db.commit()
    if result.outcome is Outcome.locked:
        return render_public(request, "sign_in.html", 429, error=texts.SIGN_IN_LOCKED, email=email)
    if result.outcome is Outcome.refused or result.staff is None:
        return render_public(request, "sign_in.html", 401, error=texts.SIGN_IN_REFUSED, email=email)
    if result.outcome is Outcome.code_needed:
        return await _begin(request, db, result.staff, SessionStage.code)
    if result.outcome is Outcome.set_up_code:
        return await _begin(request, db, result.staff, SessionStage.enrol, secret=totp.new_secret())
    return await _begin(request, db, result.staff, SessionStage.active)


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
    now = services_of(request).now()
    result = await sign_in.check_code(
        db, staff=row.staff, code=code, address=address_of(request), now=now
    )
    if result.outcome is Outcome.signed_in:
        return await _begin(request, db, row.staff, SessionStage.active)
    if result.outcome is Outcome.locked:
        sessions.end(row, now)
        await db.commit()
        response = render_public(request, "sign_in.html", 429, error=texts.SIGN_IN_LOCKED)
        security.clear_cookie(response, security.SESSION_COOKIE, web_of(request))
        return response
    await db.commit()
    return render_public(
        request, "sign_in_code.html", 401, csrf=row.csrf_token, error=texts.CODE_REFUSED
    )


def _set_up_context(row: ConsoleSession) -> dict[str, Any]:
    staff: Staff = row.staff
    assert row.enrolment_secret is not None and staff.email is not None
    uri = totp.setup_uri(row.enrolment_secret, email=staff.email, clinic=staff.clinic.name)
    return {"qr": totp.qr_svg(uri), "secret": row.enrolment_secret}


@router.get("/sign-in/set-up-code")
async def set_up_code_page(request: Request, db: Db) -> Response:
    row = await _pending(request, db, SessionStage.enrol)
    if row is None:
        return _redirect(SIGN_IN)
    return render_public(
        request,
        "sign_in_set_up_code.html",
        csrf=row.csrf_token,
        explain=texts.CODE_SET_UP_NEEDED,
        **_set_up_context(row),
    )


@router.post("/sign-in/set-up-code")
async def set_up_code_submit(
    request: Request, db: Db, code: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    row = await _pending(request, db, SessionStage.enrol)
    if row is None or row.enrolment_secret is None:
        return _redirect(SIGN_IN)
    result = sign_in.confirm_new_code(
        db,
        staff=row.staff,
        secret=row.enrolment_secret,
        code=code,
        address=address_of(request),
        now=services_of(request).now(),
    )
    if result.outcome is Outcome.signed_in:
        return await _begin(request, db, row.staff, SessionStage.active)
    return render_public(
        request,
        "sign_in_set_up_code.html",
        401,
        csrf=row.csrf_token,
        explain=texts.CODE_SET_UP_NEEDED,
        error=texts.CODE_REFUSED,
        **_set_up_context(row),
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
