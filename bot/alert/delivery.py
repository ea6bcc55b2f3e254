"""What a staff message may show about an alert, and who on the staff can be reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.alert.models import AlertStatus, AlertType, Severity


class NotifyError(Exception):
    """Staff could not be told (no group, Telegram refused, network): the flow audits it."""


@dataclass(frozen=True)
class StaffContact:
    staff_id: int
    name: str
    telegram_user_id: int | None


@dataclass(frozen=True)
class AlertView:
    """Only what a staff message may show: a pseudonym, never the name; words only if shared."""

    alert_id: int
    clinic_name: str
    staff_chat_id: int | None
    staff_message_id: int | None
    client_pseudonym: str
    severity: Severity
    type: AlertType
    status: AlertStatus
    count: int
    deadline_at: datetime
    clinic_timezone: str
    acknowledged_by: str | None = None
    resolved_by: str | None = None
    # Set only when the clinic chose `share_client_words` and the words are still retained.
    client_words: str | None = None
    # The alert's page in the console, when WEB_PUBLIC_URL is set.
    console_url: str | None = None

    @property
    def local_deadline(self) -> datetime:
        """The deadline in the clinic's own timezone."""
        return self.deadline_at.astimezone(ZoneInfo(self.clinic_timezone))
