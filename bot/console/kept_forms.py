"""Forms sent after the session had ended: kept briefly, put back once the person signs in again.

A resolve note typed while the session lapsed is not lost: the fields go into a single-use row
(never into a URL), the browser gets a random token for it in a cookie, and after the same
person signs in again they land on the page the form was on with what they typed put back.
Nobody else gets it: the row belongs to the staff member of the session that lapsed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.models import ConsoleSession, KeptForm

KEEP_FOR = timedelta(minutes=30)
# A console form is a few fields and a note; anything much larger is not one of ours.
MAX_CHARS = 20_000
MAX_FIELDS = 100
TOKEN_BYTES = 32


@dataclass(frozen=True)
class Restored:
    """What to put back: the form (by where it is sent) and its fields' values."""

    action: str
    fields: dict[str, list[str]]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def keep(
    db: AsyncSession,
    *,
    staff_id: int,
    page: str,
    action: str,
    fields: list[tuple[str, str]],
    now: datetime,
) -> str | None:
    """Keep a form for `staff_id`; the token for the browser's cookie, or None if too large."""
    await db.execute(delete(KeptForm).where(KeptForm.expires_at <= now))
    values: dict[str, list[str]] = {}
    for name, value in fields:
        values.setdefault(name, []).append(value)
    body = json.dumps(values, ensure_ascii=False)
    if len(fields) > MAX_FIELDS or len(body) > MAX_CHARS or len(page) > 500 or len(action) > 500:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.add(
        KeptForm(
            token_hash=_token_hash(token),
            staff_id=staff_id,
            page=page,
            action=action,
            fields=body,
            created_at=now,
            expires_at=now + KEEP_FOR,
        )
    )
    return token


async def hand_to(
    db: AsyncSession, *, token: str | None, session: ConsoleSession, now: datetime
) -> str | None:
    """At sign-in: give the kept form to the new session if it is this person's; the page to
    open. A form kept for someone else, or too old, is deleted unseen."""
    if not token or len(token) > 100:
        return None
    kept = await db.scalar(select(KeptForm).where(KeptForm.token_hash == _token_hash(token)))
    if kept is None:
        return None
    if kept.staff_id != session.staff_id or kept.expires_at <= now:
        await db.delete(kept)
        return None
    session.kept_form_id = kept.id
    return kept.page


async def restore(db: AsyncSession, *, session: ConsoleSession, path: str) -> Restored | None:
    """Once, on the page the form was on: what to put back (the row is then deleted)."""
    if session.kept_form_id is None:
        return None
    kept = await db.get(KeptForm, session.kept_form_id)
    if kept is None:
        session.kept_form_id = None
        return None
    if urlsplit(kept.page).path != path:
        return None
    session.kept_form_id = None
    await db.delete(kept)
    values = json.loads(kept.fields)
    return Restored(action=kept.action, fields=values) if values else None
