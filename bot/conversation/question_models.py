"""The direct question asked when a crisis reading is uncertain, and how it was answered."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.database.base import Base, UTCDateTime, utcnow


class QuestionAnswer(enum.StrEnum):
    yes = "yes"
    no = "no"
    rather_not_say = "rather_not_say"
    # They wrote instead of tapping: that message met the safety net on its own.
    wrote = "wrote"
    # Nobody answered before the clinic's deadline: a person is asked to follow up.
    unanswered = "unanswered"


class DirectQuestion(Base):
    __tablename__ = "direct_questions"
    __table_args__ = (
        # The deadline job: questions still open, oldest deadline first.
        Index("ix_direct_questions_answer_deadline_at", "answer", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_messages.id", ondelete="SET NULL")
    )
    # What the message was read as when the answer is "No, I'm OK".
    runner_up: Mapped[str | None] = mapped_column(String(40))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[QuestionAnswer | None] = mapped_column(
        Enum(QuestionAnswer, native_enum=False, length=20)
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
