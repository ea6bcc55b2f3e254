"""Periodic jobs: each asks the database what is due and, in one transaction, decides and queues.

Nothing here sends: every message is an outbox row, sent by the outbox sender as it is written.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.alert import actions
from bot.checkin import dispatch, silence
from bot.checkin import service as checkins
from bot.client import graduation
from bot.client.models import Client
from bot.conversation import question, screener_walk
from bot.conversation import service as messages
from bot.escalation import apply as escalation
from bot.policy import deadlines
from bot.services import Services

logger = logging.getLogger(__name__)


async def dispatch_checkins(services: Services) -> int:
    """Due check-ins become outbox rows in the transaction that claims them."""
    total = 0
    while True:
        async with services.sessionmaker.begin() as session:
            queued = await dispatch.queue_due(
                session, now=services.now(), limit=services.settings.dispatch_batch_size
            )
        total += queued
        if queued < services.settings.dispatch_batch_size:
            break
    if total:
        logger.info("queued %d check-in(s)", total)
    return total


async def recover_orphaned_checkins(services: Services) -> int:
    """Check-ins an older version left in `sending` with no message queued go back to the queue."""
    async with services.sessionmaker.begin() as session:
        count = await checkins.recover_orphans(session)
    if count:
        logger.warning("put %d check-in(s) without a queued message back in the queue", count)
    return count


async def expire_unanswered(services: Services) -> int:
    """Unanswered check-ins become missed; each gets a gentle word, and the policy may alert."""
    after = timedelta(hours=services.settings.missed_after_hours)
    now = services.now()
    async with services.sessionmaker.begin() as session:
        missed = await checkins.mark_missed(session, now=now, after=after)
        for nudge in await silence.nudges_for(session, missed=missed):
            silence.queue_nudge(session, nudge, now=now)
            client = await session.get(Client, nudge.client_id)
            assert client is not None
            await escalation.silence(
                session,
                client=client,
                missed_in_a_row=nudge.missed_in_a_row,
                checkin_id=nudge.checkin_id,
                now=now,
            )
    return len(missed)


async def graduate(services: Services) -> int:
    """Clients at the end of their taper get a goodbye with their plan in short."""
    now = services.now()
    async with services.sessionmaker.begin() as session:
        graduates = await graduation.graduate_due(session, now=now)
        for grad in graduates:
            graduation.queue_goodbye(session, grad, now=now)
    return len(graduates)


async def expire_questions(services: Services) -> int:
    """A direct question about safety nobody answered in time pages the clinic."""
    async with services.sessionmaker.begin() as session:
        return await question.expire(session, now=services.now())


async def remind_screeners(services: Services) -> int:
    """Screeners not finished: one gentle reminder after 2 days; closed after 4."""
    async with services.sessionmaker.begin() as session:
        reminded, closed = await screener_walk.remind_and_close(session, now=services.now())
    if reminded or closed:
        logger.info("screeners: %d reminded, %d closed", reminded, closed)
    return reminded


async def purge_free_text(services: Services) -> int:
    async with services.sessionmaker.begin() as session:
        return await messages.purge_free_text(
            session, now=services.now(), keep_days=services.settings.free_text_retention_days
        )


async def remind_overdue_alerts(
    services: Services, remind_every: timedelta = deadlines.REMIND_EVERY
) -> int:
    """Remind the group of every overdue alert; the first time, escalate to the clinic admins."""
    async with services.sessionmaker.begin() as session:
        return await actions.remind_overdue(session, now=services.now(), remind_every=remind_every)
