"""What the adaptive taper changed for a client, and why: shown in `aftercare client show`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class TaperChange(Base):
    __tablename__ = "taper_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    change: Mapped[str] = mapped_column(String(40))  # stepped_back | pulled_in | resumed
    reason: Mapped[str] = mapped_column(String(200))
