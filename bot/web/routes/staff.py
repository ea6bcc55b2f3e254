"""Clinic admin: staff (add and invite, role, deactivate, reset TOTP, unlock sign-in, Telegram
link code)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.alert import actions, staff_link
from bot.audit.models import AuditAction
from bot.console import accounts, invites
from bot.errors import InvalidInput
from bot.staff import service as staff_service
from bot.staff.models import Staff, StaffRole
from bot.web.deps import ClinicAdmin, Console
from bot.web.inputs import Id
from bot.web.pages import render

router = APIRouter()


async def _page(request: Request, console: Console, status: int = 200, **extra: Any) -> Response:
    members = await staff_service.get_all(console.db, clinic_id=console.clinic.id)
    held = await accounts.held_back(
        console.db, members=members, now=console.now, keys=console.web.console_keys
    )
    return render(
        request,
        console,
        "staff.html",
        status,
        members=members,
        held=held,
        roles=list(StaffRole),
        **extra,
    )


def _done(notice: str) -> Response:
    return RedirectResponse(f"/staff?notice={notice}", status_code=303)


@router.get("/staff")
async def staff_page(request: Request, console: ClinicAdmin) -> Response:
    return await _page(request, console)


async def _invite(request: Request, console: Console, member: Staff) -> Response:
    """Issue an invite and show its link once (it is never stored)."""
    code = await invites.issue(console.db, staff=member, by=console.label, now=console.now)
    console.audit(AuditAction.invite_issued, target=f"staff {member.id}")
    await console.db.commit()
    link = invites.link(console.web.public_url, code)
    return await _page(request, console, invite_for=member, invite_link=link)


@router.post("/staff")
async def add_staff(
    request: Request,
    console: ClinicAdmin,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        member = await accounts.add(
            console.db, clinic=console.clinic, name=name, email=email, role=role
        )
    except InvalidInput as problem:
        return await _page(request, console, 400, error=str(problem))
    console.audit(
        AuditAction.staff_added, target=f"staff {member.id}", detail=f"role {member.role.value}"
    )
    return await _invite(request, console, member)


@router.post("/staff/{staff_id}/invite")
async def invite_again(request: Request, console: ClinicAdmin, staff_id: Id) -> Response:
    member = await console.get(Staff, staff_id)
    try:
        return await _invite(request, console, member)
    except InvalidInput as problem:
        return await _page(request, console, 409, error=str(problem))


@router.post("/staff/{staff_id}/role")
async def change_role(
    request: Request,
    console: ClinicAdmin,
    staff_id: Id,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    member = await console.get(Staff, staff_id)
    before = member.role.value
    try:
        after = await accounts.change_role(console.db, staff=member, role=role, now=console.now)
    except InvalidInput as problem:
        return await _page(request, console, 409, error=str(problem))
    console.audit(
        AuditAction.staff_role_changed,
        target=f"staff {member.id}",
        detail=f"{before} -> {after.value}",
    )
    await console.db.commit()
    return _done("role_changed")


@router.post("/staff/{staff_id}/deactivate")
async def deactivate(request: Request, console: ClinicAdmin, staff_id: Id) -> Response:
    member = await console.get(Staff, staff_id)
    try:
        await accounts.deactivate(
            console.db,
            staff=member,
            now=console.now,
            by=console.actor,
            acting=actions.Actor(console.staff, actions.Door.console),
        )
    except InvalidInput as problem:
        return await _page(request, console, 409, error=str(problem))
    console.audit(AuditAction.staff_deactivated, target=f"staff {member.id}")
    await console.db.commit()
    return _done("deactivated")


@router.post("/staff/{staff_id}/reset-code")
async def reset_code(request: Request, console: ClinicAdmin, staff_id: Id) -> Response:
    member = await console.get(Staff, staff_id)
    await accounts.reset_code(console.db, staff=member, now=console.now)
    console.audit(AuditAction.code_reset, target=f"staff {member.id}")
    await console.db.commit()
    return _done("code_reset")


@router.post("/staff/{staff_id}/unlock")
async def unlock(request: Request, console: ClinicAdmin, staff_id: Id) -> Response:
    """Earlier failed sign-ins stop slowing anyone down for this account (a duty member who
    must get in now)."""
    member = await console.get(Staff, staff_id)
    try:
        accounts.unlock(console.db, staff=member, now=console.now, keys=console.web.console_keys)
    except InvalidInput as problem:
        return await _page(request, console, 409, error=str(problem))
    console.audit(AuditAction.sign_in_unlocked, target=f"staff {member.id}")
    await console.db.commit()
    return _done("unlocked")


@router.post("/staff/{staff_id}/telegram-code")
async def telegram_code(request: Request, console: ClinicAdmin, staff_id: Id) -> Response:
    """A code for /staff in the clinic's group; shown once, never stored."""
    member = await console.get(Staff, staff_id)
    if member.deactivated_at is not None:
        return await _page(request, console, 409, error=f"{member.name} is deactivated")
    code = await staff_link.issue_staff_code(console.db, staff=member, now=console.now)
    console.audit(AuditAction.telegram_code_issued, target=f"staff {member.id}")
    await console.db.commit()
    return await _page(request, console, telegram_for=member, telegram_code=code)
