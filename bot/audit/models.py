"""One line of the audit log. Rows are only ever added: on PostgreSQL and SQLite a trigger
refuses UPDATE and DELETE (migration 0006).

No foreign keys: a line must outlive the staff member, client or clinic it names.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime


class AuditAction(enum.StrEnum):
    """What happened. Stored as plain text, so a new action needs no migration."""

    sign_in = "sign_in"
    sign_in_failed = "sign_in_failed"
    sign_in_locked = "sign_in_locked"
    sign_in_unlocked = "sign_in_unlocked"
    sign_out = "sign_out"
    sign_out_everywhere = "sign_out_everywhere"
    password_set = "password_set"
    code_enrolled = "code_enrolled"
    code_reset = "code_reset"
    totp_key_rotated = "totp_key_rotated"
    invite_issued = "invite_issued"
    staff_added = "staff_added"
    staff_role_changed = "staff_role_changed"
    staff_deactivated = "staff_deactivated"
    telegram_code_issued = "telegram_code_issued"
    group_code_issued = "group_code_issued"
    clinic_settings_changed = "clinic_settings_changed"
    crisis_resources_changed = "crisis_resources_changed"
    closure_changed = "closure_changed"
    alert_viewed = "alert_viewed"
    alert_taken = "alert_taken"
    alert_handed_over = "alert_handed_over"
    alert_resolved = "alert_resolved"
    alert_reopened = "alert_reopened"
    # Back to the queue because whoever held it was deactivated.
    alert_returned = "alert_returned"
    alert_message_sent = "alert_message_sent"
    return_request_changed = "return_request_changed"
    audit_exported = "audit_exported"
    screeners_exported = "screeners_exported"
    client_enrolled = "client_enrolled"
    client_invited = "client_invited"
    client_changed = "client_changed"
    client_plan_changed = "client_plan_changed"
    client_note_added = "client_note_added"
    client_followers_changed = "client_followers_changed"
    client_timeline_viewed = "client_timeline_viewed"
    client_tried = "client_tried"


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # The admin page: a clinic's lines, newest first, optionally one kind of action.
        Index("ix_audit_log_clinic_id_id", "clinic_id", "id"),
        Index("ix_audit_log_clinic_id_action", "clinic_id", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # None when nobody could be named (a sign-in attempt for an unknown email).
    clinic_id: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    # Who, in words that outlive the staff row: "Jo Admin (console)", "cli", "unknown".
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    # What it was done to: "alert 12", "staff 3", "clinic 1".
    target: Mapped[str | None] = mapped_column(String(100))
    # Never a client's name or words: ids, pseudonyms, settings and what changed.
    detail: Mapped[str | None] = mapped_column(String(1000))
    # From where: the client address of the request ("cli" for the command line).
    address: Mapped[str | None] = mapped_column(String(64))
