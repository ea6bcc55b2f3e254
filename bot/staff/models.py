"""Staff: therapists who enroll clients and clinic admins who answer escalations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clinic.models import Clinic
from bot.database.base import Base, UTCDateTime, utcnow


class StaffRole(enum.StrEnum):
    therapist = "therapist"
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

    clinic: Mapped[Clinic] = relationship(lazy="joined")
