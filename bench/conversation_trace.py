"""Where a reply's time goes inside the bot (`--trace`): timing wrappers put on one running
`Runtime` instance's objects (never on the product's code), read out as a table."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event

from bot.nlu.evaluation import percentile
from bot.runtime import Runtime

STATEMENT = re.compile(
    r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b(?:.*?\bFROM\b)?\s*(\w+)", re.S
)


def statement_kind(statement: str) -> str:
    """The verb and the first table named, like "SELECT clients" or "INSERT INTO alerts"."""
    found = STATEMENT.match(statement)
    return f"{found.group(1)} {found.group(2)}" if found else statement.split(None, 1)[0][:20]


class Trace:
    """Durations (ms) per stage, and the most updates and DB connections in use at once."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.peak: dict[str, int] = defaultdict(int)
        self._now: dict[str, int] = defaultdict(int)

    def _enter(self, gauge: str) -> None:
        self._now[gauge] += 1
        self.peak[gauge] = max(self.peak[gauge], self._now[gauge])

    def _timed(self, stage: Callable[..., str], call: Callable[..., Awaitable[Any]]) -> Any:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await call(*args, **kwargs)
            finally:
                self.ms[stage(*args, **kwargs)].append((time.perf_counter() - started) * 1000)

        return timed

    def install(self, runtime: Runtime) -> None:
        """Wrap this runtime's update processor, both Bots' API requests, the outbox sender,
        NLU and database pool."""
        processor = runtime.application.update_processor
        process = processor.do_process_update

        async def handled(update: object, coroutine: Awaitable[Any]) -> None:
            self._enter("updates in progress")
            try:
                await self._timed(lambda *_, **__: "update, whole handler", process)(
                    update, coroutine
                )
            finally:
                self._now["updates in progress"] -= 1

        processor.do_process_update = handled  # type: ignore[method-assign]
        # The application's Bot answers callback queries; the outbox's Bot sends everything else.
        for label, bot in (
            ("bot api ", runtime.application.bot),
            ("outbox api ", runtime.outbox.bot),
        ):
            request = bot._request[1]
            request.do_request = self._timed(  # type: ignore[method-assign]
                lambda url, *_, label=label, **__: label + url.rsplit("/", 1)[-1],
                request.do_request,
            )
        sender = runtime.outbox
        sender._send_safely = self._timed(  # type: ignore[method-assign]
            lambda *_, **__: "outbox row, pacer + api", sender._send_safely
        )
        sender.drain.fill = self._timed(  # type: ignore[method-assign]
            lambda *_, **__: "outbox claim (fill free places)", sender.drain.fill
        )
        understander = runtime.services.understander
        understander.understand = self._timed(  # type: ignore[method-assign]
            lambda *_, **__: "nlu understand", understander.understand
        )
        pool = runtime.services.engine.sync_engine.pool
        connect = pool.connect

        def timed_connect() -> Any:
            started = time.perf_counter()
            try:
                return connect()
            finally:
                self.ms["db connection wait"].append((time.perf_counter() - started) * 1000)

        pool.connect = timed_connect  # type: ignore[method-assign]
        event.listen(pool, "checkout", self._checkout)
        event.listen(pool, "checkin", self._checkin)
        sync_engine = runtime.services.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._statement_starts)
        event.listen(sync_engine, "after_cursor_execute", self._statement_ends)

    def _statement_starts(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        conn.info.setdefault("bench_sql", []).append(time.perf_counter())

    def _statement_ends(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        stack = conn.info.get("bench_sql")
        if not stack:  # began before the trace was installed
            return
        started = stack.pop()
        self.ms["sql " + statement_kind(statement)].append((time.perf_counter() - started) * 1000)

    def _checkout(self, _dbapi: Any, record: Any, _proxy: Any) -> None:
        record.info["bench_out"] = time.perf_counter()
        self._enter("db connections out")

    def _checkin(self, _dbapi: Any, record: Any) -> None:
        out = record.info.pop("bench_out", None)
        if out is not None:
            self.ms["db connection held"].append((time.perf_counter() - out) * 1000)
            self._now["db connections out"] -= 1

    def lines(self) -> list[str]:
        """One line per stage: count, p50, p99, max and total seconds; then the peaks."""
        out = [f"{'stage':<34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'total s':>8}"]
        for stage in sorted(self.ms):
            values = self.ms[stage]
            out.append(
                f"{stage:<34} {len(values):>6} {percentile(values, 50):>8.1f} "
                f"{percentile(values, 99):>8.1f} {max(values):>8.1f} {sum(values) / 1000:>8.1f}"
            )
        out += [f"peak {gauge}: {n}" for gauge, n in sorted(self.peak.items())]
        return out
