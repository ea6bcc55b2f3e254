"""The running product: bot, clock and outbox sender in one process, started and stopped as one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from telegram import Update

from bot.config import Settings
from bot.database.leader import Leadership, keep_leading
from bot.database.migrate import upgrade
from bot.services import Services, build_services
from bot.telegram.application import BotApp, build_application, register_commands
from bot.telegram.outbox_sender import OutboxSender, build_outbox_bot
from scheduler.clock import Clock, build_clock

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "telegram"


class Runtime:
    def __init__(self, settings: Settings, services: Services | None = None) -> None:
        self.settings = settings
        # Services handed in belong to the caller, who closes them.
        self._owns_services = services is None
        self.services = services or build_services(settings, defer_nlu=True)
        self.application: BotApp = build_application(settings, self.services)
        # Everything the bot says goes through the outbox, sent by its own paced Bot.
        self.outbox = OutboxSender(
            build_outbox_bot(settings), self.services, paced=settings.rate_limit
        )
        self.clock: Clock = build_clock(self.services)
        self.leadership = Leadership(self.services.engine)
        self._leading: asyncio.Task[None] | None = None
        self._poll_timeout = 1
        self._console: asyncio.Task[None] | None = None
        self._console_server: Any = None

    async def on_startup(self, _application: object = None) -> None:
        await upgrade(self.services.engine)
        await register_commands(self.application)
        await self.outbox.bot.initialize()
        await self.outbox.start()
        # Sending needs no model: what a restart owes goes out while it loads.
        await self.services.understander.load()
        self.clock.start()
        if self.settings.run_console:
            await self._start_console()
        logger.info("aftercare is running (%s)", self.settings.telegram_mode)

    async def _start_console(self) -> None:
        # Imported here: a bot-only process never loads the web stack.
        from bot.web.app import build_server
        from bot.web.settings import WebSettings

        web = WebSettings.of(self.settings)
        self._console_server = build_server(self.services, web)
        self._console = asyncio.create_task(self._console_server.serve(), name="console")
        logger.info("clinic console at %s", web.public_url)

    async def on_stop(self, _application: object = None) -> None:
        """Before the bot shuts down: running jobs and sends in flight finish first."""
        if self._console is not None:
            self._console_server.should_exit = True
            await self._console
            self._console = None
        await self.clock.stop()
        await self.outbox.stop()
        await self.outbox.bot.shutdown()

    async def on_shutdown(self, _application: object = None) -> None:
        if self._owns_services:
            await self.services.aclose()

    async def start(self, *, poll_timeout: int = 1) -> None:
        """Start without blocking (tests and embedding): bot, updates, clock.

        Webhook mode takes updates in every process. Polling is for one process only: the one
        holding the poller lock (PostgreSQL advisory lock; SQLite is single-process anyway).
        """
        await self.application.initialize()
        await self.on_startup()
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        if self.settings.telegram_mode == "webhook":
            await updater.start_webhook(**self._webhook_options())
            return
        self._poll_timeout = poll_timeout
        # Try at once, so a single process (or the first one) polls without waiting a tick.
        if await self.leadership.try_acquire():
            await self._start_polling()
        self._leading = asyncio.create_task(
            keep_leading(
                self.leadership,
                on_elected=self._start_polling,
                on_lost=self._stop_polling,
                interval=self.settings.leader_retry_seconds,
            ),
            name="poller-election",
        )

    async def _start_polling(self) -> None:
        updater = self.application.updater
        assert updater is not None
        if not updater.running:
            logger.info("this process polls Telegram")
            await updater.start_polling(
                poll_interval=0, timeout=self._poll_timeout, allowed_updates=Update.ALL_TYPES
            )

    async def _stop_polling(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            logger.warning("lost the poller lock: another process polls now")
            await updater.stop()

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
        if self._leading is not None:
            self._leading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._leading
        await self.on_stop()
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.on_shutdown()

    def run_forever(self) -> None:
        """Block until SIGINT or SIGTERM: polling (when elected) or a webhook."""
        asyncio.run(self._run_until_signal())

    async def _run_until_signal(self) -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        await self.start()
        try:
            await stopping.wait()
        finally:
            await self.stop()
