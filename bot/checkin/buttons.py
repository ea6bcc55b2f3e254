"""A check-in's buttons: mood, the client's own warning signs, skip the note."""

from __future__ import annotations

from bot import button_data
from bot.outbox.models import Buttons
from bot.texts import checkin as text
from bot.texts.translation import Translator


def mood_buttons(checkin_id: int, t: Translator) -> Buttons:
    buttons = [
        (f"{text.MOOD_EMOJI[m]} {t(label)}", button_data.checkin_mood(checkin_id, m))
        for m, label in text.MOODS.items()
    ]
    return [buttons[:3], buttons[3:]]


def sign_buttons(checkin_id: int, signs: list[str], chosen: list[int], t: Translator) -> Buttons:
    rows: Buttons = [
        [(("✅ " if i in chosen else "▫️ ") + sign[:60], button_data.checkin_sign(checkin_id, i))]
        for i, sign in enumerate(signs)
    ]
    rows.append(
        [
            (t(text.NONE_OF_THESE), button_data.checkin_step(checkin_id, "none")),
            (t(text.DONE), button_data.checkin_step(checkin_id, "done")),
        ]
    )
    return rows


def skip_buttons(checkin_id: int, t: Translator) -> Buttons:
    return [[(t(text.SKIP), button_data.checkin_step(checkin_id, "skip"))]]
