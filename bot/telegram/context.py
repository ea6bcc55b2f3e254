"""A typed context: handlers reach shared services and the resolved client without dict lookups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.client.models import Client
from bot.services import Services
from bot.telegram.updates import UpdateRunner

SERVICES_KEY = "services"
RUNNER_KEY = "update_runner"
SEND_NOW_KEY = "send_now"

SendNow = Callable[[int, str], Awaitable[None]]


class AppContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        # Filled by the gatekeeper in group -1 for a private chat with a linked client.
        self.client: Client | None = None

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[SERVICES_KEY]
        return services

    @property
    def runner(self) -> UpdateRunner | None:
        """The runner handling this update (absent when PTB's own queue delivered it)."""
        runner: UpdateRunner | None = self.bot_data.get(RUNNER_KEY)
        return runner

    async def send_now(self, chat_id: int, text: str) -> None:
        """Send without the outbox: only for when the database that holds it does not answer."""
        send: SendNow = self.bot_data[SEND_NOW_KEY]
        await send(chat_id, text)
