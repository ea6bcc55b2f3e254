"""Sending what is due: claim a batch, send it concurrently, record every outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.checkin import service
from bot.checkin.delivery import CheckinSender, CheckinToSend, Delivery, Outcome
from bot.database.core import SessionMaker

logger = logging.getLogger(__name__)

BlockedHook = Callable[[set[int]], Awaitable[None]]


@dataclass
class DispatchReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: {o: 0 for o in Outcome})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def _send_safely(sender: CheckinSender, item: CheckinToSend) -> Delivery:
    try:
        return await sender.send_checkin(item)
    except Exception as exc:  # an unexpected failure must not lose the check-in
        logger.exception("sending check-in %s failed", item.checkin_id)
        return Delivery(Outcome.retry, error=f"{type(exc).__name__}: {exc}"[:500])


async def dispatch_due(
    sessionmaker: SessionMaker,
    sender: CheckinSender,
    *,
    worker: str,
    batch_size: int = 200,
    concurrency: int = 64,
    max_batches: int | None = None,
    now: Callable[[], datetime] = _utcnow,
    on_blocked: BlockedHook | None = None,
) -> DispatchReport:
    """Send every due check-in (in batches) and return how each went."""
    report = DispatchReport()
    gate = asyncio.Semaphore(concurrency)

    async def send(item: CheckinToSend) -> Delivery:
        async with gate:
            return await _send_safely(sender, item)

    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        async with sessionmaker.begin() as session:
            items = await service.claim_due(session, now=now(), limit=batch_size, worker=worker)
        if not items:
            break
        deliveries = await asyncio.gather(*(send(item) for item in items))
        results = list(zip(items, deliveries, strict=True))
        async with sessionmaker.begin() as session:
            blocked = await service.record_deliveries(
                session, results=results, worker=worker, now=now()
            )
        for _, delivery in results:
            report.counts[delivery.outcome] += 1
        if blocked and on_blocked is not None:
            await on_blocked(blocked)
        if len(items) < batch_size:
            break
    if report.total:
        logger.info("dispatched %s", {o.value: n for o, n in report.counts.items() if n})
    return report
