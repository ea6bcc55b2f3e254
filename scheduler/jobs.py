"""Periodic jobs: each asks the database what is due and calls the domain to act on it."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from bot.alert import flows as alert_flows
from bot.alert.delivery import AlertNotifier
from bot.checkin import service as checkins
from bot.checkin.delivery import CheckinSender
from bot.checkin.dispatch import DispatchReport, dispatch_due
from bot.conversation import service as messages
from bot.services import Services

logger = logging.getLogger(__name__)

# Identifies this process's claims, so a late result never overwrites another dispatcher's.
WORKER = f"{socket.gethostname()}:{os.getpid()}"


async def dispatch_checkins(services: Services, sender: CheckinSender) -> DispatchReport:
    return await dispatch_due(
        services.sessionmaker,
        sender,
        worker=WORKER,
        batch_size=services.settings.dispatch_batch_size,
        now=services.now,
    )


async def recover_stale_sends(services: Services) -> int:
    stale_after = timedelta(seconds=services.settings.sending_timeout_seconds)
    async with services.sessionmaker.begin() as session:
        count = await checkins.recover_stale(session, now=services.now(), stale_after=stale_after)
    if count:
        logger.warning("recovered %d check-ins left in sending by a crash", count)
    return count


async def expire_unanswered(services: Services) -> int:
    after = timedelta(hours=services.settings.missed_after_hours)
    async with services.sessionmaker.begin() as session:
        missed = await checkins.mark_missed(session, now=services.now(), after=after)
    return len(missed)


async def purge_free_text(services: Services) -> int:
    async with services.sessionmaker.begin() as session:
        return await messages.purge_free_text(
            session, now=services.now(), keep_days=services.settings.free_text_retention_days
        )


async def remind_overdue_alerts(services: Services, notifier: AlertNotifier) -> int:
    return await alert_flows.remind_overdue(services.sessionmaker, notifier, now=services.now())
