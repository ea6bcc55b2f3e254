"""Clinic admin: the audit log, filtered, and its export (itself written to the log)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.staff import service as staff_service
from bot.web.deps import ClinicAdmin
from bot.web.inputs import day, whole
from bot.web.pages import render

router = APIRouter()


def _filters(params: QueryParams) -> audit.AuditFilter:
    action = params.get("action")
    return audit.AuditFilter(
        action=action if action in AuditAction.__members__ else None,
        staff_id=whole(params.get("staff")),
        target=(params.get("target") or "").strip()[:100] or None,
        since=day(params.get("since")),
        until=day(params.get("until")),
    )


@router.get("/audit")
async def audit_page(request: Request, console: ClinicAdmin) -> Response:
    filters = _filters(request.query_params)
    entries = await audit.page(
        console.db,
        clinic_id=console.clinic.id,
        filters=filters,
        timezone=console.clinic.timezone,
        before_id=whole(request.query_params.get("before")),
    )
    more = len(entries) == audit.PAGE_SIZE
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "before" and v]
    query = urlencode(kept)
    members = await staff_service.get_all(console.db, clinic_id=console.clinic.id)
    return render(
        request,
        console,
        "audit.html",
        entries=entries,
        filters=filters,
        members=members,
        # "About" names the person, not "staff 7".
        about={f"staff {m.id}": f"{m.name} (staff {m.id})" for m in members},
        actions=list(AuditAction),
        older=urlencode([*kept, ("before", entries[-1].id)]) if more else None,
        export_query=query,
    )


@router.get("/audit.csv")
async def audit_export(request: Request, console: ClinicAdmin) -> Response:
    filters = _filters(request.query_params)
    entries = await audit.export(
        console.db, clinic_id=console.clinic.id, filters=filters, timezone=console.clinic.timezone
    )
    console.audit(AuditAction.audit_exported, detail=f"{len(entries)} lines; {filters}")
    await console.db.commit()
    return Response(
        audit.as_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="audit-log.csv"'},
    )
