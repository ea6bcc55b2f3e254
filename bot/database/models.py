"""Imports every table so metadata is complete for Alembic and for tests."""

from bot.alert.handling_models import AlertHandling
from bot.alert.models import Alert, AlertEvent
from bot.audit.models import AuditEntry
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin
from bot.client.models import Client, Invite
from bot.client.record_models import ClientEvent, ClientFigures, ClientFollower, StaffNote
from bot.clinic.models import Clinic
from bot.console.clinic_models import ClinicClosure, CrisisResource
from bot.console.models import ConsoleSession, SignInAttempt, StaffInvite
from bot.conversation.crisis_models import CrisisStep
from bot.conversation.models import ClientMessage
from bot.conversation.question_models import DirectQuestion
from bot.database.base import Base
from bot.outbox.models import OutboxMessage
from bot.plan.models import Plan, PlanVersion
from bot.return_request.models import ReturnRequest
from bot.screener.models import (
    Administration,
    ClinicScreenerSettings,
    ScreenerAnswer,
    ScreenerPlan,
)
from bot.staff.models import Staff

__all__ = [
    "Administration",
    "Alert",
    "AlertEvent",
    "AlertHandling",
    "AuditEntry",
    "Base",
    "Checkin",
    "Client",
    "ClientEvent",
    "ClientFigures",
    "ClientFollower",
    "ClientMessage",
    "Clinic",
    "ClinicClosure",
    "ClinicScreenerSettings",
    "ConsoleSession",
    "CrisisResource",
    "CrisisStep",
    "DirectQuestion",
    "Invite",
    "OutboxMessage",
    "Plan",
    "PlanVersion",
    "ReturnRequest",
    "ScreenerAnswer",
    "ScreenerPlan",
    "SignInAttempt",
    "Staff",
    "StaffInvite",
    "StaffNote",
    "TaperChange",
]
