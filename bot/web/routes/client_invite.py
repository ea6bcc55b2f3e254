"""A client's invite: a new single-use link (the old one stops working) and the handout to
print or show, with its QR code made here (the code is a secret: no outside service sees it)."""

from __future__ import annotations

import segno
from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.client import actions
from bot.client.invite import invite_link
from bot.client.models import Client, Invite
from bot.errors import InvalidInput
from bot.telegram.identity import bot_username
from bot.web.client_access import ClientDesk, changeable_client
from bot.web.deps import Console, services_of
from bot.web.inputs import Id
from bot.web.pages import render
from bot.web.routes.clients import client_page

router = APIRouter()


def qr_svg(link: str) -> Markup:
    """The link as a QR code, inline SVG (no style attributes: the CSP allows it)."""
    return Markup(segno.make(link, error="m").svg_inline(scale=6, border=4, title="Invite link"))


async def _username(request: Request) -> str:
    state = request.app.state
    if getattr(state, "bot_username", None) is None:
        state.bot_username = await bot_username(services_of(request).settings)
    name: str = state.bot_username
    return name


async def handout(
    request: Request, console: Console, client: Client, code: str, invite: Invite, status: int
) -> Response:
    """The page with the link and its QR: the only time the code is shown (it is not stored)."""
    link = invite_link(await _username(request), code)
    return render(
        request,
        console,
        "invite_handout.html",
        status,
        client=client,
        link=link,
        qr=qr_svg(link),
        invite=invite,
    )


async def issue(request: Request, console: Console, client: Client, status: int) -> Response:
    code, invite = await actions.invite(
        console.db,
        client=client,
        valid_days=services_of(request).settings.invite_valid_days,
        by=console.label,
        now=console.now,
    )
    console.audit(AuditAction.client_invited, target=f"client {client.id}")
    await console.db.commit()
    return await handout(request, console, client, code, invite, status)


@router.post("/clients/{client_id:int}/invite")
async def new_invite(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    try:
        return await issue(request, console, client, 200)
    except InvalidInput as problem:
        return await client_page(request, console, client, 409, error=str(problem))
