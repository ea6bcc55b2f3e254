"""Erasing a client's data at their request (/delete).

Gone: the plan and its earlier versions, every check-in and its answers, every message they
wrote, their answers in the crisis walk-through and to the direct question, every screener and
its answers, their screener plan, how their taper was adjusted, their invites, their name and
their chat.
Kept: the client row itself under its pseudonym (status stopped, name "deleted", no chat), so
the clinic's own records still make sense and the row is the minimal record that an erasure
happened and when (`updated_at`); alert rows and return requests, the clinic's clinical record,
with the evidence text and the links to the client's words removed; staff notes (the clinic's
own record, like a resolution note) and the record of who changed the aftercare and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertAction, AlertEvent
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin
from bot.client.models import Client, ClientStatus, Invite
from bot.conversation.crisis_models import CrisisStep
from bot.conversation.models import ClientMessage
from bot.conversation.question_models import DirectQuestion
from bot.errors import NotFound
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.plan.models import Plan, PlanVersion
from bot.screener.models import Administration, ScreenerAnswer, ScreenerPlan

# What staff see in place of the name; also how an erased client is recognised.
ERASED_NAME = "deleted"
ERASED_EVIDENCE = "[erased at the client's request]"
# Audit entries that repeat the evidence text; other entries are staff and system actions.
# What an alert's trail says of the client: why it was raised, and what the clinic wrote them.
EVIDENCE_ACTIONS = (AlertAction.created, AlertAction.merged, AlertAction.message_sent)


@dataclass(frozen=True)
class ErasureReceipt:
    """What was erased for one client, counted, for logs and the clinic's CLI."""

    client_id: int
    pseudonym: str
    erased_at: datetime
    plans: int
    checkins: int
    messages: int
    crisis_steps: int
    questions: int
    screeners: int
    taper_changes: int
    invites: int
    alerts_scrubbed: int


def is_erased(client: Client) -> bool:
    return client.display_name == ERASED_NAME and client.chat_id is None


async def _count(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement)
    return int(result.rowcount)  # type: ignore[attr-defined]


async def erase_client(session: AsyncSession, *, client_id: int, now: datetime) -> ErasureReceipt:
    """Erase the client's data (see the module docstring); safe to run twice."""
    # Locked, so a check-in answer or dispatch in flight cannot write after the erasure.
    client = await session.scalar(
        select(Client).where(Client.id == client_id).with_for_update(of=Client)
    )
    if client is None:
        raise NotFound(f"no client with id {client_id}: see `aftercare client list`")
    alert_ids = select(Alert.id).where(Alert.client_id == client_id).scalar_subquery()
    alerts = await _count(
        session,
        update(Alert)
        .where(Alert.client_id == client_id)
        .values(evidence=ERASED_EVIDENCE, evidence_message_id=None, evidence_checkin_id=None)
        .execution_options(synchronize_session=False),
    )
    await session.execute(
        update(AlertEvent)
        .where(AlertEvent.alert_id.in_(alert_ids), AlertEvent.action.in_(EVIDENCE_ACTIONS))
        .values(detail=ERASED_EVIDENCE)
        .execution_options(synchronize_session=False)
    )
    messages = await _count(session, _delete(ClientMessage, client_id))
    crisis_steps = await _count(session, _delete(CrisisStep, client_id))
    # The direct questions go too: an erased client's open question pages nobody.
    questions = await _count(session, _delete(DirectQuestion, client_id))
    # Screener answers first: the administrations they belong to go next, with the plan.
    await session.execute(_delete(ScreenerAnswer, client_id))
    screeners = await _count(session, _delete(Administration, client_id))
    await session.execute(_delete(ScreenerPlan, client_id))
    taper_changes = await _count(session, _delete(TaperChange, client_id))
    checkins = await _count(session, _delete(Checkin, client_id))
    plans = await _count(session, _delete(Plan, client_id))
    await session.execute(_delete(PlanVersion, client_id))
    invites = await _count(session, _delete(Invite, client_id))
    # What the bot said to them, and the sent staff messages about them, go too.
    await session.execute(_delete(OutboxMessage, client_id))
    await session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.alert_id.in_(alert_ids),
            OutboxMessage.status.in_([OutboxStatus.sent, OutboxStatus.failed]),
        )
        .execution_options(synchronize_session=False)
    )
    client.display_name = ERASED_NAME
    client.chat_id = None
    client.status = ClientStatus.stopped
    client.updated_at = now
    await session.flush()
    return ErasureReceipt(
        client_id=client.id,
        pseudonym=client.pseudonym,
        erased_at=now,
        plans=plans,
        checkins=checkins,
        messages=messages,
        crisis_steps=crisis_steps,
        questions=questions,
        screeners=screeners,
        taper_changes=taper_changes,
        invites=invites,
        alerts_scrubbed=alerts,
    )


def _delete(table: Any, client_id: int) -> Any:
    return (
        delete(table)
        .where(table.client_id == client_id)
        .execution_options(synchronize_session=False)
    )
