"""Clinic admin: settings, crisis resources, closures, and the staff group's link code."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.alert import staff_link
from bot.audit.models import AuditAction
from bot.clinic import closures
from bot.console import clinic_settings, crisis_resources
from bot.console.clinic_models import ClinicClosure, CrisisResource
from bot.console.clinic_settings import ClinicSettings
from bot.errors import InvalidInput
from bot.web.deps import ClinicAdmin, Console
from bot.web.inputs import Id
from bot.web.pages import render

router = APIRouter()


def _today(console: Console) -> date:
    return console.now.astimezone(ZoneInfo(console.clinic.timezone)).date()


async def _page(request: Request, console: Console, status: int = 200, **extra: Any) -> Response:
    today = _today(console)
    entries = await crisis_resources.entries(console.db, clinic_id=console.clinic.id)
    context: dict[str, Any] = {
        "settings": ClinicSettings.of(console.clinic),
        "numbers": clinic_settings.NUMBERS,
        "entries": entries,
        "review_due": {e.id for e in entries if crisis_resources.review_due(e, today)},
        "closures": await closures.upcoming(console.db, clinic_id=console.clinic.id, today=today),
        "today": today.isoformat(),
    }
    context.update(extra)
    return render(request, console, "clinic.html", status, **context)


def _saved(notice: str) -> Response:
    return RedirectResponse(f"/clinic?notice={notice}", status_code=303)


@router.get("/clinic")
async def clinic_page(request: Request, console: ClinicAdmin) -> Response:
    return await _page(request, console)


@router.post("/clinic")
async def save_settings(request: Request, console: ClinicAdmin) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        new = clinic_settings.parse(form)
    except InvalidInput as problem:
        return await _page(request, console, 400, error=str(problem), settings_error=True)
    changes = clinic_settings.apply(console.clinic, new)
    if changes:
        console.audit(
            AuditAction.clinic_settings_changed,
            target=f"clinic {console.clinic.id}",
            detail="; ".join(changes),
        )
    await console.db.commit()
    return _saved("settings_saved")


@router.post("/clinic/crisis-resources")
async def add_resource(
    request: Request,
    console: ClinicAdmin,
    name: Annotated[str, Form(max_length=300)] = "",
    number: Annotated[str, Form(max_length=100)] = "",
    hours: Annotated[str, Form(max_length=200)] = "",
    verified_on: Annotated[str, Form(max_length=20)] = "",
    languages: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        entry = crisis_resources.check(
            name, number, hours, verified_on, today=_today(console), languages=languages
        )
    except InvalidInput as problem:
        return await _page(request, console, 400, error=str(problem))
    text = await crisis_resources.add(
        console.db, clinic=console.clinic, entry=entry, now=console.now
    )
    console.audit(
        AuditAction.crisis_resources_changed, target=f"clinic {console.clinic.id}", detail=text
    )
    await console.db.commit()
    return _saved("resources_saved")


@router.post("/clinic/crisis-resources/{entry_id}")
async def change_resource(
    request: Request,
    console: ClinicAdmin,
    entry_id: Id,
    name: Annotated[str, Form(max_length=300)] = "",
    number: Annotated[str, Form(max_length=100)] = "",
    hours: Annotated[str, Form(max_length=200)] = "",
    verified_on: Annotated[str, Form(max_length=20)] = "",
    languages: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    resource = await console.get(CrisisResource, entry_id)
    try:
        entry = crisis_resources.check(
            name, number, hours, verified_on, today=_today(console), languages=languages
        )
    except InvalidInput as problem:
        return await _page(request, console, 400, error=str(problem))
    text = await crisis_resources.change(
        console.db, clinic=console.clinic, resource=resource, entry=entry, now=console.now
    )
    console.audit(
        AuditAction.crisis_resources_changed, target=f"clinic {console.clinic.id}", detail=text
    )
    await console.db.commit()
    return _saved("resources_saved")


@router.post("/clinic/crisis-resources/{entry_id}/remove")
async def remove_resource(request: Request, console: ClinicAdmin, entry_id: Id) -> Response:
    resource = await console.get(CrisisResource, entry_id)
    try:
        text = await crisis_resources.remove(console.db, clinic=console.clinic, resource=resource)
    except InvalidInput as problem:
        return await _page(request, console, 409, error=str(problem))
    console.audit(
        AuditAction.crisis_resources_changed, target=f"clinic {console.clinic.id}", detail=text
    )
    await console.db.commit()
    return _saved("resources_saved")


@router.post("/clinic/closures")
async def add_closure(
    request: Request,
    console: ClinicAdmin,
    starts_on: Annotated[str, Form(max_length=20)] = "",
    ends_on: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        first, last, why = closures.check(starts_on, ends_on, note, today=_today(console))
    except InvalidInput as problem:
        return await _page(request, console, 400, error=str(problem))
    console.db.add(
        ClinicClosure(clinic_id=console.clinic.id, starts_on=first, ends_on=last, note=why)
    )
    console.audit(
        AuditAction.closure_changed,
        target=f"clinic {console.clinic.id}",
        detail=f"closed {first} to {last}: {why}",
    )
    await console.db.commit()
    return _saved("closure_saved")


@router.post("/clinic/closures/{closure_id}/remove")
async def remove_closure(request: Request, console: ClinicAdmin, closure_id: Id) -> Response:
    closure = await console.get(ClinicClosure, closure_id)
    await console.db.delete(closure)
    console.audit(
        AuditAction.closure_changed,
        target=f"clinic {console.clinic.id}",
        detail=f"removed closure {closure.starts_on} to {closure.ends_on}",
    )
    await console.db.commit()
    return _saved("closure_saved")


@router.post("/clinic/group-link-code")
async def group_link_code(request: Request, console: ClinicAdmin) -> Response:
    """A code for /link in the staff group; shown once, never stored."""
    code = await staff_link.issue_clinic_code(console.db, clinic=console.clinic, now=console.now)
    console.audit(AuditAction.group_code_issued, target=f"clinic {console.clinic.id}")
    await console.db.commit()
    return await _page(request, console, group_code=code)
