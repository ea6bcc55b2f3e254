"""Inline keyboards, and the short callback-data strings their buttons carry (<= 64 bytes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import checkin as checkin_text
from bot.texts import commands as command_text
from bot.texts import onboarding as onboarding_text

CONSENT = "consent"
CHECKIN = "ci"
STOP = "stop"


def consent(invite_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    onboarding_text.AGREE_BUTTON, callback_data=f"{CONSENT}:yes:{invite_id}"
                ),
                InlineKeyboardButton(
                    onboarding_text.DECLINE_BUTTON, callback_data=f"{CONSENT}:no:{invite_id}"
                ),
            ]
        ]
    )


def moods(checkin_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"{checkin_text.MOOD_EMOJI[m]} {label}", callback_data=f"{CHECKIN}:{checkin_id}:m:{m}"
        )
        for m, label in checkin_text.MOODS.items()
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def warning_signs(checkin_id: int, signs: list[str], chosen: list[int]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if index in chosen else "▫️ ") + sign[:60],
                callback_data=f"{CHECKIN}:{checkin_id}:s:{index}",
            )
        ]
        for index, sign in enumerate(signs)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                checkin_text.NONE_OF_THESE, callback_data=f"{CHECKIN}:{checkin_id}:none"
            ),
            InlineKeyboardButton(checkin_text.DONE, callback_data=f"{CHECKIN}:{checkin_id}:done"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def skip_note(checkin_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(checkin_text.SKIP, callback_data=f"{CHECKIN}:{checkin_id}:skip")]]
    )


def stop_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(command_text.STOP_YES, callback_data=f"{STOP}:yes"),
                InlineKeyboardButton(command_text.STOP_NO, callback_data=f"{STOP}:no"),
            ]
        ]
    )
