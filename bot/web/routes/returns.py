"""The return-request queue: the same shape as the alert queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.console import return_queue
from bot.errors import InvalidInput
from bot.return_request import service as returns
from bot.return_request.models import ReturnRequest
from bot.web.deps import LIVE_ID, Console, DutyDesk
from bot.web.inputs import Id, moment
from bot.web.pages import render

router = APIRouter()


async def _context(request: Request, console: Console) -> dict[str, Any]:
    show = request.query_params.get("show", "open")
    show = show if show in return_queue.SHOW else "open"
    return {
        "rows": await return_queue.requests(console.db, show=show),
        "show": show,
        "open_count": await return_queue.open_count(console.db),
        "live_id": LIVE_ID,
        "poll_seconds": console.web.web_refresh_seconds,
    }


@router.get("/returns")
async def queue(request: Request, console: DutyDesk) -> Response:
    return render(request, console, "returns.html", **await _context(request, console))


@router.get("/returns/live")
async def queue_live(request: Request, console: DutyDesk) -> Response:
    return render(request, console, "returns_live.html", **await _context(request, console))


@dataclass(frozen=True)
class Conflict:
    """A save that met a request changed meanwhile: what is there now, and what was typed."""

    request_id: int
    status: str
    note: str


@router.post("/returns/{request_id}/status")
async def change_status(
    request: Request,
    console: DutyDesk,
    request_id: Id,
    status: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    seen: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    await console.get(ReturnRequest, request_id)
    try:
        await returns.update_status(
            console.db,
            request_id=request_id,
            status=status,
            note=note.strip() or None,
            now=console.now,
            by=console.actor,
            seen=moment(seen),
        )
    except returns.ChangedMeanwhile:
        context = await _context(request, console)
        mine = Conflict(request_id, status, note)
        return render(request, console, "returns.html", 409, conflict=mine, **context)
    except InvalidInput as problem:
        context = await _context(request, console)
        return render(request, console, "returns.html", 409, error=str(problem), **context)
    await console.db.commit()
    return RedirectResponse("/returns?notice=return_updated", status_code=303)
