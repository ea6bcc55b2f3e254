"""What the clinic keeps about a client's aftercare beside the check-ins: what happened to it
(paused, resumed, a new link, a plan edit, by whom), staff notes, and who follows the client."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime


class ClientEvent(Base):
    """One change to a client's aftercare, from any door (console, command line, Telegram)."""

    __tablename__ = "client_events"
    __table_args__ = (Index("ix_client_events_client_id_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # enrolled | invited | paused | resumed | stopped | window_changed | timezone_changed |
    # checkin_sent_now | plan_changed
    event: Mapped[str] = mapped_column(String(40))
    # Who: "client", "cli", "Dr Ana Rivera (console)".
    by: Mapped[str] = mapped_column(String(200))
    # Never the client's words: settings and what changed.
    detail: Mapped[str | None] = mapped_column(String(300))


class StaffNote(Base):
    """A staff member's note on the client's timeline ("called the client, they are OK")."""

    __tablename__ = "staff_notes"
    __table_args__ = (Index("ix_staff_notes_client_id_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)


class ClientFollower(Base):
    """A colleague who follows a client (covering a leave, co-working): they see the client too."""

    __tablename__ = "client_followers"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    since: Mapped[datetime] = mapped_column(UTCDateTime)


class ClientFigures(Base):
    """Each client's check-in figures for the client list, kept by database triggers on
    `checkins` (migration 0011): the list of 10,000 clients reads these instead of grouping
    every check-in on each request. No foreign key: a trigger may write while a client's
    rows are being deleted. Only numbers, and read only joined to a client (whom tenancy
    scopes), so it needs no clinic criteria of its own."""

    __tablename__ = "client_figures"

    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_answered_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Missed check-ins after the last answered one.
    missed_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
