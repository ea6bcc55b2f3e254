"""Periodic jobs: each asks the database what is due and calls the domain to act on it."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from bot.alert import flows as alert_flows
from bot.alert.delivery import AlertNotifier
from bot.alert.models import AlertType, Severity
from bot.checkin import service as checkins
from bot.checkin import silence
from bot.checkin.delivery import CheckinSender
from bot.checkin.dispatch import DispatchReport, dispatch_due
from bot.client import graduation
from bot.conversation import service as messages
from bot.messaging import ClientMessenger
from bot.plan.render import render_graduation
from bot.services import Services
from bot.texts.silence import NUDGES

logger = logging.getLogger(__name__)

# Identifies this process's claims, so a late result never overwrites another dispatcher's.
WORKER = f"{socket.gethostname()}:{os.getpid()}"


async def dispatch_checkins(
    services: Services, sender: CheckinSender, notifier: AlertNotifier
) -> DispatchReport:
    async def blocked(client_ids: set[int]) -> None:
        for client_id in client_ids:
            await alert_blocked(services, notifier, client_id)

    return await dispatch_due(
        services.sessionmaker,
        sender,
        worker=WORKER,
        batch_size=services.settings.dispatch_batch_size,
        now=services.now,
        on_blocked=blocked,
    )


async def alert_blocked(services: Services, notifier: AlertNotifier, client_id: int) -> None:
    """Blocking the bot is told apart from silence: its own routine alert."""
    await alert_flows.raise_and_notify(
        services.sessionmaker,
        notifier,
        client_id=client_id,
        type=AlertType.blocked,
        severity=Severity.routine,
        evidence="the client blocked the bot on Telegram",
        now=services.now(),
    )


async def recover_stale_sends(services: Services) -> int:
    stale_after = timedelta(seconds=services.settings.sending_timeout_seconds)
    async with services.sessionmaker.begin() as session:
        count = await checkins.recover_stale(session, now=services.now(), stale_after=stale_after)
    if count:
        logger.warning("recovered %d check-ins left in sending by a crash", count)
    return count


async def expire_unanswered(
    services: Services, messenger: ClientMessenger, notifier: AlertNotifier
) -> int:
    """Unanswered check-ins become missed; each gets a gentle word, and N in a row an alert."""
    after = timedelta(hours=services.settings.missed_after_hours)
    async with services.sessionmaker.begin() as session:
        missed = await checkins.mark_missed(session, now=services.now(), after=after)
        nudges = await silence.nudges_for(session, missed=missed)
    for nudge in nudges:
        text = NUDGES[nudge.level].format(name=nudge.display_name, clinic=nudge.clinic_name)
        await messenger.send_text(nudge.chat_id, text)
        if nudge.alert:
            await alert_flows.raise_and_notify(
                services.sessionmaker,
                notifier,
                client_id=nudge.client_id,
                type=AlertType.missed_checkins,
                severity=Severity.routine,
                evidence=f"{silence.MISSED_IN_A_ROW_ALERT} check-ins missed in a row",
                now=services.now(),
                checkin_id=nudge.checkin_id,
            )
    return len(missed)


async def graduate(services: Services, messenger: ClientMessenger) -> int:
    """Clients at the end of their taper get a goodbye with their plan in short."""
    async with services.sessionmaker.begin() as session:
        graduates = await graduation.graduate_due(session, now=services.now())
    for grad in graduates:
        body = render_graduation(grad.plan, name=grad.display_name, clinic=grad.clinic_name)
        await messenger.send_text(grad.chat_id, body)
    return len(graduates)


async def purge_free_text(services: Services) -> int:
    async with services.sessionmaker.begin() as session:
        return await messages.purge_free_text(
            session, now=services.now(), keep_days=services.settings.free_text_retention_days
        )


async def remind_overdue_alerts(services: Services, notifier: AlertNotifier) -> int:
    return await alert_flows.remind_overdue(services.sessionmaker, notifier, now=services.now())
