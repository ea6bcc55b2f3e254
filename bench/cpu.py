"""Wall time and CPU share of this process and of a child (the fake), between start and stop."""

from __future__ import annotations

import os
import time


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process `pid` (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """`with CpuClock(fake_pid) as clock:` then `clock.seconds` and `clock.share["bot"|"fake"]`
    (share of one core used by this process / by the fake over the wall time)."""

    def __init__(self, fake_pid: int | None) -> None:
        self.fake_pid = fake_pid
        self.seconds = 0.0
        self.share: dict[str, float] = {}

    def _fake_seconds(self) -> float:
        return 0.0 if self.fake_pid is None else process_cpu_seconds(self.fake_pid)

    def __enter__(self) -> CpuClock:
        self._wall, self._own = time.perf_counter(), time.process_time()
        self._fake = self._fake_seconds()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.share = {"bot": (time.process_time() - self._own) / self.seconds}
        if self.fake_pid is not None:
            self.share["fake"] = (self._fake_seconds() - self._fake) / self.seconds

    @property
    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used by "bot" (this process) and "fake" between start and stop."""
        return {name: share * self.seconds for name, share in self.share.items()}
