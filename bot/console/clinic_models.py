"""What a clinic admin keeps in the console: crisis resources as entries, and closures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class CrisisResource(Base):
    """One crisis line or service a client is given in a crisis.

    The clinic's `crisis_resources` text, which every crisis reply carries, is rebuilt from
    these entries whenever they change.
    """

    __tablename__ = "crisis_resource_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(64))
    hours: Mapped[str] = mapped_column(String(100))
    # When someone last called or checked that the number works and the hours are right.
    verified_on: Mapped[date] = mapped_column(Date)
    # The languages the line answers in ("es,en"); empty: every language.
    languages: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClinicClosure(Base):
    """Days the clinic is closed although its office hours say open (holidays, training)."""

    __tablename__ = "clinic_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200))

    def days(self) -> list[date]:
        """Every closed day, first to last."""
        return [
            self.starts_on + timedelta(days=n)
            for n in range((self.ends_on - self.starts_on).days + 1)
        ]
