"""A client's plan: the current one (what /plan shows), its versions and what changed between
them, and the editor that saves a new version (the earlier one is kept)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.audit.models import AuditAction
from bot.client import actions
from bot.client.models import Client
from bot.errors import InvalidInput
from bot.plan import diff as plan_diff
from bot.plan import service as plans
from bot.plan.schema import PlanDocument, PlanFileError, dump_plan
from bot.web import plan_form
from bot.web.client_access import ClientDesk, changeable_client, may_change, visible_client
from bot.web.deps import Console
from bot.web.enrolment_form import EnrolForm
from bot.web.inputs import Id
from bot.web.pages import render
from bot.web.plan_form import PlanFields
from bot.web.routes.enrolment import import_plan_file, plan_file

router = APIRouter()


@router.get("/clients/{client_id:int}/plan")
async def plan_page(request: Request, console: ClientDesk, client_id: Id) -> Response:
    """The current plan; `?version=N` shows what changed in version N (against N-1)."""
    client = await visible_client(console, client_id)
    versions = await plans.versions(console.db, client_id=client.id)
    chosen_param = request.query_params.get("version", "")
    chosen = next((v for v in versions if str(v.number) == chosen_param), None)
    if chosen is None and versions:
        chosen = versions[0]
    changes = None
    if chosen is not None:
        earlier = next((v for v in versions if v.number == chosen.number - 1), None)
        if earlier is not None:
            changes = plan_diff.diff(
                PlanDocument.model_validate(earlier.content),
                PlanDocument.model_validate(chosen.content),
            )
    current = await plans.get_document(console.db, client_id=client.id)
    return render(
        request,
        console,
        "client_plan.html",
        client=client,
        plan=current,
        sections=plan_diff.section_lines(current) if current else [],
        versions=versions,
        chosen=chosen,
        changes=changes,
        may_change=may_change(console),
    )


@router.get("/clients/{client_id:int}/plan.yml")
async def plan_download(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await visible_client(console, client_id)
    current = await plans.get_document(console.db, client_id=client.id)
    if current is None:
        raise HTTPException(status_code=404)
    return plan_file(dump_plan(current), f"plan-{client.pseudonym}.yml")


async def _editor(
    request: Request,
    console: Console,
    client: Client,
    fields: PlanFields,
    status: int = 200,
    **extra: Any,
) -> Response:
    return render(
        request,
        console,
        "client_plan_edit.html",
        status,
        client=client,
        fields=fields.with_blank_rows(),
        **extra,
    )


@router.get("/clients/{client_id:int}/plan/edit")
async def edit(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    current = await plans.get_document(console.db, client_id=client.id)
    return await _editor(request, console, client, plan_form.from_plan(current))


@router.post("/clients/{client_id:int}/plan")
async def save(request: Request, console: ClientDesk, client_id: Id) -> Response:
    client = await changeable_client(console, client_id)
    data = await request.form()
    fields = plan_form.from_form(data)
    action = str(data.get("action") or "save")
    if action == "import":
        holder = EnrolForm(plan=fields)
        problem = await import_plan_file(holder, data.get("plan_file"))
        return await _editor(
            request, console, client, holder.plan, 400 if problem else 200, error=problem
        )
    try:
        document = plan_form.parse(fields)
    except PlanFileError as problem:
        return await _editor(request, console, client, fields, 400, error=str(problem))
    if action == "export":
        return plan_file(dump_plan(document), f"plan-{client.pseudonym}.yml")
    try:
        version = await actions.update_plan(
            console.db, client=client, plan=document, by=console.label, now=console.now
        )
    except InvalidInput as problem:
        return await _editor(request, console, client, fields, 409, error=str(problem))
    console.audit(
        AuditAction.client_plan_changed,
        target=f"client {client.id}",
        detail=f"version {version.number}",
    )
    await console.db.commit()
    return RedirectResponse(
        f"/clients/{client.id}/plan?version={version.number}&notice=plan_saved", status_code=303
    )
