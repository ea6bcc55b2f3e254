"""Which screeners ride on a check-in: decided in the transaction that claims it for sending.

PHQ-2 and GAD-2 ask about the last 2 weeks, so a family is never sent again within its
`min_days_between` (14) of the last one, whatever became of it; the AUDIT-C goes at the first
check-in and then once after each of months 3, 6 and 12 from the ending. Only taper check-ins
carry screeners on their own; a manual one carries what `checkin send-now --screener` planned.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.errors import InvalidInput
from bot.screener.instrument import Instrument, instrument, instruments
from bot.screener.models import (
    Administration,
    AdministrationStatus,
    ScreenerPlan,
    families_of,
)
from bot.texts.translation import translator_for

# The languages whose official translation of the instruments ships here (docs/screeners.md).
OFFICIAL_LANGUAGES = ("en",)


@dataclass(frozen=True)
class Outgoing:
    """A check-in being claimed for sending."""

    checkin_id: int
    client_id: int
    # A taper check-in (or one the adaptive taper pulled in) carries what is due by itself.
    taper: bool
    # The language the client reads: screeners go only in their official translations.
    language: str = "en"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_due(found: Instrument, *, last_sent: datetime | None, ending: date, now: datetime) -> bool:
    """Whether the family may go now: its minimum interval, and for a dated schedule (AUDIT-C)
    a milestone reached since the last one was sent."""
    if last_sent is not None and now - last_sent < timedelta(days=found.min_days_between):
        return False
    if not found.at_months:
        return True
    reached = [m for m in (add_months(ending, n) for n in found.at_months) if m <= now.date()]
    if not reached:
        return False
    return last_sent is None or last_sent.date() < reached[-1]


async def _last_sent(
    session: AsyncSession, client_ids: Sequence[int]
) -> dict[tuple[int, str], datetime]:
    rows = await session.execute(
        select(Administration.client_id, Administration.family, func.max(Administration.sent_at))
        .where(Administration.client_id.in_(client_ids), Administration.sent_at.is_not(None))
        .group_by(Administration.client_id, Administration.family)
    )
    return {
        (client_id, family): sent for client_id, family, sent in rows.tuples() if sent is not None
    }


async def ride_on(
    session: AsyncSession, outgoing: Sequence[Outgoing], *, now: datetime
) -> dict[int, list[Administration]]:
    """The screeners riding on each check-in, by check-in id, recorded as sent now.

    Three queries for the whole batch, so a dispatch round stays as fast with screeners.
    """
    if not outgoing:
        return {}
    riding: dict[int, list[Administration]] = defaultdict(list)
    planned = await session.scalars(
        select(Administration).where(
            Administration.checkin_id.in_([o.checkin_id for o in outgoing]),
            Administration.status == AdministrationStatus.planned,
        )
    )
    for administration in planned:
        administration.status, administration.sent_at = AdministrationStatus.offered, now
        riding[administration.checkin_id or 0].append(administration)
    taper = [o for o in outgoing if o.taper and o.language in OFFICIAL_LANGUAGES]
    if taper:
        ids = [o.client_id for o in taper]
        plans = await session.execute(
            select(ScreenerPlan.client_id, ScreenerPlan.families, Client.ending_date)
            .join(Client, Client.id == ScreenerPlan.client_id)
            .where(ScreenerPlan.client_id.in_(ids), ScreenerPlan.families != "")
        )
        wanted = {client_id: (families_of(f), ending) for client_id, f, ending in plans.tuples()}
        last = await _last_sent(session, list(wanted)) if wanted else {}
        for o in taper:
            families, ending = wanted.get(o.client_id, ([], now.date()))
            already = {a.family for a in riding.get(o.checkin_id, [])}
            for family in families:
                found = instrument(family)
                sent = last.get((o.client_id, family))
                if family in already or not is_due(found, last_sent=sent, ending=ending, now=now):
                    continue
                administration = Administration(
                    client_id=o.client_id,
                    checkin_id=o.checkin_id,
                    family=family,
                    form=found.short_form.key,
                    status=AdministrationStatus.offered,
                    sent_at=now,
                    created_at=now,
                )
                session.add(administration)
                riding[o.checkin_id].append(administration)
    order = list(instruments())
    return {
        checkin_id: sorted(rows, key=lambda a: order.index(a.family))
        for checkin_id, rows in riding.items()
    }


async def plan_now(
    session: AsyncSession,
    *,
    client: Client,
    checkin_id: int,
    family: str,
    force: bool,
    now: datetime,
) -> Administration:
    """A screener to ride on a check-in sent now (short form first); the family's minimum
    interval still holds unless forced."""
    if family not in instruments():
        raise InvalidInput(f"unknown screener {family!r}: use {' or '.join(instruments())}")
    language = translator_for(client).language
    if language not in OFFICIAL_LANGUAGES:
        raise InvalidInput(
            f"{client.pseudonym} reads {language}: the screeners are here only in their "
            f"official {', '.join(OFFICIAL_LANGUAGES)} wording"
        )
    found = instrument(family)
    last = (await _last_sent(session, [client.id])).get((client.id, family))
    if not force and last is not None and now - last < timedelta(days=found.min_days_between):
        raise InvalidInput(
            f"a {found.short_form.title} went to {client.pseudonym} on {last:%Y-%m-%d}; "
            f"screeners go at most every {found.min_days_between} days (--force sends one anyway)"
        )
    # A screener planned earlier for a check-in still unsent gives way to this one.
    await session.execute(
        update(Administration)
        .where(
            Administration.client_id == client.id,
            Administration.family == family,
            Administration.status == AdministrationStatus.planned,
        )
        .values(status=AdministrationStatus.skipped, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    administration = Administration(
        client_id=client.id,
        checkin_id=checkin_id,
        family=family,
        form=found.short_form.key,
        status=AdministrationStatus.planned,
        created_at=now,
    )
    session.add(administration)
    await session.flush()
    return administration
