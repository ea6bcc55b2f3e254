"""The relapse-prevention plan a therapist writes with the client, one per client, and its
earlier versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    # Validated by bot.plan.schema.PlanDocument before it is stored.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PlanVersion(Base):
    """Every version of a client's plan, the current one included: an edit keeps the last."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("client_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # 1 for the plan written at enrolment, then one more for each edit.
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who saved it, in words that outlive the staff row: "Dr Ana Rivera (console)", "cli".
    saved_by: Mapped[str] = mapped_column(String(200))
