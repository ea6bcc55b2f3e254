"""The client list and a client's page: facts, invite, taper preview, and changing check-ins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.checkin import schedule
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client import actions, history
from bot.client.models import Client
from bot.client.views import summary
from bot.console import client_list, taper_preview
from bot.console.client_list import ListFilters
from bot.errors import InvalidInput
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.taper.window import parse_window
from bot.web import client_texts as text
from bot.web.client_access import ClientDesk, changeable_client, may_change, visible_client
from bot.web.deps import Console
from bot.web.inputs import Id, whole
from bot.web.pages import render

router = APIRouter()


async def _list(request: Request, console: Console, search: str | None) -> dict[str, Any]:
    filters = ListFilters.parse(request.query_params)
    rows, total = await client_list.rows(
        console.db, staff=console.staff, filters=filters, search=search
    )
    return {
        "rows": rows,
        "total": total,
        "filters": filters,
        "query": filters.query_string(),
        "search": search or "",
        "today": console.now.date(),
        "statuses": client_list.STATUSES,
    }


@router.get("/clients")
async def client_list_page(request: Request, console: ClientDesk) -> Response:
    return render(request, console, "clients.html", **await _list(request, console, None))


@router.post("/clients/search")
async def search(
    request: Request, console: ClientDesk, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """The name travels in the form body, never in the address (it would land in logs)."""
    context = await _list(request, console, name)
    if request.headers.get("hx-request"):
        return render(request, console, "_client_rows.html", **context)
    return render(request, console, "clients.html", **context)


async def _preview(console: Console, client: Client) -> taper_preview.TaperPreview:
    rows = await schedule.upcoming(console.db, client_id=client.id, limit=200)
    done = await console.db.scalar(
        select(func.max(Checkin.step)).where(
            Checkin.client_id == client.id,
            Checkin.kind == CheckinKind.taper,
            Checkin.status.not_in([CheckinStatus.scheduled, CheckinStatus.cancelled]),
        )
    )
    return taper_preview.build(
        rows,
        offsets=client.taper_offsets,
        timezone=client.timezone,
        ending_date=client.ending_date,
        now=console.now,
        done_through=done,
    )


async def client_page(
    request: Request, console: Console, client: Client, status: int = 200, **extra: Any
) -> Response:
    view = await summary(console.db, client)
    follower_ids = await history.followers(console.db, client_id=client.id)
    colleagues = await staff_service.get_all(console.db, clinic_id=console.clinic.id)
    return render(
        request,
        console,
        "client.html",
        status,
        client=client,
        view=view,
        preview=await _preview(console, client),
        followers=[s for s in colleagues if s.id in follower_ids],
        candidates=[
            s
            for s in colleagues
            if s.id not in follower_ids and s.id != client.therapist_id and s.deactivated_at is None
        ],
        may_change=may_change(console),
        today=console.now.date(),
        **extra,
    )


@router.get("/clients/{client_id:int}")
async def show(request: Request, console: ClientDesk, client_id: Id) -> Response:
    return await client_page(request, console, await visible_client(console, client_id))


def _done(client_id: int, notice: str) -> Response:
    return RedirectResponse(f"/clients/{client_id}?notice={notice}", status_code=303)


async def _changed(
    request: Request, console: Console, client: Client, verb: str, changed: bool, notice: str
) -> Response:
    console.audit(AuditAction.client_changed, target=f"client {client.id}", detail=verb)
    await console.db.commit()
    return _done(client.id, notice if changed else "unchanged")


@router.post("/clients/{client_id:int}/pause")
async def pause(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    done = await actions.pause(console.db, client=client, now=console.now, by=console.label)
    return await _changed(request, console, client, "paused", done.changed, "paused")


@router.post("/clients/{client_id:int}/resume")
async def resume(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    done = await actions.resume(console.db, client=client, now=console.now, by=console.label)
    return await _changed(request, console, client, "resumed", done.changed, "resumed")


@router.post("/clients/{client_id:int}/send-now")
async def send_now(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    try:
        await actions.send_checkin_now(console.db, client=client, now=console.now, by=console.label)
    except InvalidInput as problem:
        return await client_page(request, console, client, 409, error=str(problem))
    return await _changed(request, console, client, "checkin sent now", True, "checkin_sent")


@router.post("/clients/{client_id:int}/window")
async def change_window(
    request: Request,
    console: ClientDesk,
    client_id: Id,
    window: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    client = await changeable_client(console, client_id)
    try:
        await actions.change_window(
            console.db,
            client=client,
            window=parse_window(window),
            now=console.now,
            by=console.label,
        )
    except InvalidInput as problem:
        return await client_page(request, console, client, 400, error=str(problem))
    return await _changed(request, console, client, f"window {window}", True, "window_changed")


@router.post("/clients/{client_id:int}/timezone")
async def change_timezone(
    request: Request,
    console: ClientDesk,
    client_id: Id,
    timezone: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    client = await changeable_client(console, client_id)
    try:
        await actions.change_timezone(
            console.db, client=client, timezone=timezone.strip(), now=console.now, by=console.label
        )
    except InvalidInput as problem:
        return await client_page(request, console, client, 400, error=str(problem))
    return await _changed(
        request, console, client, f"timezone {timezone}", True, "timezone_changed"
    )


@router.post("/clients/{client_id:int}/followers")
async def change_followers(
    request: Request,
    console: ClientDesk,
    client_id: Id,
    staff_id: Annotated[str, Form(max_length=20)] = "",
    follow: Annotated[str, Form(max_length=5)] = "yes",
) -> Response:
    client = await changeable_client(console, client_id)
    chosen = whole(staff_id)
    if chosen is None:
        return await client_page(request, console, client, 400, error=text.FOLLOWER_CHOOSE)
    colleague = await console.get(Staff, chosen)
    verb = actions.follow if follow == "yes" else actions.unfollow
    try:
        await verb(console.db, client=client, staff=colleague, by=console.label, now=console.now)
    except InvalidInput as problem:
        return await client_page(request, console, client, 409, error=str(problem))
    console.audit(
        AuditAction.client_followers_changed,
        target=f"client {client.id}",
        detail=f"{'added' if follow == 'yes' else 'removed'} staff {colleague.id}",
    )
    await console.db.commit()
    return _done(client.id, "followed" if follow == "yes" else "unfollowed")
