"""A check-in's first message, in the client's language: a varied greeting and affirmation, an
extra check-in's note, or a caring check-in that names the client's own day in their words."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.texts import checkin as text
from bot.texts.translation import Translator


def opener(
    name: str,
    *,
    unplanned: bool,
    manual: bool,
    t: Translator,
    rng: random.Random | None = None,
    occasion: Mapping[str, Any] | None = None,
) -> str:
    """The check-in's first message; a caring check-in names its day in the plan's words."""
    if occasion:
        day = date.fromisoformat(str(occasion["on"]))
        return t(text.CARING_OPENER).format(
            name=name,
            day=t.long_day(day),
            situation=occasion["situation"],
            what_to_do=occasion["what_to_do"],
        )
    rng = rng or random.Random()
    line = t(rng.choice(text.OPENERS_UNPLANNED if unplanned else text.OPENERS_PLANNED))
    extra = text.MANUAL_NOTE if manual else rng.choice(text.AFFIRMATIONS)
    return f"{line.format(name=name)}\n{t(extra)}"
