"""A client's request to come back for sessions, tracked by the clinic until booked or declined."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class ReturnStatus(enum.StrEnum):
    new = "new"
    contacted = "contacted"
    booked = "booked"
    declined = "declined"


OPEN_STATUSES = (ReturnStatus.new, ReturnStatus.contacted)


class ReturnRequest(Base):
    __tablename__ = "return_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReturnStatus] = mapped_column(
        Enum(ReturnStatus, native_enum=False, length=20), default=ReturnStatus.new
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    via: Mapped[str] = mapped_column(String(20))  # "command" or "message"
    staff_note: Mapped[str | None] = mapped_column(String(500))
