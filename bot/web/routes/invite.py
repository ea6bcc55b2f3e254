"""The invite link: a new staff member sets their password (and TOTP) once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.console import invites, totp
from bot.console.models import StaffInvite
from bot.console.sign_in import actor_for
from bot.errors import InvalidInput
from bot.staff.models import Staff
from bot.web import texts
from bot.web.deps import Db, address_of, services_of
from bot.web.pages import render_public

router = APIRouter()


def _context(invite: StaffInvite) -> dict[str, Any]:
    staff: Staff = invite.staff
    assert staff.email is not None
    secret = invites.offered_secret(invite)
    uri = totp.setup_uri(secret, email=staff.email, clinic=staff.clinic.name)
    return {
        "staff": staff,
        "qr": totp.qr_svg(uri),
        "secret": secret,
        "code_required": staff.clinic.require_totp,
    }


@router.get("/invite/{code}")
async def invite_page(request: Request, db: Db, code: str) -> Response:
    invite = await invites.find_usable(db, code=code, now=services_of(request).now())
    if invite is None:
        return render_public(request, "invite_unusable.html", 404, message=texts.INVITE_UNUSABLE)
    context = _context(invite)
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
        staff = await invites.accept(
            db, invite=invite, password=password, repeated=repeated, code=totp_code, now=now
        )
    except InvalidInput as problem:
        return render_public(request, "invite.html", 400, error=str(problem), **_context(invite))
    actor = actor_for(staff, address_of(request))
    audit.record(db, actor=actor, action=AuditAction.password_set, now=now, detail="invite")
    if staff.totp_enrolled_at == now:
        audit.record(db, actor=actor, action=AuditAction.code_enrolled, now=now)
    await db.commit()
    return RedirectResponse("/sign-in?notice=password_set", status_code=303)
