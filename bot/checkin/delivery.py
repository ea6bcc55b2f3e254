"""A claimed check-in, and what a send attempt came back with (in the domain's terms)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.checkin.models import CheckinKind
from bot.client.models import EndingType


class Outcome(enum.StrEnum):
    sent = "sent"
    blocked = "blocked"  # the person blocked the bot: stop writing to them
    retry = "retry"  # rate limit, timeout, server error: try again later
    failed = "failed"  # the message itself was refused: retrying would not help


@dataclass(frozen=True)
class CheckinToSend:
    checkin_id: int
    client_id: int
    chat_id: int
    display_name: str
    ending_type: EndingType
    kind: CheckinKind
    step: int | None
    total_steps: int
    attempts: int = 1


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None
