"""What the bot says in a clinic's staff group besides alerts (link results, note prompts,
refusals): outbox rows like every other message, written in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose, SendOptions


def reply_in_group(
    session: AsyncSession,
    *,
    chat_id: int,
    text: str,
    now: datetime,
    reply_to: int | None = None,
    prompt: str | None = None,
    html: bool = False,
) -> None:
    """A reply to `reply_to` in the group; with `prompt`, the writer's input field opens as a
    reply to it (how a note for an alert is asked for)."""
    options: SendOptions = {}
    if reply_to is not None:
        options["reply_to"] = reply_to
    if prompt is not None:
        options["force_reply"] = prompt
    if html:
        options["parse_mode"] = "HTML"
    outbox.enqueue(
        session,
        lane=Lane.reply,
        purpose=Purpose.staff_reply,
        chat_id=chat_id,
        text=text,
        options=options or None,
        now=now,
    )
