"""An alert to the clinic about one client, and the audit trail of everything done with it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class AlertType(enum.StrEnum):
    crisis = "crisis"
    warning_signs = "warning_signs"
    lapse = "lapse"
    return_request = "return_request"
    missed_checkins = "missed_checkins"
    blocked = "blocked"
    needs_review = "needs_review"
    # The client chose /stop: the clinic hears of it, as the confirmation promised.
    stopped = "stopped"


class Severity(enum.StrEnum):
    urgent = "urgent"
    elevated = "elevated"
    routine = "routine"

    @property
    def rank(self) -> int:
        """Higher is more severe: routine 0, elevated 1, urgent 2."""
        return {"routine": 0, "elevated": 1, "urgent": 2}[self.value]


class AlertStatus(enum.StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


class AlertAction(enum.StrEnum):
    created = "created"
    merged = "merged"
    notified = "notified"
    reminded = "reminded"
    escalated = "escalated"
    acknowledged = "acknowledged"
    resolved = "resolved"
    notify_failed = "notify_failed"
    resources_sent = "resources_sent"
    # A person at the clinic wrote to the client from the alert; the client's answer came back.
    message_sent = "message_sent"
    client_replied = "client_replied"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=20)


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # The overdue query: unresolved alerts past their deadline.
        Index("ix_alerts_status_deadline_at", "status", "deadline_at"),
        # The resolved list: a clinic's alerts, newest resolution first.
        Index("ix_alerts_clinic_id_resolved_at", "clinic_id", "resolved_at"),
        # The merge lookup: an unresolved alert of the same type for the same client.
        Index("ix_alerts_client_type_status", "client_id", "type", "status"),
        # At most one unresolved alert per client and type: a repeat merges into it
        # (migration 0005; raise_alert's ON CONFLICT names this predicate word for word).
        Index(
            "uq_alerts_client_type_unresolved",
            "client_id",
            "type",
            unique=True,
            postgresql_where=text("status <> 'resolved'"),
            sqlite_where=text("status <> 'resolved'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # The client's therapist at the time the alert was raised.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    type: Mapped[AlertType] = mapped_column(_enum(AlertType))
    severity: Mapped[Severity] = mapped_column(_enum(Severity))
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus), default=AlertStatus.open)
    # What triggered it, never the client's own words: those stay in the linked rows below.
    evidence: Mapped[str] = mapped_column(String(300))
    evidence_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_messages.id", ondelete="SET NULL")
    )
    evidence_checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL")
    )
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The message in the staff group that buttons live on and edits go to.
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertEvent(Base):
    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # "system", "cli", "Dr Ana Rivera (telegram)": who did it, in words that outlive the staff row.
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[AlertAction] = mapped_column(_enum(AlertAction))
    detail: Mapped[str | None] = mapped_column(String(500))
