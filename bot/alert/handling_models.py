"""What staff did with an alert beyond acknowledge and resolve, whichever door they used.

The alert's own trail (`AlertEvent`) has a fixed set of actions shared with the staff group;
handing over, reopening and the structured reason for a resolution are kept here, one row
each, and the alert page shows both trails as one.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime


class HandlingStep(enum.StrEnum):
    handed_over = "handed_over"
    reopened = "reopened"
    resolved = "resolved"
    # Back to the queue because whoever held it was deactivated.
    returned = "returned"


class ResolutionReason(enum.StrEnum):
    """Why an alert could be closed: the clinic's own categories, for review and counting."""

    contacted_client = "contacted_client"
    could_not_reach = "could_not_reach"
    emergency_services = "emergency_services"
    booked = "booked"
    not_a_concern = "not_a_concern"
    duplicate = "duplicate"


class AlertHandling(Base):
    __tablename__ = "alert_handling"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(200))
    step: Mapped[str] = mapped_column(String(20))
    # For a resolution: one of ResolutionReason.
    reason: Mapped[str | None] = mapped_column(String(30))
    # For a hand-over: who has it now.
    to_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    to_label: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
