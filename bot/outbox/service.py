"""The outbox's life: written with the decision, claimed per lane, each outcome recorded at once.

A row is claimable when it is due and no earlier row of the same chat in the same or a more
urgent lane is still unsent: per-chat order holds, and a crisis row overtakes a check-in.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Update,
    bindparam,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from bot.database import claims
from bot.database.base import table_of
from bot.database.clock import DatabaseNow
from bot.outbox import doorbell
from bot.outbox.models import (
    Buttons,
    Lane,
    OutboxMessage,
    OutboxStatus,
    Purpose,
    SendOptions,
    buttons_column,
)

MAX_BACKOFF = timedelta(minutes=10)
# A row Telegram refuses (400) this many times is given up and recorded as failed.
MAX_REFUSALS = 3
UNSENT = (OutboxStatus.pending, OutboxStatus.sending)
# Only replies come in several parts: when a row of these lanes goes out, its chat's next row is
# claimed at once; a check-in's or a staff row's successor waits for a round.
CHAINED_LANES = (Lane.crisis, Lane.reply)


def enqueue(
    session: AsyncSession,
    *,
    lane: Lane,
    purpose: Purpose,
    chat_id: int,
    text: str,
    now: datetime,
    buttons: Buttons | None = None,
    client_id: int | None = None,
    alert_id: int | None = None,
    checkin_id: int | None = None,
    edit_message_id: int | None = None,
    options: SendOptions | None = None,
    document: bytes | None = None,
    filename: str | None = None,
) -> OutboxMessage:
    """Add one message to send once the caller's transaction commits (which rings the bell)."""
    row = OutboxMessage(
        lane=int(lane),
        purpose=purpose,
        chat_id=chat_id,
        text=text,
        buttons=buttons_column(buttons),
        client_id=client_id,
        alert_id=alert_id,
        checkin_id=checkin_id,
        edit_message_id=edit_message_id,
        options=dict(options) if options else None,
        document=document,
        filename=filename,
        parts_sent=0,
        status=OutboxStatus.pending,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    doorbell.mark(session, row)
    return row


def refusals_allowed(row: OutboxMessage) -> int:
    """How many 400s a row gets before it is given up: a button edit is not worth a second."""
    return 1 if row.options and row.options.get("edit_buttons_only") else MAX_REFUSALS


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Telegram's own wait first; otherwise 1 s doubling per attempt, capped."""
    exponential = timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds()))
    return max(timedelta(seconds=retry_after or 0), exponential)


# Staff messages about different alerts need no order among themselves: one alert's retries must
# not hold another alert's announcement in the same group.
ALERT_THREADS = (
    Purpose.alert_announce,
    Purpose.alert_update,
    Purpose.alert_remind,
    Purpose.alert_escalate,
)


def thread(row: OutboxMessage) -> tuple[int, int | None]:
    """What a row keeps its order within: its chat, or in a staff chat its alert."""
    return row.chat_id, row.alert_id if row.purpose in ALERT_THREADS else None


def _blocked_by_earlier() -> ColumnElement[bool]:
    """An earlier row of the same chat, in the same or a more urgent lane, is still unsent (staff
    rows wait only for their own alert's)."""
    earlier = aliased(OutboxMessage, name="earlier")
    return exists().where(
        earlier.chat_id == OutboxMessage.chat_id,
        earlier.id < OutboxMessage.id,
        earlier.lane <= OutboxMessage.lane,
        earlier.status.in_(UNSENT),
        or_(
            OutboxMessage.purpose.not_in(ALERT_THREADS),
            earlier.alert_id == OutboxMessage.alert_id,
        ),
    )


@functools.cache
def _claim_for(by_chat: bool, by_lanes: bool) -> claims.Claim:
    """The claim's statements for one combination of filters, built on first use."""
    now = bindparam("now", type_=OutboxMessage.next_attempt_at.type)
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.pending,
            OutboxMessage.next_attempt_at <= now,
            ~_blocked_by_earlier(),
        )
        .order_by(OutboxMessage.lane, OutboxMessage.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    if by_chat:
        due = due.where(OutboxMessage.chat_id == bindparam("claim_chat"))
    if by_lanes:
        due = due.where(OutboxMessage.lane.in_(bindparam("claim_lanes", expanding=True)))
    return claims.Claim(
        OutboxMessage,
        due,
        still=OutboxMessage.status == OutboxStatus.pending,
        values={
            "status": OutboxStatus.sending,
            "claimed_by": bindparam("worker", type_=OutboxMessage.claimed_by.type),
            "claimed_at": DatabaseNow(),
            "attempts": OutboxMessage.attempts + 1,
        },
        returning=OutboxMessage,
    )


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    worker: str,
    limit: int,
    chat_id: int | None = None,
    lanes: Sequence[Lane] | None = None,
) -> list[OutboxMessage]:
    """Mark up to `limit` sendable rows as `sending` for `worker`, most urgent lane first.

    With `chat_id`, only that chat's rows: the next of a chat whose last row has just gone out;
    with `lanes`, only rows of those lanes.
    """
    params: dict[str, object] = {"now": now, "worker": worker, "limit": limit}
    if chat_id is not None:
        params["claim_chat"] = chat_id
    if lanes is not None:
        params["claim_lanes"] = [int(lane) for lane in lanes]
    prepared = _claim_for(chat_id is not None, lanes is not None)
    rows: list[OutboxMessage] = await prepared.run(session, params)
    return sorted(rows, key=_lane_then_id)


