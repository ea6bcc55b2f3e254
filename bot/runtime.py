"""The running product: bot, clock and outbox sender in one process, started and stopped as one."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import socket
from typing import Any

from telegram import Update

from bot.config import Settings
from bot.database.leader import Leadership, keep_leading
from bot.database.migrate import upgrade
from bot.services import Services, build_services
from bot.telegram.application import BotApp, build_application, register_commands
from bot.telegram.context import RUNNER_KEY, SEND_NOW_KEY
from bot.telegram.errors import resources_now
from bot.telegram.outbox_sender import OutboxSender, build_outbox_bot
from bot.telegram.polling import Poller
from bot.telegram.updates import UpdateRunner, process_with
from bot.telegram.webhook import WebhookServer
from scheduler.clock import Clock, build_clock

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "telegram"


def _port_free(host: str, port: int) -> bool:
    """Whether this process could listen on the port now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


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
        # One handler per update, each chat in order, confirmed to Telegram once on record.
        self.runner = UpdateRunner(process_with(self.application))
        self.application.bot_data[RUNNER_KEY] = self.runner
        self.application.bot_data[SEND_NOW_KEY] = self.outbox.send_now
        self.runner.while_waiting = functools.partial(
            resources_now, self.services, self.runner, self.outbox.send_now
        )
        self.poller = Poller(self.application.bot, self.runner, timeout=1)
        self.webhook: WebhookServer | None = None
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
        host, port = self.settings.web_host, self.settings.web_port
        if not _port_free(host, port):
            # The bot never dies for the console: another process may serve it on this port.
            logger.warning(
                "the console's port %s:%s is in use: this process runs without its console "
                "(set WEB_PORT to another port, or RUN_CONSOLE=false)",
                host,
                port,
            )
            return
        self._console_server = build_server(self.services, web)
        self._console = asyncio.create_task(self._serve_console(), name="console")
        logger.info("clinic console at %s", web.public_url)

    async def _serve_console(self) -> None:
        """The console's server; its failure is logged and never stops the bot."""
        try:
            await self._console_server.serve()
        except (Exception, SystemExit):  # uvicorn exits on a port taken meanwhile
            logger.exception("the clinic console stopped; the bot goes on without it")

    async def on_stop(self, _application: object = None) -> None:
        """Before the bot shuts down: running jobs and sends in flight finish first."""
        await self.poller.stop()
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
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
        if self.settings.telegram_mode == "webhook":
            await self._start_webhook()
            return
        self.poller.timeout = poll_timeout
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
        if not self.poller.running:
            logger.info("this process polls Telegram")
            await self.poller.start()

    async def _stop_polling(self) -> None:
        if self.poller.running:
            logger.warning("lost the poller lock: another process polls now")
            await self.poller.stop()

    async def _start_webhook(self) -> None:
        settings = self.settings
        assert settings.webhook_url and settings.webhook_secret
        self.webhook = WebhookServer(
            self.application.bot,
            self.runner,
            secret=settings.webhook_secret.get_secret_value(),
            path=WEBHOOK_PATH,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
        )
        await self.webhook.start(
            url=settings.webhook_url.rstrip("/") + "/" + WEBHOOK_PATH,
            allowed_updates=list(Update.ALL_TYPES),
        )

    async def stop(self) -> None:
        if self._leading is not None:
            self._leading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._leading
        await self.on_stop()
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
