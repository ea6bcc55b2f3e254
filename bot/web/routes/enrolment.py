"""Enrolling a client in steps (details, taper, plan, review), then creating them with an
invite. The form is carried whole from step to step; nothing is stored before "Create"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.client import actions
from bot.client.models import Client
from bot.console import taper_preview
from bot.plan.schema import PlanFileError, dump_plan, load_plan_text
from bot.staff import service as staff_service
from bot.staff.models import Staff, StaffRole
from bot.taper.templates import TEMPLATES
from bot.web import client_texts as text
from bot.web import enrolment_form, plan_form
from bot.web.client_access import Enrolling
from bot.web.deps import Console
from bot.web.enrolment_form import PLAN, REVIEW, EnrolForm
from bot.web.inputs import whole
from bot.web.pages import render
from bot.web.routes.client_invite import issue

router = APIRouter()
PLAN_FILE_LIMIT = 100_000


async def _therapists(console: Console) -> list[Staff]:
    staff = await staff_service.get_all(console.db, clinic_id=console.clinic.id)
    return [s for s in staff if s.role is StaffRole.therapist and s.deactivated_at is None]


async def _page(
    request: Request, console: Console, form: EnrolForm, status: int = 200, **extra: Any
) -> Response:
    preview = None
    if form.step == REVIEW:
        preview = taper_preview.build(
            form.planned(console.now),
            offsets=form.offsets_chosen(),
            timezone=form.timezone,
            ending_date=form.enrollment().ending_date,
            now=console.now,
        )
    return render(
        request,
        console,
        "enrol.html",
        status,
        form=form,
        fields=form.plan,
        preview=preview,
        therapists=await _therapists(console) if console.is_admin else [],
        timezones=enrolment_form.timezones(),
        templates=[*TEMPLATES, "custom"],
        step_titles=text.STEP_TITLES,
        clinic_language=console.clinic.default_language,
        **extra,
    )


@router.get("/clients/new")
async def start(request: Request, console: Enrolling) -> Response:
    form = EnrolForm.blank(
        today=console.now.date(), timezone=console.clinic.timezone, therapist_id=console.staff.id
    )
    return await _page(request, console, form, restore_draft=True)


async def _therapist(console: Console, form: EnrolForm) -> Staff:
    ident = whole(form.therapist_id)
    if console.is_admin and ident is not None:
        chosen = await console.get(Staff, ident)
        if chosen.role is StaffRole.therapist and chosen.deactivated_at is None:
            return chosen
    return console.staff


async def import_plan_file(form: EnrolForm, upload: Any) -> str | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "Choose a plan file (YAML) to import."
    raw = await upload.read(PLAN_FILE_LIMIT + 1)
    if len(raw) > PLAN_FILE_LIMIT:
        return f"{upload.filename}: larger than a plan file can be ({PLAN_FILE_LIMIT} bytes)"
    try:
        plan = load_plan_text(raw.decode("utf-8"), source=upload.filename)
    except UnicodeDecodeError:
        return f"{upload.filename}: not a text file (UTF-8)"
    except PlanFileError as problem:
        return str(problem)
    form.plan = plan_form.from_plan(plan)
    return None


def plan_file(plan_text: str, name: str) -> Response:
    return Response(
        plan_text,
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/clients/new")
async def step(request: Request, console: Enrolling) -> Response:
    data = await request.form()
    form = EnrolForm.read(data)
    action = str(data.get("action") or "next")
    if action == "back":
        form.step = max(0, form.step - 1)
        return await _page(request, console, form.with_blank_rows())
    goto = whole(action[5:]) if action.startswith("goto-") else None
    if goto is not None:
        form.step = min(goto, form.step)
        return await _page(request, console, form.with_blank_rows())
    if action == "import":
        form.step = PLAN
        problem = await import_plan_file(form, data.get("plan_file"))
        return await _page(
            request, console, form.with_blank_rows(), 400 if problem else 200, error=problem
        )
    if action == "export":
        try:
            return plan_file(dump_plan(form.plan_document()), "plan.yml")
        except PlanFileError as refused:
            form.step = PLAN
            return await _page(request, console, form.with_blank_rows(), 400, error=str(refused))
    if action == "next":
        return await _next(request, console, form)
    return await _create(request, console, form)


async def _next(request: Request, console: Console, form: EnrolForm) -> Response:
    problem = form.problem_at(form.step)
    if problem:
        return await _page(request, console, form.with_blank_rows(), 400, error=problem)
    form.step += 1
    if form.step == REVIEW and (found := form.first_problem()):
        form.step, problem = found
        return await _page(request, console, form.with_blank_rows(), 400, error=problem)
    return await _page(request, console, form.with_blank_rows())


async def _create(request: Request, console: Console, form: EnrolForm) -> Response:
    if found := form.first_problem():
        form.step, problem = found
        return await _page(request, console, form.with_blank_rows(), 400, error=problem)
    existing = await console.db.scalar(select(Client).where(Client.pseudonym == form.pseudonym))
    if existing is not None:
        # The same form sent twice (a reload): one client, not two.
        return RedirectResponse(f"/clients/{existing.id}?notice=unchanged", status_code=303)
    client = await actions.enroll(
        console.db,
        therapist=await _therapist(console, form),
        enrollment=form.enrollment(),
        by=console.label,
        now=console.now,
    )
    console.audit(AuditAction.client_enrolled, target=f"client {client.id}")
    return await issue(request, console, client, 201)
