"""A former client, and the single-use invite that links them to Telegram."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clinic.models import Clinic
from bot.database.base import Base, UTCDateTime, utcnow
from bot.staff.models import Staff


class EndingType(enum.StrEnum):
    planned = "planned"
    unplanned = "unplanned"


class ClientStatus(enum.StrEnum):
    invited = "invited"
    active = "active"
    paused = "paused"
    completed = "completed"
    stopped = "stopped"
    blocked = "blocked"


# Statuses after which nothing is sent unasked.
ENDED = (ClientStatus.stopped, ClientStatus.completed)


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # What staff messages show instead of the name: the minimum in notifications.
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    ending_date: Mapped[date] = mapped_column(Date)
    ending_type: Mapped[EndingType] = mapped_column(Enum(EndingType, native_enum=False, length=20))
    timezone: Mapped[str] = mapped_column(String(64))
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    taper_template: Mapped[str] = mapped_column(String(32))
    taper_offsets: Mapped[list[int]] = mapped_column(JSON)
    adaptive_taper: Mapped[bool] = mapped_column(Boolean, default=True)
    # Adaptive taper: stepped back after a risk signal until two calm check-ins in a row.
    stepped_back: Mapped[bool] = mapped_column(Boolean, default=False)
    calm_streak: Mapped[int] = mapped_column(Integer, default=0)
    graduated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[ClientStatus] = mapped_column(
        Enum(ClientStatus, native_enum=False, length=20), default=ClientStatus.invited, index=True
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the client reads ("en", "es"); None: the clinic's default.
    language: Mapped[str | None] = mapped_column(String(8))
    # How the clinic reaches them in an emergency (optional; shown only to the clinic's staff).
    phone: Mapped[str | None] = mapped_column(String(40))
    emergency_contact: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    clinic: Mapped[Clinic] = relationship(lazy="joined")
    therapist: Mapped[Staff] = relationship(lazy="joined")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # Only a SHA-256 of the code is kept; the code itself exists only in the printed link.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once the chat has seen the consent notice; consent itself is on the client.
    pending_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