@functools.cache
def _take_written_update() -> Update:
    """The claim of a transaction's own rows: uncommitted, so no other worker can see or lock
    them, and one UPDATE suffices on both databases."""
    table = table_of(OutboxMessage)
    return (
        update(table)
        .where(table.c.id.in_(bindparam("taken_ids", expanding=True)), ~_blocked_by_earlier())
        .values(
            status=OutboxStatus.sending,
            claimed_by=bindparam("worker", type_=table.c.claimed_by.type),
            claimed_at=DatabaseNow(),
            attempts=table.c.attempts + 1,
        )
        .returning(table.c.id)
    )


def _lane_then_id(row: OutboxMessage) -> tuple[int, int]:
    return (row.lane, row.id)


async def take_written(session: AsyncSession, *, worker: str, now: datetime) -> list[OutboxMessage]:
    """Claim for `worker` the rows this transaction wrote that may go at once, so a reply leaves
    the moment the transaction commits, with no claim round of its own.

    A row behind an unsent earlier row of its chat stays pending. When each such row's chat has a
    row taken here in a chained lane, that row's send claims it, so the sender is not woken.
    """
    written = doorbell.written(session)
    if not written:
        return []
    await session.flush()
    params = {"taken_ids": [row.id for row in written], "worker": worker}
    taken_ids = set(await session.scalars(_take_written_update(), params))
    taken = sorted((row for row in written if row.id in taken_ids), key=_lane_then_id)
    for row in taken:  # as the UPDATE left them, without another write at commit
        for name, value in (
            ("status", OutboxStatus.sending),
            ("claimed_by", worker),
            ("claimed_at", now),
            ("attempts", row.attempts + 1),
        ):
            set_committed_value(row, name, value)
    chaining = {row.chat_id for row in taken if row.lane in CHAINED_LANES}
    if all(row.id in taken_ids or row.chat_id in chaining for row in written):
        doorbell.unmark(session)
    return taken


async def release(session: AsyncSession, *, rows: Sequence[OutboxMessage], worker: str) -> None:
    """Give back claimed rows that were never tried (they wait behind an earlier row)."""
    if not rows:
        return
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_([row.id for row in rows]),
            OutboxMessage.status == OutboxStatus.sending,
            OutboxMessage.claimed_by == worker,
        )
        .values(status=OutboxStatus.pending, claimed_by=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending row becomes due (so the sender can sleep until then)."""
    return await session.scalar(
        select(OutboxMessage.next_attempt_at)
        .where(OutboxMessage.status == OutboxStatus.pending)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(1)
    )


async def unsent_for_chat(session: AsyncSession, *, chat_id: int) -> int:
    """How many rows of this chat still wait (tests and the console)."""
    rows = await session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(UNSENT)
        )
    )
    return len(list(rows))


async def last_reply(session: AsyncSession, *, client_id: int) -> str | None:
    """The text of the last reply written for this client, so small talk need not repeat it."""
    return await session.scalar(_last_reply_query(), {"client": client_id})


@functools.cache
def _last_reply_query() -> Select[tuple[str]]:
    return (
        select(OutboxMessage.text)
        .where(
            OutboxMessage.client_id == bindparam("client"), OutboxMessage.purpose == Purpose.reply
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )


async def repoint(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> int:
    """Rows still waiting for a chat that has a new id now go to the new one."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.status.in_(UNSENT))
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def edit_buttons(
    session: AsyncSession,
    *,
    chat_id: int,
    message_id: int,
    now: datetime,
    buttons: Buttons | None = None,
    client_id: int | None = None,
) -> OutboxMessage:
    """Replace (None: remove) the buttons under a message already sent, e.g. after a tap."""
    return enqueue(
        session,
        lane=Lane.buttons,
        purpose=Purpose.buttons if client_id is not None else Purpose.stranger,
        chat_id=chat_id,
        text="",
        buttons=buttons,
        client_id=client_id,
        edit_message_id=message_id,
        options={"edit_buttons_only": True},
        now=now,
    )
