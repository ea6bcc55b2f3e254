"""Builds the python-telegram-bot Application: settings, rate limits, and the handler map."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.config import Settings
from bot.services import Services
from bot.telegram import buttons, gatekeeper, staff_group
from bot.telegram.context import SERVICES_KEY, AppContext
from bot.telegram.errors import on_error
from bot.telegram.http import AiohttpRequest
from bot.texts import commands as command_text
from bot.texts.translation import DEFAULT, SUPPORTED, translator


def command_menu(language: str | None) -> list[BotCommand]:
    """The chat's menu of commands, in one language."""
    t = translator(language)
    return [BotCommand(name, t(description)) for name, description in command_text.MENU.items()]


BotApp = Application[Any, AppContext, Any, Any, Any, Any]


def polling_request() -> AiohttpRequest:
    """getUpdates' own connection (PTB's defaults: one connection, 5 s timeouts, 1 s for the
    pool); PTB adds the long-poll time to the read timeout."""
    return AiohttpRequest(
        pool_size=1, read_timeout=5.0, write_timeout=5.0, connect_timeout=5.0, pool_timeout=1.0
    )


def build_application(settings: Settings, services: Services) -> BotApp:
    builder = (
        Application.builder()
        .token(settings.require_token())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .context_types(ContextTypes(context=AppContext))
        .connection_pool_size(settings.telegram_connection_pool)
        .pool_timeout(10.0)
        .get_updates_request(polling_request())
        # Updates are taken by our own poller or webhook, which confirm them once on record.
        .updater(None)
        # Schedules live in the database and our own clock, not in PTB's in-memory job queue.
        .job_queue(None)
    )
    if settings.rate_limit:
        # Queues sends to stay inside Telegram's limits and waits out any 429 it still gets.
        # One send every 1/29 s, no burst: no sliding second sees more than Telegram's 30.
        limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application: BotApp = builder.build()
    application.bot_data[SERVICES_KEY] = services
    add_handlers(application)
    return application


def add_handlers(application: BotApp) -> None:
    """Every private message is handled by the gatekeeper (it goes to the inbound flow); taps
    have one handler per button; the staff group has its own."""
    application.add_handler(TypeHandler(Update, gatekeeper.identify), group=-1)
    application.add_handlers(buttons.handlers())
    staff_group.register(application)
    application.add_error_handler(on_error)


async def register_commands(application: BotApp) -> None:
    """The menu in English for everyone, and in each other language for those who read it."""
    await application.bot.set_my_commands(command_menu(None))
    for language in SUPPORTED:
        if language != DEFAULT:
            await application.bot.set_my_commands(command_menu(language), language_code=language)
