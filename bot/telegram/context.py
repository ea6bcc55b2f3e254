"""A typed context: handlers reach shared services and the resolved client without dict lookups."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.client.models import Client
from bot.services import Services

SERVICES_KEY = "services"


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
