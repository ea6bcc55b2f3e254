"""Due check-ins become outbox rows in the same transaction that claims them.

The check-in stays `sending` until the outbox records Telegram's answer, so a crash never loses
one and never queues one twice. The screeners riding on a check-in are recorded in the same
transaction; their first question follows the client's own check-in answers, so a check-in is
still one message at dispatch (two to one chat at once would meet Telegram's per-chat limit).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import service
from bot.checkin.buttons import mood_buttons
from bot.checkin.models import CheckinKind
from bot.checkin.opener import opener
from bot.client.models import EndingType
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.screener.riding import Outgoing, ride_on
from bot.texts import screener as screener_text
from bot.texts.translation import translator

CLAIMER = "dispatch"


async def queue_due(session: AsyncSession, *, now: datetime, limit: int) -> int:
    """Claim up to `limit` due check-ins and queue their openers; returns how many."""
    items = await service.claim_due(session, now=now, limit=limit, worker=CLAIMER)
    outgoing = [
        Outgoing(
            item.checkin_id,
            item.client_id,
            taper=item.kind != CheckinKind.manual,
            language=translator(item.language).language,
        )
        for item in items
    ]
    riding = await ride_on(session, outgoing, now=now)
    for item in items:
        t = translator(item.language)
        body = opener(
            item.display_name,
            unplanned=item.ending_type == EndingType.unplanned,
            manual=item.kind == CheckinKind.manual,
            t=t,
            occasion=item.occasion,
        )
        if riding.get(item.checkin_id):
            body = f"{body}\n{t(screener_text.RIDES_ALONG)}"
        outbox.enqueue(
            session,
            lane=Lane.checkin,
            purpose=Purpose.checkin,
            chat_id=item.chat_id,
            text=body,
            buttons=mood_buttons(item.checkin_id, t),
            client_id=item.client_id,
            checkin_id=item.checkin_id,
            now=now,
        )
    return len(items)
