"""The invite link: a staff member sets their password (and TOTP) once, and is signed in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from bot.console import invites, passwords, totp
from bot.console.models import SessionStage, StaffInvite
from bot.console.sign_in import Outcome
from bot.errors import InvalidInput
from bot.staff.models import Staff
from bot.web import texts
from bot.web.deps import Db, address_of, services_of, web_of
from bot.web.pages import render_public
from bot.web.routes.sign_in import begin_session

router = APIRouter()


def _context(request: Request, invite: StaffInvite) -> dict[str, Any]:
    staff: Staff = invite.staff
    assert staff.email is not None
    secret = invites.offered_secret(invite, web_of(request).console_keys)
    uri = totp.setup_uri(secret, email=staff.email, clinic=staff.clinic.name)
    return {
        "staff": staff,
        "qr": totp.qr_svg(uri),
        "secret": secret,
        "code_required": staff.clinic.require_totp,
        "rules": texts.PASSWORD_RULES.format(min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH),
        "min_length": passwords.MIN_LENGTH,
        "max_length": passwords.MAX_LENGTH,
    }


@router.get("/invite/{code}")
async def invite_page(request: Request, db: Db, code: str) -> Response:
    invite = await invites.find_usable(db, code=code, now=services_of(request).now())
    if invite is None:
        return render_public(request, "invite_unusable.html", 404, message=texts.INVITE_UNUSABLE)
    context = _context(request, invite)
    await db.commit()  # the offered TOTP secret stays the same if the page is reloaded
    return render_public(request, "invite.html", **context)


@router.post("/invite/{code}")
async def invite_submit(
    request: Request,
    db: Db,
    code: str,
    password: Annotated[str, Form(max_length=1000)] = "",
    repeated: Annotated[str, Form(max_length=1000)] = "",
    totp_code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    now = services_of(request).now()
    invite = await invites.find_usable(db, code=code, now=now)
    if invite is None:
        return render_public(request, "invite_unusable.html", 404, message=texts.INVITE_UNUSABLE)
    try:
        result = await invites.accept(
            db,
            invite=invite,
            password=password,
            repeated=repeated,
            code=totp_code,
            address=address_of(request),
            now=now,
            keys=web_of(request).console_keys,
        )
    except InvalidInput as problem:
        context = _context(request, invite)
        return render_public(request, "invite.html", 400, error=str(problem), **context)
    assert result.staff is not None
    stage = SessionStage.code if result.outcome is Outcome.code_needed else SessionStage.active
    return await begin_session(request, db, result.staff, stage)
