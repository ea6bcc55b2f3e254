"""One place that keeps a signed-in staff member inside their own clinic.

`scope_to_clinic` makes every ORM query on the session (SELECT, UPDATE, DELETE, `session.get`,
relationship loads) see only the clinic's rows: another clinic's alert, client or staff member
simply is not there, so a route asked for one answers 404 without a check of its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria

from bot.alert.handling_models import AlertHandling
from bot.alert.models import Alert, AlertEvent
from bot.audit.models import AuditEntry
from bot.checkin.models import Checkin
from bot.client.models import Client, Invite
from bot.client.record_models import ClientEvent, ClientFollower, StaffNote
from bot.clinic.models import Clinic
from bot.console.clinic_models import ClinicClosure, CrisisResource
from bot.console.models import ConsoleSession, StaffInvite
from bot.conversation.models import ClientMessage
from bot.outbox.models import OutboxMessage
from bot.plan.models import Plan, PlanVersion
from bot.return_request.models import ReturnRequest
from bot.staff.models import Staff

SCOPED = "clinic_scope"
# For a check that must see every clinic and returns none of their rows (an email is unique
# across clinics): `.execution_options(**ACROSS_CLINICS)`. Nothing else may use it.
ACROSS_CLINICS = {"across_clinics": True}


def _criteria(clinic_id: int) -> list[Any]:
    clients = select(Client.id).where(Client.clinic_id == clinic_id)
    staff = select(Staff.id).where(Staff.clinic_id == clinic_id)
    alerts = select(Alert.id).where(Alert.clinic_id == clinic_id)
    by_clinic: list[type[Any]] = [Alert, Client, Staff, CrisisResource, ClinicClosure, AuditEntry]
    by_client: list[type[Any]] = [
        Checkin,
        ClientMessage,
        ReturnRequest,
        Plan,
        Invite,
        PlanVersion,
        ClientEvent,
        StaffNote,
        ClientFollower,
    ]
    options: list[Any] = [
        with_loader_criteria(Clinic, Clinic.id == clinic_id, include_aliases=True),
        *(
            with_loader_criteria(kind, kind.clinic_id == clinic_id, include_aliases=True)
            for kind in by_clinic
        ),
        *(
            with_loader_criteria(kind, kind.client_id.in_(clients), include_aliases=True)
            for kind in by_client
        ),
        with_loader_criteria(AlertEvent, AlertEvent.alert_id.in_(alerts), include_aliases=True),
        with_loader_criteria(AlertHandling, AlertHandling.alert_id.in_(alerts)),
        with_loader_criteria(ConsoleSession, ConsoleSession.staff_id.in_(staff)),
        with_loader_criteria(StaffInvite, StaffInvite.staff_id.in_(staff)),
        with_loader_criteria(
            OutboxMessage,
            OutboxMessage.client_id.in_(clients) | OutboxMessage.alert_id.in_(alerts),
        ),
    ]
    return options


def scope_to_clinic(db: AsyncSession, clinic_id: int) -> None:
    """From now on, every ORM statement on `db` sees only `clinic_id`'s rows."""
    options = _criteria(clinic_id)
    db.info[SCOPED] = clinic_id

    def _add_criteria(state: ORMExecuteState) -> None:
        if state.is_column_load or state.is_relationship_load:
            return  # the criteria travel with the statement that loaded the parent
        if state.execution_options.get("across_clinics"):
            return
        if state.is_select or state.is_update or state.is_delete:
            state.statement = state.statement.options(*options)

    event.listen(db.sync_session, "do_orm_execute", _add_criteria)


def scoped_clinic(db: AsyncSession) -> int | None:
    """The clinic `db` is scoped to, if any."""
    value = db.info.get(SCOPED)
    return int(value) if value is not None else None
