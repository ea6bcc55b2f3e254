"""Path ids for routes; query and form values go through bot.console.inputs.

An id out of range is answered 404 like an id that does not exist (see bot.web.errors).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BeforeValidator

from bot.console.inputs import MAX_ID, day, whole


def _digits(value: object) -> object:
    # Only ASCII digits name an id: not " 1", "1e3", "+1" or "²", which int() might accept.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("not an id")
    return value


Id = Annotated[int, BeforeValidator(_digits), Path(ge=0, le=MAX_ID)]

__all__ = ["MAX_ID", "Id", "day", "whole"]
