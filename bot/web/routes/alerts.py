"""The alert queue and the alert page, and what duty staff do there."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.alert import actions, client_messages
from bot.alert.handling_models import ResolutionReason
from bot.alert.models import Alert
from bot.audit.models import AuditAction
from bot.console import alert_page, alert_queue
from bot.console import resolved_list as resolved_alerts
from bot.console.alert_queue import QueueFilters
from bot.console.resolved_list import ResolvedFilters
from bot.errors import InvalidInput
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.web import texts
from bot.web.deps import LIVE_ID, Console, DutyDesk
from bot.web.inputs import Id, whole
from bot.web.pages import render

router = APIRouter()


async def _queue_context(request: Request, console: Console) -> dict[str, Any]:
    filters = QueueFilters.parse(request.query_params)
    rows = await alert_queue.unresolved(
        console.db, filters=filters, staff_id=console.staff.id, timezone=console.clinic.timezone
    )
    return {
        "rows": rows,
        "filters": filters,
        "query": filters.query_string(),
        "open_count": await alert_queue.open_count(console.db),
        "overdue_count": await alert_queue.overdue_count(console.db, now=console.now),
        "live_id": LIVE_ID,
        "poll_seconds": console.web.web_refresh_seconds,
    }


@router.get("/alerts")
async def queue(request: Request, console: DutyDesk) -> Response:
    return render(request, console, "alerts.html", **await _queue_context(request, console))


@router.get("/alerts/live")
async def queue_live(request: Request, console: DutyDesk) -> Response:
    """The queue's rows and the tab title, for the page's live refresh."""
    return render(request, console, "alerts_live.html", **await _queue_context(request, console))


async def _alert_page(
    request: Request, console: Console, alert: Alert, *, error: str | None = None, status: int = 200
) -> Response:
    page = await alert_page.build(console.db, alert=alert, viewer_id=console.staff.id)
    console.audit(
        AuditAction.alert_viewed,
        target=f"alert {alert.id}",
        detail=f"client {page.client.pseudonym}",
    )
    await console.db.commit()
    return render(
        request,
        console,
        "alert.html",
        status_code=status,
        page=page,
        alert=alert,
        error=error,
        reasons=list(ResolutionReason),
        signer=client_messages.first_name(console.staff.name),
    )


@router.get("/alerts/resolved")
async def resolved_list(request: Request, console: DutyDesk) -> Response:
    """Resolved alerts, filtered by reason, who and when (in the URL); reopen from here."""
    filters = ResolvedFilters.parse(request.query_params)
    rows = await resolved_alerts.resolved(
        console.db, filters=filters, timezone=console.clinic.timezone, limit=resolved_alerts.LIMIT
    )
    return render(
        request,
        console,
        "alerts_resolved.html",
        rows=rows,
        filters=filters,
        query=filters.query_string(),
        older=filters.query_string(before=rows[-1].alert_id)
        if len(rows) == resolved_alerts.LIMIT
        else None,
        members=await staff_service.get_all(console.db, clinic_id=console.clinic.id),
        reasons=list(ResolutionReason),
        no_reason=resolved_alerts.NO_REASON,
    )


@router.get("/alerts/{alert_id}")
async def show(request: Request, console: DutyDesk, alert_id: Id) -> Response:
    return await _alert_page(request, console, await console.get(Alert, alert_id))


def _problem(problem: InvalidInput) -> str:
    if isinstance(problem, actions.AlreadyTaken):
        return texts.ALERT_ALREADY_TAKEN.format(who=problem.who)
    if isinstance(problem, actions.AlreadyResolved):
        return texts.ALERT_ALREADY_RESOLVED
    if isinstance(problem, actions.NotTaken):
        return texts.ALERT_NOT_TAKEN
    if isinstance(problem, actions.NotResolved):
        return texts.ALERT_NOT_RESOLVED
    if isinstance(problem, actions.NewerOpen):
        return texts.REOPEN_BLOCKED.format(other=problem.other_id)
    if isinstance(problem, actions.ColleagueUnavailable):
        return texts.HANDOVER_INACTIVE if problem.deactivated else texts.HANDOVER_ALREADY_THEIRS
    if isinstance(problem, actions.NotAllowed):
        return texts.ALERT_NOT_ALLOWED
    return str(problem)


def _as(console: Console) -> actions.Actor:
    return actions.Actor(console.staff, actions.Door.console)


async def _refused(
    request: Request, console: Console, alert_id: int, problem: InvalidInput
) -> Response:
    # Every refusal comes before any change, so the page is shown from the same transaction.
    alert = await console.get(Alert, alert_id)
    return await _alert_page(request, console, alert, error=_problem(problem), status=409)


def _done(alert_id: int, notice: str, back: str = "alert") -> Response:
    to = f"/alerts?notice={notice}" if back == "queue" else f"/alerts/{alert_id}?notice={notice}"
    return RedirectResponse(to, status_code=303)


@router.post("/alerts/{alert_id}/take")
async def take(
    request: Request, console: DutyDesk, alert_id: Id, back: Annotated[str, Form()] = "alert"
) -> Response:
    await console.get(Alert, alert_id)
    try:
        await actions.take(console.db, alert_id=alert_id, actor=_as(console), now=console.now)
    except InvalidInput as problem:
        return await _refused(request, console, alert_id, problem)
    console.audit(AuditAction.alert_taken, target=f"alert {alert_id}")
    await console.db.commit()
    return _done(alert_id, "taken", back)


@router.post("/alerts/{alert_id}/hand-over")
async def hand_over(
    request: Request,
    console: DutyDesk,
    alert_id: Id,
    to_staff_id: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    alert = await console.get(Alert, alert_id)
    chosen = whole(to_staff_id)
    if chosen is None:
        return await _alert_page(request, console, alert, error=texts.HANDOVER_CHOOSE, status=400)
    colleague = await console.get(Staff, chosen)
    try:
        await actions.hand_over(
            console.db,
            alert_id=alert_id,
            actor=_as(console),
            to=colleague,
            note=note,
            now=console.now,
        )
    except InvalidInput as problem:
        return await _refused(request, console, alert_id, problem)
    console.audit(
        AuditAction.alert_handed_over,
        target=f"alert {alert_id}",
        detail=f"to {colleague.name} (staff {colleague.id})",
    )
    await console.db.commit()
    return _done(alert_id, "handed_over")


@router.post("/alerts/{alert_id}/resolve")
async def resolve(
    request: Request,
    console: DutyDesk,
    alert_id: Id,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    alert = await console.get(Alert, alert_id)
    if reason not in ResolutionReason.__members__:
        return await _alert_page(
            request, console, alert, error=texts.RESOLVE_REASON_NEEDED, status=400
        )
    if not note.strip():
        return await _alert_page(
            request, console, alert, error=texts.RESOLVE_NOTE_NEEDED, status=400
        )
    try:
        await actions.resolve(
            console.db,
            alert_id=alert_id,
            actor=_as(console),
            reason=ResolutionReason(reason),
            note=note,
            now=console.now,
        )
    except InvalidInput as problem:
        return await _refused(request, console, alert_id, problem)
    console.audit(AuditAction.alert_resolved, target=f"alert {alert_id}", detail=reason)
    await console.db.commit()
    return _done(alert_id, "resolved")


@router.post("/alerts/{alert_id}/reopen")
async def reopen(
    request: Request,
    console: DutyDesk,
    alert_id: Id,
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=20)] = "alert",
) -> Response:
    alert = await console.get(Alert, alert_id)
    if not note.strip():
        return await _alert_page(
            request, console, alert, error=texts.REOPEN_NOTE_NEEDED, status=400
        )
    try:
        await actions.reopen(
            console.db, alert_id=alert_id, actor=_as(console), note=note, now=console.now
        )
    except InvalidInput as problem:
        return await _refused(request, console, alert_id, problem)
    console.audit(AuditAction.alert_reopened, target=f"alert {alert_id}")
    await console.db.commit()
    if back == "resolved":
        return RedirectResponse("/alerts/resolved?notice=reopened", status_code=303)
    return _done(alert_id, "reopened")


@router.post("/alerts/{alert_id}/message")
async def write_to_client(
    request: Request,
    console: DutyDesk,
    alert_id: int,
    body: Annotated[str, Form(max_length=client_messages.MESSAGE_LENGTH)] = "",
) -> Response:
    """A message from the clinic to the client, signed with the writer's first name."""
    alert = await console.get(Alert, alert_id)
    if not body.strip():
        return await _alert_page(request, console, alert, error=texts.MESSAGE_NEEDED, status=400)
    try:
        await client_messages.write(
            console.db, alert_id=alert_id, actor=_as(console), body=body, now=console.now
        )
    except client_messages.ClientUnreachable:
        return await _alert_page(
            request, console, alert, error=texts.CLIENT_UNREACHABLE, status=409
        )
    except InvalidInput as problem:
        return await _refused(request, console, alert_id, problem)
    console.audit(AuditAction.alert_message_sent, target=f"alert {alert_id}")
    await console.db.commit()
    return _done(alert_id, "message_sent")
