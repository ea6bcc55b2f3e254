"""APScheduler is only the clock: it wakes jobs; what is due lives in the database."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alert.delivery import AlertNotifier
from bot.checkin.delivery import CheckinSender
from bot.messaging import ClientMessenger
from bot.services import Services
from scheduler import jobs


def build_clock(
    services: Services,
    sender: CheckinSender,
    notifier: AlertNotifier,
    messenger: ClientMessenger,
) -> AsyncIOScheduler:
    settings = services.settings
    clock = AsyncIOScheduler(timezone="UTC")
    # One run of each job at a time; a late tick is merged, never queued up.
    defaults = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}
    clock.add_job(
        jobs.dispatch_checkins,
        "interval",
        seconds=settings.dispatch_interval_seconds,
        args=[services, sender, notifier],
        id="dispatch_checkins",
        **defaults,
    )
    clock.add_job(
        jobs.recover_stale_sends,
        "interval",
        seconds=60,
        args=[services],
        id="recover_stale_sends",
        **defaults,
    )
    clock.add_job(
        jobs.expire_unanswered,
        "interval",
        minutes=5,
        args=[services, messenger, notifier],
        id="expire_unanswered",
        **defaults,
    )
    clock.add_job(
        jobs.graduate, "interval", minutes=30, args=[services, messenger], id="graduate", **defaults
    )
    clock.add_job(
        jobs.purge_free_text, "interval", hours=1, args=[services], id="purge", **defaults
    )
    clock.add_job(
        jobs.remind_overdue_alerts,
        "interval",
        seconds=60,
        args=[services, notifier],
        id="remind_overdue_alerts",
        **defaults,
    )
    return clock
