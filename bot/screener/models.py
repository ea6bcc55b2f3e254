"""Validated screeners: each client's screener plan, each administration and every answer per item,
and the clinic's screener settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class ScreenerPlan(Base):
    """Which instruments ride on a client's check-ins; no row (existing clients) means none."""

    __tablename__ = "screener_plans"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    # Families in the order they are asked, comma-separated ("phq,gad"); "" means none.
    families: Mapped[str] = mapped_column(String(100), default="")
    # Which published AUDIT-C cut-off applies: "men" (4) or "women" (3).
    audit_c_cutoff: Mapped[str | None] = mapped_column(String(10))
    # End-of-therapy totals the therapist entered, by full form: {"phq9": 8, "gad7": 5}.
    ending_totals: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClinicScreenerSettings(Base):
    """A clinic's choices about screeners; no row means the defaults."""

    __tablename__ = "clinic_screener_settings"

    clinic_id: Mapped[int] = mapped_column(
        ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    # The screener plan new clients get at enrolment ("" means none).
    families_for_new_clients: Mapped[str] = mapped_column(String(100), default="")
    # Any PHQ-9 item 9 answer above "Not at all" takes the crisis path at once.
    item9_any_positive_urgent: Mapped[bool] = mapped_column(Boolean, default=False)


class AdministrationStatus(enum.StrEnum):
    # Attached to a check-in not yet sent (`checkin send-now --screener`).
    planned = "planned"
    # Rode on a check-in that went out; no item asked yet.
    offered = "offered"
    # An item is out and awaits its answer.
    answering = "answering"
    # Item 9 "Several days": the direct question is out; the rest waits for its answer.
    asking = "asking"
    # A crisis reading came in the middle: nothing more is sent; a tap on its item resumes it.
    held = "held"
    finished = "finished"
    # "Not now".
    skipped = "skipped"
    expired = "expired"


OPEN_STATUSES = (
    AdministrationStatus.offered,
    AdministrationStatus.answering,
    AdministrationStatus.asking,
    AdministrationStatus.held,
)


class Administration(Base):
    """One instrument given once: its form (a short form may step up), state, total and band."""

    __tablename__ = "screener_administrations"
    __table_args__ = (
        # The 14-day rule: the client's latest administration of a family.
        Index("ix_screener_administrations_client_family_sent", "client_id", "family", "sent_at"),
        # The reminder and expiry job: open administrations by when they were sent.
        Index("ix_screener_administrations_status_sent", "status", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL"), index=True
    )
    family: Mapped[str] = mapped_column(String(20))
    # The form being asked: the short form, or the full form after a step-up.
    form: Mapped[str] = mapped_column(String(20))
    status: Mapped[AdministrationStatus] = mapped_column(
        Enum(AdministrationStatus, native_enum=False, length=20)
    )
    # The key of the item whose answer is awaited, if one is out.
    asked_item: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The short form's total, kept after a step-up.
    short_total: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(40))
    positive: Mapped[bool | None] = mapped_column(Boolean)
    # What the total was compared with: the ending score ("ending") or the first screener.
    reference_total: Mapped[int | None] = mapped_column(Integer)
    reference_kind: Mapped[str | None] = mapped_column(String(20))
    # The alert a reliable deterioration raised (or merged into).
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    # The direct question asked after item 9 "Several days".
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("direct_questions.id", ondelete="SET NULL"), index=True
    )


class ScreenerAnswer(Base):
    """One answer to one item, as tapped; the alert it raised, if any."""

    __tablename__ = "screener_answers"
    __table_args__ = (UniqueConstraint("administration_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(
        ForeignKey("screener_administrations.id", ondelete="CASCADE")
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(20))
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), index=True
    )


def families_text(families: list[str] | tuple[str, ...]) -> str:
    return ",".join(families)


def families_of(text: str | None) -> list[str]:
    return [part for part in (text or "").split(",") if part]
