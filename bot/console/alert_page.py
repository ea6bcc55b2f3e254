"""Everything the alert page shows: why it was raised, the client's recent check-ins, whether
crisis resources went out, and the full trail (the alert's events and console handling as one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import actions
from bot.alert import reasons as alert_reasons
from bot.alert import service as alerts
from bot.alert.handling_models import AlertHandling, HandlingStep
from bot.alert.models import Alert, AlertAction, AlertType
from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import ENDED, Client
from bot.console import alert_queue
from bot.conversation.models import ClientMessage
from bot.nlu.understanding import Risk
from bot.outbox.models import OutboxMessage, OutboxStatus, Purpose
from bot.plan import diff as plan_diff
from bot.plan import service as plans
from bot.plan.models import Plan
from bot.staff.models import Staff

RECENT_CHECKINS = 8
REPLY = re.compile(r"client message ([0-9]{1,18})")
REPLY_GONE = "(their words are no longer kept)"
SHOWN_CHECKINS = (CheckinStatus.sent, CheckinStatus.answered, CheckinStatus.missed)


@dataclass(frozen=True)
class Reading:
    """What the bot understood from the message behind the alert."""

    received_at: datetime
    intent: str
    confidence: float
    risk: str
    source: str
    net_matches: str | None
    words: str | None
    # What the crisis net matched, in the client's words (while they are kept).
    net_words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckinLine:
    due_at: datetime
    status: str
    mood: int | None
    signs: list[str]
    note: str | None


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    who: str
    action: str
    detail: str | None
    # For a resolution: why it could close (a ResolutionReason).
    reason: str | None = None


@dataclass(frozen=True)
class ResourcesLine:
    at: datetime | None
    delivered: bool
    state: str


@dataclass
class AlertPage:
    alert: Alert
    client: Client
    reading: Reading | None
    needs_review: bool
    checkins: list[CheckinLine]
    resources: list[ResourcesLine]
    trail: list[TrailLine]
    colleagues: list[Staff]
    reason: str | None
    handed_to_you: bool = False
    # Whether the clinic can write to the client on Telegram from here.
    writable: bool = False
    # The client's safety plan as the client sees it with /plan: (section title, lines).
    plan: list[tuple[str, list[str]]] = field(default_factory=list)


async def _reading(db: AsyncSession, alert: Alert) -> Reading | None:
    if alert.evidence_message_id is None:
        return None
    message = await db.get(ClientMessage, alert.evidence_message_id)
    if message is None:
        return None
    return Reading(
        received_at=message.received_at,
        intent=message.intent,
        confidence=message.confidence,
        risk=message.risk,
        source=message.source,
        net_matches=message.net_matches,
        words=message.text,
        net_words=alert_reasons.matched_words(message.text, (message.net_matches or "").split(","))
        if message.text
        else [],
    )


async def _checkins(db: AsyncSession, client_id: int) -> list[CheckinLine]:
    plan = await db.scalar(select(Plan).where(Plan.client_id == client_id))
    signs: list[str] = list((plan.content if plan else {}).get("warning_signs", []))
    rows = await db.scalars(
        select(Checkin)
        .where(Checkin.client_id == client_id, Checkin.status.in_(SHOWN_CHECKINS))
        .order_by(Checkin.due_at.desc())
        .limit(RECENT_CHECKINS)
    )
    return [
        CheckinLine(
            due_at=c.sent_at or c.due_at,
            status=c.status.value,
            mood=c.mood,
            signs=[signs[i] for i in c.warning_signs or [] if 0 <= i < len(signs)],
            note=c.note,
        )
        for c in rows
    ]


async def _resources(db: AsyncSession, alert: Alert) -> list[ResourcesLine]:
    """Delivered (from the alert's trail) and still queued or refused (from the outbox)."""
    lines = [
        ResourcesLine(at=e.at, delivered=True, state="delivered")
        for e in await alerts.events(db, alert_id=alert.id)
        if e.action is AlertAction.resources_sent
    ]
    waiting = await db.scalars(
        select(OutboxMessage).where(
            OutboxMessage.alert_id == alert.id,
            OutboxMessage.purpose == Purpose.crisis_resources,
            OutboxMessage.status != OutboxStatus.sent,
        )
    )
    lines += [
        ResourcesLine(at=m.created_at, delivered=False, state=m.status.value) for m in waiting
    ]
    return lines


async def _reply_words(db: AsyncSession, detail: str | None) -> str:
    """The client's words in a reply on the trail, while they are kept."""
    found = REPLY.fullmatch(detail or "")
    message = await db.get(ClientMessage, int(found.group(1))) if found else None
    return message.text if message is not None and message.text else REPLY_GONE


async def trail(db: AsyncSession, alert: Alert) -> tuple[list[TrailLine], str | None]:
    """The alert's events and its console handling, oldest first; and the latest reason."""
    handling = list(
        await db.scalars(
            select(AlertHandling)
            .where(AlertHandling.alert_id == alert.id)
            .order_by(AlertHandling.at, AlertHandling.id)
        )
    )
    reasons = {h.at: h.reason for h in handling if h.step == HandlingStep.resolved.value}
    lines = []
    for event in await alerts.events(db, alert_id=alert.id):
        detail = event.detail
        if event.action is AlertAction.client_replied:
            detail = await _reply_words(db, event.detail)
        reason = reasons.get(event.at) if event.action is AlertAction.resolved else None
        lines.append(TrailLine(event.at, event.actor_label, event.action.value, detail, reason))
    for step in handling:
        if step.step == HandlingStep.handed_over.value:
            detail = f"to {step.to_label}" + (f": {step.note}" if step.note else "")
            lines.append(TrailLine(step.at, step.actor_label, step.step, detail))
        elif step.step in (HandlingStep.reopened.value, HandlingStep.returned.value):
            lines.append(TrailLine(step.at, step.actor_label, step.step, step.note))
    lines.sort(key=lambda line: line.at)
    latest = [h.reason for h in handling if h.step == HandlingStep.resolved.value]
    return lines, latest[-1] if latest else None


async def build(db: AsyncSession, *, alert: Alert, viewer_id: int) -> AlertPage:
    client = await db.get(Client, alert.client_id)
    assert client is not None
    reading = await _reading(db, alert)
    lines, reason = await trail(db, alert)
    colleagues = await actions.hand_over_candidates(db, alert=alert)
    document = await plans.get_document(db, client_id=client.id)
    return AlertPage(
        alert=alert,
        client=client,
        reading=reading,
        needs_review=alert.type is AlertType.needs_review
        or (reading is not None and reading.risk == Risk.needs_review.value),
        checkins=await _checkins(db, client.id),
        resources=await _resources(db, alert),
        trail=lines,
        colleagues=colleagues,
        reason=reason,
        plan=plan_diff.section_lines(document) if document is not None else [],
        writable=client.chat_id is not None and client.status not in ENDED,
        handed_to_you=bool(
            await db.scalar(select(alert_queue.handed_to(viewer_id)).where(Alert.id == alert.id))
        ),
    )
