"""Inline keyboards; their callback data comes from `bot.callbacks`, never by hand."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot import callbacks
from bot.texts import checkin as checkin_text
from bot.texts import commands as command_text
from bot.texts import onboarding as onboarding_text

logger = logging.getLogger(__name__)

# The prefixes the handler map routes on (application.py); the codec owns them.
CONSENT = callbacks.CONSENT
CHECKIN = callbacks.CHECKIN
STOP = callbacks.STOP


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a tap (stopping the client's spinner); one already answered is not an error.

    What a forged or stale tap gets: no text, or a short generic one, and nothing else.
    """
    try:
        await query.answer(text)
    except BadRequest as exc:
        logger.debug("callback query not answered: %s", exc)


def consent(invite_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    onboarding_text.AGREE_BUTTON, callback_data=callbacks.consent(True, invite_id)
                ),
                InlineKeyboardButton(
                    onboarding_text.DECLINE_BUTTON,
                    callback_data=callbacks.consent(False, invite_id),
                ),
            ]
        ]
    )


def moods(checkin_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"{checkin_text.MOOD_EMOJI[m]} {label}",
            callback_data=callbacks.checkin_mood(checkin_id, m),
        )
        for m, label in checkin_text.MOODS.items()
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def warning_signs(checkin_id: int, signs: list[str], chosen: list[int]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if index in chosen else "▫️ ") + sign[:60],
                callback_data=callbacks.checkin_sign(checkin_id, index),
            )
        ]
        for index, sign in enumerate(signs)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                checkin_text.NONE_OF_THESE, callback_data=callbacks.checkin_step(checkin_id, "none")
            ),
            InlineKeyboardButton(
                checkin_text.DONE, callback_data=callbacks.checkin_step(checkin_id, "done")
            ),
        ]
    )
    return InlineKeyboardMarkup(rows)


def skip_note(checkin_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    checkin_text.SKIP, callback_data=callbacks.checkin_step(checkin_id, "skip")
                )
            ]
        ]
    )


def stop_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(command_text.STOP_YES, callback_data=callbacks.stop(True)),
                InlineKeyboardButton(command_text.STOP_NO, callback_data=callbacks.stop(False)),
            ]
        ]
    )
