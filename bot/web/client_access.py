"""Who may see and change a client in the console.

Every role sees the clinic's clients (tenancy scopes the session to the clinic); a therapist
sees only their own clients and those they follow: another's answers 404, as if absent.
Changes are for therapists and clinic admins; duty staff read only (403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from bot.client import history
from bot.client.models import Client
from bot.staff.models import StaffRole
from bot.web.deps import Console, require

CHANGING_ROLES = (StaffRole.therapist, StaffRole.clinic_admin)
ClientDesk = Annotated[Console, Depends(require(*StaffRole))]
Enrolling = Annotated[Console, Depends(require(*CHANGING_ROLES))]


async def visible_client(console: Console, client_id: int) -> Client:
    """The client, if this staff member may see them; else 404."""
    client = await console.get(Client, client_id)
    staff = console.staff
    if staff.role is StaffRole.therapist and client.therapist_id != staff.id:
        if staff.id not in await history.followers(console.db, client_id=client.id):
            raise HTTPException(status_code=404)
    return client


def may_change(console: Console) -> bool:
    return console.staff.role in CHANGING_ROLES


async def changeable_client(console: Console, client_id: int) -> Client:
    """The client, if this staff member may change them; 404 if unseen, 403 for duty staff."""
    client = await visible_client(console, client_id)
    if not may_change(console):
        raise HTTPException(status_code=403)
    return client
