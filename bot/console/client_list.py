"""The client list: who needs attention first, with how long since each client last replied.

Therapists see their own clients and those they follow; duty staff and clinic admins see every
client of the clinic (the session is already scoped to it: bot.console.tenancy). One query
for the page: each client's check-in figures are kept by the database (`ClientFigures`), so
the page never groups every check-in of the clinic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, Subquery, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertStatus
from bot.client.models import Client, ClientStatus
from bot.client.record_models import ClientFigures, ClientFollower
from bot.clinic.models import Clinic
from bot.staff.models import Staff, StaffRole

PAGE = 100
STATUSES = [s.value for s in ClientStatus]
ENDED = (ClientStatus.completed, ClientStatus.stopped)


@dataclass(frozen=True)
class ListFilters:
    """What the list is narrowed to; kept in the URL (the name search never is)."""

    status: str | None = None
    alert: bool = False
    followed: bool = False

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ListFilters:
        status = params.get("status") or None
        return cls(
            status=status if status in STATUSES else None,
            alert=params.get("alert") == "open",
            followed=params.get("followed") == "yes",
        )

    def query_string(self) -> str:
        pairs = {"status": self.status, "alert": "open" if self.alert else None}
        pairs["followed"] = "yes" if self.followed else None
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True)
class ClientRow:
    id: int
    pseudonym: str
    name: str
    status: ClientStatus
    ending_date: date
    ending_type: str
    therapist_id: int
    last_answered_at: datetime | None
    next_due: datetime | None
    open_alerts: int
    missed_in_a_row: int
    # The language the bot writes to them in (theirs, else the clinic's default).
    language: str

    def weeks_since_ending(self, today: date) -> int:
        return max(0, (today - self.ending_date).days // 7)


def visible_to(staff: Staff) -> object:
    """The clients a staff member may see (within their clinic)."""
    if staff.role is not StaffRole.therapist:
        return literal(True)
    followed = select(ClientFollower.client_id).where(ClientFollower.staff_id == staff.id)
    return or_(Client.therapist_id == staff.id, Client.id.in_(followed))


def _conditions(staff: Staff, filters: ListFilters, search: str | None) -> list[object]:
    """Who is listed: visibility, filters and the name search (no per-client figures)."""
    conditions: list[object] = [visible_to(staff)]
    if filters.status:
        conditions.append(Client.status == ClientStatus(filters.status))
    if filters.alert:
        conditions.append(
            select(Alert.id)
            .where(Alert.client_id == Client.id, Alert.status != AlertStatus.resolved)
            .exists()
        )
    if filters.followed:
        followed = select(ClientFollower.client_id).where(ClientFollower.staff_id == staff.id)
        conditions.append(Client.id.in_(followed))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                Client.display_name.ilike(pattern, escape="\\"),
                Client.pseudonym.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def _open_alerts() -> Subquery:
    return (
        select(Alert.client_id.label("client_id"), func.count().label("open_alerts"))
        .where(Alert.status != AlertStatus.resolved)
        .group_by(Alert.client_id)
        .subquery("open_alerts")
    )


def _query(conditions: list[object]) -> Select[Any]:
    alerts = _open_alerts()
    open_alerts = func.coalesce(alerts.c.open_alerts, 0)
    missed_count = func.coalesce(ClientFigures.missed_in_a_row, 0)
    silence = func.coalesce(ClientFigures.last_answered_at, Client.consented_at, Client.created_at)
    return (
        select(
            Client.id,
            Client.pseudonym,
            Client.display_name,
            Client.status,
            Client.ending_date,
            Client.ending_type,
            Client.therapist_id,
            ClientFigures.last_answered_at,
            ClientFigures.next_due,
            open_alerts,
            missed_count,
            func.coalesce(Client.language, Clinic.default_language),
        )
        .join(Clinic, Clinic.id == Client.clinic_id)
        .outerjoin(ClientFigures, ClientFigures.client_id == Client.id)
        .outerjoin(alerts, alerts.c.client_id == Client.id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(
            (open_alerts > 0).desc(),
            Client.status.in_(ENDED).asc(),
            missed_count.desc(),
            silence.asc(),
            Client.id,
        )
    )


async def rows(
    db: AsyncSession,
    *,
    staff: Staff,
    filters: ListFilters,
    search: str | None = None,
    limit: int = PAGE,
) -> tuple[list[ClientRow], int]:
    """The first `limit` rows in "needs attention" order, and how many match in all."""
    conditions = _conditions(staff, filters, (search or "").strip()[:100] or None)
    total = await db.scalar(select(func.count(Client.id)).where(*conditions))  # type: ignore[arg-type]
    found = await db.execute(_query(conditions).limit(limit))
    return [ClientRow(*row) for row in found.tuples()], int(total or 0)
