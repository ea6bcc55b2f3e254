"""Sends a due check-in over Telegram and says how it went, in the domain's terms."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.checkin.delivery import CheckinToSend, Delivery, Outcome
from bot.checkin.models import CheckinKind
from bot.client.models import EndingType
from bot.telegram import keyboards
from bot.telegram.replies import send_text as send_long
from bot.texts import checkin as text

logger = logging.getLogger(__name__)


class TelegramCheckinSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_checkin(self, checkin: CheckinToSend) -> Delivery:
        body = text.opener(
            checkin.display_name,
            unplanned=checkin.ending_type == EndingType.unplanned,
            manual=checkin.kind == CheckinKind.manual,
        )
        return await self._send(checkin.chat_id, body, keyboards.moods(checkin.checkin_id))

    async def send_text(self, chat_id: int, body: str) -> Delivery:
        """A plain message from the scheduler (gentle nudges, graduation)."""
        return await self._send(chat_id, body, None)

    async def _send(self, chat_id: int, body: str, markup: InlineKeyboardMarkup | None) -> Delivery:
        try:
            message = await send_long(self.bot, chat_id, body, reply_markup=markup)
        except RetryAfter as exc:
            return Delivery(Outcome.retry, retry_after=_seconds(exc.retry_after), error=str(exc))
        except Forbidden as exc:
            return Delivery(Outcome.blocked, error=str(exc)[:500])
        except BadRequest as exc:
            logger.warning("message to chat %s refused by Telegram: %s", chat_id, exc)
            return Delivery(Outcome.failed, error=str(exc)[:500])
        except (NetworkError, TelegramError) as exc:
            # Timeouts and 5xx: the dispatcher retries with backoff.
            return Delivery(Outcome.retry, error=f"{type(exc).__name__}: {exc}"[:500])
        return Delivery(Outcome.sent, message_id=message.message_id)


def _seconds(value: object) -> float:
    total_seconds = getattr(value, "total_seconds", None)
    return float(total_seconds()) if callable(total_seconds) else float(value)  # type: ignore[arg-type]
