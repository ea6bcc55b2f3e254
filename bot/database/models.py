"""Imports every table so metadata is complete for Alembic and for tests."""

from bot.alert.models import Alert, AlertEvent
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin
from bot.client.models import Client, Invite
from bot.clinic.models import Clinic
from bot.conversation.crisis_models import CrisisStep
from bot.conversation.models import ClientMessage
from bot.database.base import Base
from bot.outbox.models import OutboxMessage
from bot.plan.models import Plan
from bot.return_request.models import ReturnRequest
from bot.staff.models import Staff

__all__ = [
    "Alert",
    "AlertEvent",
    "Base",
    "Checkin",
    "Client",
    "ClientMessage",
    "Clinic",
    "CrisisStep",
    "Invite",
    "OutboxMessage",
    "Plan",
    "ReturnRequest",
    "Staff",
    "TaperChange",
]
