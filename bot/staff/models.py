"""Staff: therapists who enroll clients, duty staff who work the alert queue, clinic admins."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clinic.models import Clinic
from bot.database.base import Base, UTCDateTime, utcnow


class StaffRole(enum.StrEnum):
    therapist = "therapist"
    # Works the clinic's alert and return-request queues in the console.
    duty = "duty"
    clinic_admin = "clinic_admin"


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(Enum(StaffRole, native_enum=False, length=20))
    # Set when the person links their Telegram account, so group buttons know who pressed them.
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    # A single-use code for `/staff <code>` in the clinic's group; only its SHA-256 is kept.
    link_code_hash: Mapped[str | None] = mapped_column(String(64))
    link_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff are deactivated, never deleted: the audit trail keeps naming them.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Console sign-in: the email is stored lower-cased; no password hash means no sign-in yet.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # TOTP (RFC 6238): the shared secret once confirmed (sealed: bot.console.keys), and the last
    # 30-second step accepted, so a code seen over someone's shoulder cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(120))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    clinic: Mapped[Clinic] = relationship(lazy="joined")
