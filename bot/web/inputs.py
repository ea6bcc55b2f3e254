"""Path ids for routes; query and form values go through bot.console.inputs.

An id out of range is answered 404 like an id that does not exist (see bot.web.errors).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Path, Request
from pydantic import BeforeValidator

from bot.console.inputs import MAX_ID, day, moment, whole


def _digits(value: object) -> object:
    # Only ASCII digits name an id: not " 1", "1e3", "+1" or "²", which int() might accept.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("not an id")
    return value


Id = Annotated[int, BeforeValidator(_digits), Path(ge=0, le=MAX_ID)]

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul(request: Request) -> None:
    """Every route depends on this: no text of ours holds a NUL (PostgreSQL refuses it)."""
    values = [request.scope.get("path", ""), *(v for _, v in request.query_params.multi_items())]
    if request.headers.get("content-type", "").startswith(FORMS):
        form = await request.form()
        values += [v for _, v in form.multi_items() if isinstance(v, str)]
    if any("\x00" in value for value in values):
        raise HTTPException(status_code=422)


__all__ = ["MAX_ID", "Id", "day", "moment", "whole"]
