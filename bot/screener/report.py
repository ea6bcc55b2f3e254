"""The clinic's outcome reporting: one CSV row per screener administration, with the client's
pseudonym (never their name), dates, every item's score and the totals."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.screener.instrument import instruments
from bot.screener.models import Administration, ScreenerAnswer

LEADING = (
    "pseudonym",
    "administration",
    "checkin",
    "instrument",
    "form",
    "status",
    "sent_at",
    "finished_at",
)
TRAILING = (
    "short_total",
    "total",
    "band",
    "positive",
    "reference_total",
    "reference",
    "change",
)


def item_columns() -> list[str]:
    """Every item of every instrument, in the published order (closing questions last)."""
    columns = []
    for found in instruments().values():
        columns += [item.key for item in found.items]
        if found.closing is not None:
            columns.append(found.closing.key)
    return columns


def header() -> list[str]:
    return [*LEADING, *item_columns(), *TRAILING]


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat(timespec="minutes")


def _blank(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


async def rows(session: AsyncSession, *, clinic_id: int, since: date) -> list[list[str]]:
    """The clinic's administrations sent on or after `since` (UTC), oldest first."""
    start = datetime.combine(since, time(0), tzinfo=UTC)
    found = (
        (
            await session.execute(
                select(Administration, Client.pseudonym)
                .join(Client, Client.id == Administration.client_id)
                .where(Client.clinic_id == clinic_id, Administration.sent_at >= start)
                .order_by(Administration.sent_at, Administration.id)
            )
        )
        .tuples()
        .all()
    )
    ids = [administration.id for administration, _ in found]
    scores: dict[int, dict[str, int]] = {i: {} for i in ids}
    if ids:
        answers = await session.execute(
            select(
                ScreenerAnswer.administration_id, ScreenerAnswer.item, ScreenerAnswer.value
            ).where(ScreenerAnswer.administration_id.in_(ids))
        )
        for administration_id, item, value in answers.tuples():
            scores[administration_id][item] = value
    columns = item_columns()
    table = []
    for administration, pseudonym in found:
        change = (
            administration.total - administration.reference_total
            if administration.total is not None and administration.reference_total is not None
            else None
        )
        table.append(
            [
                pseudonym,
                str(administration.id),
                _blank(administration.checkin_id),
                administration.family,
                administration.form,
                administration.status.value,
                _stamp(administration.sent_at),
                _stamp(administration.finished_at),
                *(_blank(scores[administration.id].get(column)) for column in columns),
                _blank(administration.short_total),
                _blank(administration.total),
                _blank(administration.band),
                _blank(administration.positive),
                _blank(administration.reference_total),
                _blank(administration.reference_kind),
                _blank(change),
            ]
        )
    return table


def write(stream: TextIO, table: Iterable[list[str]]) -> int:
    """The header and the rows as CSV; returns how many rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header())
    count = 0
    for row in table:
        writer.writerow(row)
        count += 1
    return count
