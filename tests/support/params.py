"""Reads Bot API call parameters from JSON, url-encoded or multipart requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

# Fields whose values are plain strings even when they look like JSON (e.g. text "42").
PLAIN_TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "action",
        "url",
        "secret_token",
        "language_code",
        "ip_address",
        "title",
        "description",
        "short_description",
        "name",
        "emoji",
        "file_id",
        "business_connection_id",
        "message_effect_id",
        "document",
        "photo",
        "voice",
        "sticker",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    filename: str | None
    content_type: str
    content: bytes


def decode_value(key: str, value: Any) -> Any:
    """The value as the bot meant it: PTB JSON-encodes everything but plain strings."""
    if not isinstance(value, str) or key in PLAIN_TEXT_FIELDS:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    # A JSON string literal means the sender really sent a quoted string; keep it verbatim.
    return value if isinstance(decoded, str) else decoded


def _from_form(form: MultiDictProxy[Any]) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = UploadedFile(
                field=key,
                filename=value.filename,
                content_type=value.content_type,
                content=value.file.read(),
            )
        else:
            params[key] = value
    return params, files


async def read_params(request: web.Request) -> dict[str, Any]:
    """Decoded parameters; uploaded files appear as `UploadedFile` under their field."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                raw.update(body)
        elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form_params, files = _from_form(await request.post())
            raw.update(form_params)
    params = {key: decode_value(key, value) for key, value in raw.items()}
    for key, value in list(params.items()):
        # attach://name points at a multipart part uploaded under that name.
        if isinstance(value, str) and value.startswith("attach://"):
            attached = files.pop(value.removeprefix("attach://"), None)
            if attached is not None:
                params[key] = attached
    params.update(files)
    return params


def chat_key(value: Any) -> int | str | None:
    """A chat_id normalised to int when numeric, so 42 and "42" are the same chat."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return text
