"""Console sessions, sign-in attempts (for throttling) and unlocks, staff invites, kept forms."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.database.base import Base, UTCDateTime, utcnow


class SessionStage(enum.StrEnum):
    """How far a sign-in has got: only `active` opens the console."""

    active = "active"
    # Password accepted; the TOTP code is still to come.
    code = "code"
    # Password accepted; the clinic requires TOTP and this person has not set it up yet.
    enrol = "enrol"


class ConsoleSession(Base):
    """A browser signed in (or half-way through signing in) as one staff member.

    Only a SHA-256 of the cookie's 256-bit token is stored: a copy of the table opens nothing.
    """

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    # Sent back with every form and htmx request; bound to this session only.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str | None] = mapped_column(String(64))
    # A TOTP secret shown as a QR code and not yet confirmed with a code (sealed: bot.console.keys).
    enrolment_secret: Mapped[str | None] = mapped_column(String(120))
    # A form this person typed into while signed out, put back on the first page they open.
    kept_form_id: Mapped[int | None] = mapped_column(
        ForeignKey("kept_forms.id", ondelete="SET NULL")
    )

    staff = relationship("Staff", lazy="joined")


class SignInFactor(enum.StrEnum):
    """Which step of signing in an attempt was: each counts its own failures."""

    password = "password"
    code = "code"


class SignInAttempt(Base):
    """One try at the sign-in form or the code; failures slow down one address for one account.

    `account_key` is a keyed hash of the typed email, known or not, so an unknown email is
    throttled exactly like a real one and the answers never tell them apart.
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_account_key_at", "account_key", "at"),
        Index("ix_sign_in_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    factor: Mapped[str] = mapped_column(String(10), default=SignInFactor.password.value)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class SignInUnlock(Base):
    """An account's failures before this no longer count: a clinic admin unlocked it, or the
    person set a new password with an invite."""

    __tablename__ = "sign_in_unlocks"
    __table_args__ = (Index("ix_sign_in_unlocks_account_key_at", "account_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    account_key: Mapped[str] = mapped_column(String(64))


class StaffInvite(Base):
    """A single-use link to set a password (and TOTP); only the code's SHA-256 is kept."""

    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Replaced by a newer invite before it was used.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A TOTP secret offered on the invite page, kept until the person confirms it (sealed).
    totp_secret: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff = relationship("Staff", lazy="joined")


class KeptForm(Base):
    """What someone typed into a form that reached the console after their session had ended.

    Single use and short-lived: put back once, on the page it came from, after the same person
    signs in again, then deleted. Found by a random token in a cookie (only its SHA-256 is here).
    """

    __tablename__ = "kept_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    # The console page the form was on, and where it was sent.
    page: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(500))
    # The fields as JSON: {"note": ["typed text"], ...}, without the CSRF token.
    fields: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# Imported here so that importing this module registers every console table.
