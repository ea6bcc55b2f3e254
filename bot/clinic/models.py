"""A clinic: where clients were treated, who answers alerts, and what to show in a crisis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.clinic import resources
from bot.database.base import Base, UTCDateTime, utcnow


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    crisis_resources: Mapped[str] = mapped_column(Text)
    # The languages each line of `crisis_resources` serves, a line each ("es,en"; "" for all).
    crisis_resource_languages: Mapped[str | None] = mapped_column(Text)
    emergency_number: Mapped[str] = mapped_column(String(32), default="112")
    # e.g. "mon-fri 09:00-17:00"; parsed by bot.clinic.office_hours.
    office_hours: Mapped[str] = mapped_column(String(200), default="mon-fri 09:00-17:00")
    return_response_hours: Mapped[int] = mapped_column(Integer, default=72)
    urgent_deadline_minutes: Mapped[int] = mapped_column(Integer, default=15)
    elevated_deadline_hours: Mapped[int] = mapped_column(Integer, default=24)
    routine_deadline_hours: Mapped[int] = mapped_column(Integer, default=72)
    share_client_words: Mapped[bool] = mapped_column(Boolean, default=False)
    # Escalation thresholds (see docs/escalation-policy.md): reports of warning signs within a
    # window before an elevated alert, and check-ins missed in a row before a routine one.
    warning_reports_for_alert: Mapped[int] = mapped_column(Integer, default=2)
    warning_window_days: Mapped[int] = mapped_column(Integer, default=7)
    missed_in_a_row_for_alert: Mapped[int] = mapped_column(Integer, default=3)
    # An unanswered direct question about safety pages the clinic after this long.
    ask_deadline_minutes: Mapped[int] = mapped_column(Integer, default=15)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    # Telegram refuses the staff group's messages for good: since when and why (None: healthy).
    staff_group_failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staff_group_error: Mapped[str | None] = mapped_column(String(300))
    link_code_hash: Mapped[str | None] = mapped_column(String(64))
    link_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every staff member must sign in to the console with a TOTP code as well as a password.
    require_totp: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language of a client who has none of their own.
    default_language: Mapped[str] = mapped_column(String(8), default="en")

    def resources_in(self, language: str | None) -> str:
        """The crisis resources with the lines in `language` first."""
        return resources.in_language(
            self.crisis_resources, self.crisis_resource_languages, language
        )
