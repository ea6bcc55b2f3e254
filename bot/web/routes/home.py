"""The health check and the page each role lands on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text
from starlette.responses import Response

from bot.web.deps import AnyStaff, Db

router = APIRouter()


@router.get("/healthz")
async def healthz(db: Db) -> Response:
    """200 while the console can reach its database, 503 when it cannot."""
    try:
        await db.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/")
async def home(request: Request, console: AnyStaff) -> Response:
    """Duty staff and admins start at the alert queue; therapists at their clients."""
    if console.works_queues:
        return RedirectResponse("/alerts", status_code=303)
    return RedirectResponse("/clients", status_code=303)
