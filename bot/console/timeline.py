"""A client's timeline: everything that happened in their aftercare, newest first.

Check-ins with their answers, what they wrote (free text past the retention period shows as
removed), alerts and how they were resolved, adaptive-taper changes (old → new date), return
requests, pause/stop/consent and other changes, crisis steps and direct questions, staff notes.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.handling_models import AlertHandling, HandlingStep
from bot.alert.models import Alert
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client import history
from bot.client.models import Client
from bot.client.views import checkin_line
from bot.conversation.crisis_models import CrisisStep
from bot.conversation.models import ClientMessage
from bot.conversation.question_models import DirectQuestion
from bot.plan import service as plans
from bot.return_request.models import ReturnRequest


class EntryKind(enum.StrEnum):
    checkin = "checkin"
    message = "message"
    alert = "alert"
    alert_resolved = "alert_resolved"
    taper_change = "taper_change"
    return_request = "return_request"
    event = "event"
    joined = "joined"
    crisis_step = "crisis_step"
    question = "question"
    note = "note"


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. `what` is a code the page words (a status, a type, an event);
    `detail` is plain text (a reason, a note, the client's words while kept)."""

    at: datetime
    kind: EntryKind
    what: str
    detail: str | None = None
    who: str | None = None
    mood: int | None = None
    signs: list[str] = field(default_factory=list)
    # Free text the client wrote that was blanked after the retention period.
    removed: bool = False
    severity: str | None = None
    ref: int | None = None
    # An adaptive-taper change: the next check-in's date before and after.
    old_due: datetime | None = None
    new_due: datetime | None = None


@dataclass(frozen=True)
class MoodPoint:
    at: datetime
    mood: int
    signs: list[str]


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    mood: list[MoodPoint]


def _checkins(rows: Sequence[Checkin], signs: list[str], removed: set[int]) -> list[Entry]:
    entries = []
    for row in rows:
        if row.status is CheckinStatus.scheduled:
            continue
        line = checkin_line(row, signs, removed)
        entries.append(
            Entry(
                at=line.answered_at or row.sent_at or line.due_at,
                kind=EntryKind.checkin,
                what=line.status.value,
                detail=line.note,
                who=line.occasion or (line.kind.value if line.kind != CheckinKind.taper else None),
                mood=line.mood,
                signs=line.signs,
                removed=line.note_removed,
                ref=row.id,
            )
        )
    return entries


async def _messages(db: AsyncSession, client: Client) -> tuple[list[Entry], set[int]]:
    """What the client wrote, and the check-ins whose note was blanked (a note is a message
    tied to its check-in: it shows with the check-in, not on its own)."""
    rows = await db.scalars(
        select(ClientMessage)
        .where(ClientMessage.client_id == client.id)
        .order_by(ClientMessage.received_at)
    )
    entries, removed = [], set()
    for m in rows:
        if m.checkin_id is not None:
            if m.text is None:
                removed.add(m.checkin_id)
            continue
        entries.append(
            Entry(
                at=m.received_at,
                kind=EntryKind.message,
                what=m.risk,
                detail=m.text,
                who=m.intent,
                removed=m.text is None,
            )
        )
    return entries, removed


async def _alerts(db: AsyncSession, client: Client) -> list[Entry]:
    alerts = list(await db.scalars(select(Alert).where(Alert.client_id == client.id)))
    ids = [a.id for a in alerts if a.resolved_at is not None]
    reasons: dict[int, str | None] = {}
    if ids:
        handled = await db.scalars(
            select(AlertHandling).where(
                AlertHandling.alert_id.in_(ids), AlertHandling.step == HandlingStep.resolved
            )
        )
        reasons = {h.alert_id: h.reason for h in handled}
    entries = []
    for a in alerts:
        entries.append(
            Entry(
                at=a.first_seen_at,
                kind=EntryKind.alert,
                what=a.type.value,
                detail=a.evidence,
                severity=a.severity.value,
                ref=a.id,
            )
        )
        if a.resolved_at is not None:
            entries.append(
                Entry(
                    at=a.resolved_at,
                    kind=EntryKind.alert_resolved,
                    what=reasons.get(a.id) or "resolved",
                    detail=a.resolution_note,
                    who=a.resolved_by,
                    severity=a.severity.value,
                    ref=a.id,
                )
            )
    return entries


async def _taper_changes(db: AsyncSession, client: Client, rows: Sequence[Checkin]) -> list[Entry]:
    changes = await db.scalars(
        select(TaperChange).where(TaperChange.client_id == client.id).order_by(TaperChange.at)
    )
    entries = []
    for change in changes:
        old = new = None
        if change.change == "pulled_in":
            # The check-in brought forward, and the taper's next one it came before.
            new = _first_after(rows, CheckinKind.pulled_in, change.at)
            old = _first_after(rows, CheckinKind.taper, change.at)
        entries.append(
            Entry(
                at=change.at,
                kind=EntryKind.taper_change,
                what=change.change,
                detail=change.reason,
                old_due=old,
                new_due=new,
            )
        )
    return entries


def _first_after(rows: Sequence[Checkin], kind: CheckinKind, moment: datetime) -> datetime | None:
    return next((c.due_at for c in rows if c.kind is kind and c.due_at > moment), None)


async def _others(db: AsyncSession, client: Client) -> list[Entry]:
    entries = [
        Entry(
            at=r.requested_at,
            kind=EntryKind.return_request,
            what=r.status.value,
            detail=r.staff_note,
            who=r.via,
            ref=r.id,
        )
        for r in await db.scalars(select(ReturnRequest).where(ReturnRequest.client_id == client.id))
    ]
    entries += [
        Entry(at=e.at, kind=EntryKind.event, what=e.event, detail=e.detail, who=e.by)
        for e in await history.events(db, client_id=client.id)
    ]
    entries += [
        Entry(at=s.shown_at, kind=EntryKind.crisis_step, what=s.step, detail=s.response)
        for s in await db.scalars(select(CrisisStep).where(CrisisStep.client_id == client.id))
    ]
    entries += [
        Entry(at=q.asked_at, kind=EntryKind.question, what=q.answer.value if q.answer else "open")
        for q in await db.scalars(
            select(DirectQuestion).where(DirectQuestion.client_id == client.id)
        )
    ]
    entries += [
        Entry(at=n.at, kind=EntryKind.note, what="note", detail=n.text, who=n.author, ref=n.id)
        for n in await history.notes(db, client_id=client.id)
    ]
    if client.consented_at is not None:
        entries.append(Entry(at=client.consented_at, kind=EntryKind.joined, what="joined"))
    return entries


async def build(db: AsyncSession, client: Client) -> Timeline:
    plan = await plans.get_document(db, client_id=client.id)
    signs = plan.warning_signs if plan else []
    rows = list(
        await db.scalars(
            select(Checkin).where(Checkin.client_id == client.id).order_by(Checkin.due_at)
        )
    )
    messages, removed = await _messages(db, client)
    checkins = _checkins(rows, signs, removed)
    entries = (
        checkins
        + messages
        + await _alerts(db, client)
        + await _taper_changes(db, client, rows)
        + await _others(db, client)
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    mood = [MoodPoint(e.at, e.mood, e.signs) for e in checkins if e.mood is not None]
    return Timeline(entries, mood)
