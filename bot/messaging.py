"""The one thing the scheduler needs from a chat platform besides check-ins: send a plain text."""

from __future__ import annotations

from typing import Protocol

from bot.checkin.delivery import Delivery


class ClientMessenger(Protocol):
    async def send_text(self, chat_id: int, text: str) -> Delivery: ...
