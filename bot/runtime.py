"""The running product: bot and clock in one process, started and stopped together."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.config import Settings
from bot.database.migrate import upgrade
from bot.services import Services, build_services
from bot.telegram.alerting import NOTIFIER_KEY
from bot.telegram.application import BotApp, build_application, register_commands
from bot.telegram.sender import TelegramCheckinSender
from bot.telegram.staff_group import TelegramAlertNotifier
from scheduler.clock import Clock, build_clock

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "telegram"


class Runtime:
    def __init__(self, settings: Settings, services: Services | None = None) -> None:
        self.settings = settings
        # Services handed in belong to the caller, who closes them.
        self._owns_services = services is None
        self.services = services or build_services(settings)
        self.application: BotApp = build_application(settings, self.services)
        self.sender = TelegramCheckinSender(self.application.bot)
        self.alert_notifier = TelegramAlertNotifier(self.application.bot)
        self.application.bot_data[NOTIFIER_KEY] = self.alert_notifier
        self.clock: Clock = build_clock(
            self.services, self.sender, self.alert_notifier, self.sender
        )

    async def on_startup(self, _application: object = None) -> None:
        await upgrade(self.services.engine)
        await register_commands(self.application)
        self.clock.start()
        logger.info("aftercare is running (%s)", self.settings.telegram_mode)

    async def on_stop(self, _application: object = None) -> None:
        """Before the bot shuts down: running jobs still need it to finish their sends."""
        await self.clock.stop()

    async def on_shutdown(self, _application: object = None) -> None:
        if self._owns_services:
            await self.services.aclose()

    async def start(self, *, poll_timeout: int = 1) -> None:
        """Start without blocking (tests and embedding): bot, updates, clock."""
        await self.application.initialize()
        await self.on_startup()
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        if self.settings.telegram_mode == "webhook":
            await updater.start_webhook(**self._webhook_options())
        else:
            await updater.start_polling(
                poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
            )

    def _webhook_options(self) -> dict[str, Any]:
        settings = self.settings
        assert settings.webhook_url and settings.webhook_secret
        return {
            "listen": settings.webhook_listen,
            "port": settings.webhook_port,
            "url_path": WEBHOOK_PATH,
            "webhook_url": settings.webhook_url.rstrip("/") + "/" + WEBHOOK_PATH,
            # PTB answers 403 to any request without this header value.
            "secret_token": settings.webhook_secret.get_secret_value(),
            "allowed_updates": Update.ALL_TYPES,
        }

    async def stop(self) -> None:
        await self.on_stop()
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.on_shutdown()

    def run_forever(self) -> None:
        """Block until interrupted: polling by default, a webhook when configured."""
        self.application.post_init = self.on_startup
        self.application.post_stop = self.on_stop
        self.application.post_shutdown = self.on_shutdown
        if self.settings.telegram_mode == "webhook":
            self.application.run_webhook(**self._webhook_options())
        else:
            self.application.run_polling(allowed_updates=Update.ALL_TYPES)
