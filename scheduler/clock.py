"""APScheduler is only the clock: it wakes jobs; what is due lives in the database."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services import Services
from scheduler import jobs

logger = logging.getLogger(__name__)


class Clock:
    """The scheduler plus the jobs running right now, so stopping lets them finish their work."""

    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.running: set[asyncio.Task[Any]] = set()

    def add(self, job: Callable[..., Awaitable[Any]], seconds: float, args: list[Any]) -> None:
        @functools.wraps(job)
        async def tracked(*job_args: Any) -> Any:
            task = asyncio.current_task()
            assert task is not None
            self.running.add(task)
            try:
                return await job(*job_args)
            finally:
                self.running.discard(task)

        # One run of each job at a time; a late tick is merged, never queued up.
        self.scheduler.add_job(
            tracked,
            "interval",
            seconds=seconds,
            args=args,
            id=job.__name__,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=60,
        )

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self, grace: float = 10.0) -> None:
        """No new runs; wait (up to `grace` s) for running jobs, so no send is cut in half."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        if self.running:
            _, late = await asyncio.wait(set(self.running), timeout=grace)
            if late:
                logger.warning("%d job(s) still running at shutdown; they are cancelled", len(late))
        self.scheduler.shutdown(wait=False)


def build_clock(services: Services) -> Clock:
    settings = services.settings
    clock = Clock()
    clock.add(jobs.dispatch_checkins, settings.dispatch_interval_seconds, [services])
    clock.add(jobs.recover_orphaned_checkins, 300, [services])
    clock.add(jobs.expire_unanswered, 300, [services])
    clock.add(jobs.graduate, 1800, [services])
    clock.add(jobs.purge_free_text, 3600, [services])
    clock.add(jobs.remind_overdue_alerts, 60, [services])
    clock.add(jobs.expire_questions, 30, [services])
    clock.add(jobs.remind_screeners, 300, [services])
    return clock
