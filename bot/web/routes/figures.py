"""Clinic admin: response figures (time to take and resolve alerts, per week), read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from bot.console import figures_chart, response_figures
from bot.web.deps import ClinicAdmin
from bot.web.inputs import whole
from bot.web.pages import render

router = APIRouter()
WEEK_CHOICES = (4, 12, 26, 52)


@router.get("/figures")
async def figures_page(request: Request, console: ClinicAdmin) -> Response:
    asked = whole(request.query_params.get("weeks"), high=response_figures.MAX_WEEKS)
    weeks = asked if asked in WEEK_CHOICES else response_figures.DEFAULT_WEEKS
    figures = await response_figures.weekly(
        console.db,
        clinic_id=console.clinic.id,
        now=console.now,
        timezone=console.clinic.timezone,
        weeks=weeks,
    )
    return render(
        request,
        console,
        "figures.html",
        figures=figures,
        chart=figures_chart.chart(figures),
        weeks=weeks,
        week_choices=WEEK_CHOICES,
        severities=response_figures.SEVERITIES,
    )
