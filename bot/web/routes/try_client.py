"""Try it as the client: write as them, see what the bot would answer and whether it would
alert the clinic. The real inbound flow runs and is rolled back (bot.conversation.preview)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.conversation.preview import try_message
from bot.web.client_access import ClientDesk, visible_client
from bot.web.deps import services_of
from bot.web.inputs import Id
from bot.web.pages import render

router = APIRouter()
MESSAGE_MAX = 4096


@router.get("/clients/{client_id:int}/try")
async def page(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await visible_client(console, client_id)
    return render(request, console, "try_client.html", client=client, message="", preview=None)


@router.post("/clients/{client_id:int}/try")
async def try_it(
    request: Request,
    console: ClientDesk,
    client_id: Id,
    message: Annotated[str, Form(max_length=MESSAGE_MAX)] = "",
) -> Response:
    client = await visible_client(console, client_id)
    if not message.strip():
        return render(
            request,
            console,
            "try_client.html",
            400,
            client=client,
            message="",
            preview=None,
            error="Write a message as the client would.",
        )
    # The console's own session is left untouched: the preview runs in one of its own.
    preview = await try_message(services_of(request), client_id=client.id, text=message)
    console.audit(AuditAction.client_tried, target=f"client {client.id}")
    await console.db.commit()
    return render(
        request, console, "try_client.html", client=client, message=message, preview=preview
    )
