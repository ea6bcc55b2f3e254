"""A check-in: one tapered message to a client, its delivery state and the answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class CheckinStatus(enum.StrEnum):
    scheduled = "scheduled"
    sending = "sending"
    sent = "sent"
    answered = "answered"
    missed = "missed"
    cancelled = "cancelled"


class CheckinKind(enum.StrEnum):
    taper = "taper"
    manual = "manual"
    pulled_in = "pulled_in"
    # Two days before a dated trigger in the plan (an anniversary, a court date).
    caring = "caring"


class CheckinStage(enum.StrEnum):
    """Where the client is inside one check-in conversation."""

    mood = "mood"
    signs = "signs"
    note = "note"
    done = "done"


class Checkin(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_status_due_at", "status", "due_at"),
        # One client's check-ins by status and time: the client list's figures (migration 0011).
        Index("ix_checkins_client_id_status_due_at", "client_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[CheckinKind] = mapped_column(
        Enum(CheckinKind, native_enum=False, length=20), default=CheckinKind.taper
    )
    # Position in the client's taper (0 = first), None for manual check-ins.
    step: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[CheckinStatus] = mapped_column(
        Enum(CheckinStatus, native_enum=False, length=20), default=CheckinStatus.scheduled
    )
    stage: Mapped[CheckinStage] = mapped_column(
        Enum(CheckinStage, native_enum=False, length=20), default=CheckinStage.mood
    )
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    mood: Mapped[int | None] = mapped_column(Integer)
    # Indexes into the plan's warning_signs list, as the client toggled them.
    warning_signs: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    # A caring check-in's occasion, in the plan's words: {"situation", "what_to_do", "on"}.
    occasion: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # Which gentle message went out when this check-in was missed (1, 2, 3...).
    missed_nudge: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
