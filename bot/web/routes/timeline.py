"""A client's timeline with the mood chart, and staff notes on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.client import actions
from bot.client.models import Client
from bot.console import mood_chart, timeline
from bot.errors import InvalidInput
from bot.web.client_access import ClientDesk, visible_client
from bot.web.deps import Console
from bot.web.inputs import Id
from bot.web.pages import render

router = APIRouter()
# The newest entries first; older ones on request (two years of aftercare is hundreds).
SHOWN = 60


async def _page(
    request: Request, console: Console, client: Client, status: int = 200, error: str | None = None
) -> Response:
    built = await timeline.build(console.db, client)
    everything = request.query_params.get("all") == "yes"
    shown = built.entries if everything else built.entries[:SHOWN]
    console.audit(AuditAction.client_timeline_viewed, target=f"client {client.id}")
    await console.db.commit()
    return render(
        request,
        console,
        "timeline.html",
        status,
        client=client,
        timeline=built,
        entries=shown,
        hidden=len(built.entries) - len(shown),
        chart=mood_chart.chart(built.mood, client.timezone),
        ctz=client.timezone,
        error=error,
    )


@router.get("/clients/{client_id:int}/timeline")
async def show(request: Request, console: ClientDesk, client_id: Id) -> Response:
    return await _page(request, console, await visible_client(console, client_id))


@router.post("/clients/{client_id:int}/notes")
async def add_note(
    request: Request,
    console: ClientDesk,
    client_id: Id,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Any role that sees the client may note what it did (duty staff call clients too)."""
    client = await visible_client(console, client_id)
    try:
        await actions.add_note(
            console.db,
            client=client,
            staff=console.staff,
            author=console.label,
            text=note,
            now=console.now,
        )
    except InvalidInput as problem:
        return await _page(request, console, client, 400, error=str(problem))
    console.audit(AuditAction.client_note_added, target=f"client {client.id}")
    await console.db.commit()
    return RedirectResponse(f"/clients/{client.id}/timeline?notice=note_added", status_code=303)
