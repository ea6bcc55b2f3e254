"""A client at a glance: what `aftercare client show`, the console's client page and its
timeline all render. Reading only; times stay UTC (each adapter shows them in local time).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertStatus
from bot.checkin import adaptive, schedule
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus, Invite
from bot.conversation.models import ClientMessage
from bot.plan import service as plans
from bot.plan.schema import PlanDocument
from bot.return_request import service as returns
from bot.return_request.models import ReturnRequest


@dataclass(frozen=True)
class CheckinLine:
    """One check-in with its answers; `signs` are the plan's words for the signs tapped."""

    id: int
    due_at: datetime
    kind: CheckinKind
    status: CheckinStatus
    mood: int | None
    signs: list[str]
    note: str | None
    # The client wrote a note that has since been blanked (past the retention period).
    note_removed: bool
    answered_at: datetime | None
    occasion: str | None


@dataclass(frozen=True)
class InviteState:
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class ClientSummary:
    id: int
    pseudonym: str
    name: str
    status: ClientStatus
    # The language the bot writes to them in (theirs, else the clinic's default).
    language: str
    clinic: str
    crisis_resources: str
    therapist_id: int
    therapist: str
    ending_date: date
    ending_type: str
    timezone: str
    window_start: time
    window_end: time
    template: str
    offsets: list[int]
    adaptive: bool
    stepped_back: bool
    linked_at: datetime | None
    plan: PlanDocument | None
    past: list[CheckinLine]
    upcoming: list[CheckinLine]
    taper_changes: list[TaperChange]
    open_return: ReturnRequest | None
    open_alerts: int
    last_answered_at: datetime | None
    missed_in_a_row: int
    invite: InviteState | None

    @property
    def window(self) -> str:
        return f"{self.window_start:%H:%M}-{self.window_end:%H:%M}"

    @property
    def next_due(self) -> datetime | None:
        return self.upcoming[0].due_at if self.upcoming else None

    @property
    def joined(self) -> bool:
        return self.linked_at is not None


def checkin_line(
    checkin: Checkin, signs: list[str], removed_notes: Collection[int] = ()
) -> CheckinLine:
    """`removed_notes`: check-ins whose note was blanked after the retention period."""
    occasion = checkin.occasion or {}
    return CheckinLine(
        id=checkin.id,
        due_at=checkin.due_at,
        kind=checkin.kind,
        status=checkin.status,
        mood=checkin.mood,
        signs=[signs[i] for i in checkin.warning_signs or () if 0 <= i < len(signs)],
        note=checkin.note,
        note_removed=checkin.note is None and checkin.id in removed_notes,
        answered_at=checkin.answered_at,
        occasion=occasion.get("situation"),
    )


async def removed_notes(session: AsyncSession, *, client_id: int) -> set[int]:
    """Check-ins whose note was blanked: the note's message row stays, without its text."""
    rows = await session.scalars(
        select(ClientMessage.checkin_id).where(
            ClientMessage.client_id == client_id,
            ClientMessage.checkin_id.is_not(None),
            ClientMessage.text.is_(None),
        )
    )
    return {i for i in rows if i is not None}


def missed_streak(statuses: list[CheckinStatus]) -> int:
    """Missed check-ins in a row, newest first, until one was answered."""
    count = 0
    for status in statuses:
        if status is CheckinStatus.answered:
            break
        if status is CheckinStatus.missed:
            count += 1
    return count


async def summary(
    session: AsyncSession, client: Client, *, history_limit: int = 50
) -> ClientSummary:
    """Everything the client's page and `client show` need, in a handful of queries."""
    plan = await plans.get_document(session, client_id=client.id)
    signs = plan.warning_signs if plan else []
    past = await schedule.history(session, client_id=client.id, limit=history_limit)
    removed = await removed_notes(session, client_id=client.id)
    upcoming = await schedule.upcoming(session, client_id=client.id)
    last_answered = await session.scalar(
        select(func.max(Checkin.answered_at)).where(
            Checkin.client_id == client.id, Checkin.status == CheckinStatus.answered
        )
    )
    open_alerts = await session.scalar(
        select(func.count())
        .select_from(Alert)
        .where(Alert.client_id == client.id, Alert.status != AlertStatus.resolved)
    )
    invite = await session.scalar(
        select(Invite).where(Invite.client_id == client.id).order_by(Invite.id.desc()).limit(1)
    )
    return ClientSummary(
        id=client.id,
        pseudonym=client.pseudonym,
        name=client.display_name,
        status=client.status,
        language=client.language or client.clinic.default_language,
        clinic=client.clinic.name,
        crisis_resources=client.clinic.resources_in(client.language),
        therapist_id=client.therapist_id,
        therapist=client.therapist.name,
        ending_date=client.ending_date,
        ending_type=client.ending_type.value,
        timezone=client.timezone,
        window_start=client.window_start,
        window_end=client.window_end,
        template=client.taper_template,
        offsets=list(client.taper_offsets),
        adaptive=client.adaptive_taper,
        stepped_back=client.stepped_back,
        linked_at=client.consented_at,
        plan=plan,
        past=[checkin_line(c, signs, removed) for c in past],
        upcoming=[checkin_line(c, signs) for c in upcoming],
        taper_changes=await adaptive.changes(session, client_id=client.id),
        open_return=await returns.open_for(session, client_id=client.id),
        open_alerts=int(open_alerts or 0),
        last_answered_at=last_answered,
        missed_in_a_row=missed_streak([c.status for c in past]),
        invite=None
        if invite is None
        else InviteState(invite.created_at, invite.expires_at, invite.used_at),
    )
