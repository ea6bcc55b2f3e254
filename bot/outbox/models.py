"""One message to send (or edit) on Telegram, its lane, and what happened to it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class Lane(enum.IntEnum):
    """Lower goes first: a crisis reply never waits behind a check-in batch."""

    crisis = 0
    reply = 1
    staff = 2
    checkin = 3
    nudge = 4
    # Buttons under a message already sent, changed after a tap: never hold a reply back.
    buttons = 5


class Outcome(enum.StrEnum):
    """What Telegram made of one attempt, in the domain's terms."""

    sent = "sent"
    blocked = "blocked"  # the person blocked the bot: stop writing to them
    retry = "retry"  # rate limit, timeout, server error: try again later
    failed = "failed"  # the message itself was refused: retrying would not help
    # The group became a supergroup with a new id: the chat is re-pointed and the row sent there.
    migrated = "migrated"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None
    # The chat's new id when it migrated.
    migrate_to: int | None = None
    # Parts of a long text that went out before a failure (a retry sends the rest).
    parts_sent: int | None = None


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    # Telegram refused it for good (400 repeated, 403): recorded, never retried.
    failed = "failed"


class Purpose(enum.StrEnum):
    """Why the message exists: what its outcome updates once Telegram has answered."""

    crisis_resources = "crisis_resources"
    reply = "reply"
    checkin = "checkin"
    nudge = "nudge"
    graduation = "graduation"
    alert_announce = "alert_announce"
    alert_update = "alert_update"
    alert_remind = "alert_remind"
    alert_escalate = "alert_escalate"
    # A reply in the staff group (links, notes, prompts) or a notice to a staff member's chat.
    staff_reply = "staff_reply"
    staff_notice = "staff_notice"
    # A file the client asked for (/export); its bytes are dropped once it has gone out.
    export = "export"
    # Buttons under a message already sent, replaced or removed after a tap.
    buttons = "buttons"
    # To a chat no clinic knows (or before consent): the row is deleted once sent.
    stranger = "stranger"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # The claim: pending rows in lane order.
        Index("ix_outbox_status_lane", "status", "lane", "id"),
        # Per-chat order: is an earlier row of this chat still unsent?
        Index("ix_outbox_chat_id_status", "chat_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lane: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[Purpose] = mapped_column(Enum(Purpose, native_enum=False, length=30))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    # Rows of (label, callback data); None: no buttons. Buttons travel as data, not Telegram types.
    buttons: Mapped[list[list[list[str]]] | None] = mapped_column(JSON)
    # Set for an edit of a message already sent (a staff-group alert changing state).
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # How it is sent beyond text and inline buttons (see `SendOptions`).
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A file to send (the text is its caption); dropped once sent, it is health data.
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    filename: Mapped[str | None] = mapped_column(String(200))
    # Of a text longer than one Telegram message: how many parts went out (a retry sends the rest).
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=20), default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def keyboard(self) -> list[list[tuple[str, str]]] | None:
        return [[(label, data) for label, data in row] for row in self.buttons or []] or None


Buttons = list[list[tuple[str, str]]]


class SendOptions(TypedDict, total=False):
    """What a row may ask of the sender besides its text and inline buttons."""

    # Sent as a reply to this message of the same chat (still sent if that one is gone).
    reply_to: int
    # The chat's input field opens as a reply to this message (a staff note prompt).
    force_reply: str
    parse_mode: str
    # With `edit_message_id`: only the buttons change (None buttons: removed).
    edit_buttons_only: bool
    # A keyboard of plain buttons under the chat's input field that stays (labels, by rows).
    keyboard: list[list[str]]


def buttons_column(buttons: Buttons | None) -> Any:
    """Buttons as stored: lists, so JSON round-trips them unchanged."""
    return [[[label, data] for label, data in row] for row in buttons] if buttons else None
