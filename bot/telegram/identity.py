"""The bot's own username, for invite links: from settings, or asked of Telegram once."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.config import Settings


class UsernameUnavailable(RuntimeError):
    pass


async def bot_username(settings: Settings) -> str:
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    bot = Bot(
        settings.require_token(),
        base_url=settings.telegram_api_url,
        base_file_url=settings.telegram_file_url,
    )
    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as exc:
        raise UsernameUnavailable(
            f"could not ask Telegram for the bot's username ({exc}); "
            "set TELEGRAM_BOT_USERNAME in .env"
        ) from None
    if not me.username:
        raise UsernameUnavailable("the bot has no username; set TELEGRAM_BOT_USERNAME")
    return me.username
