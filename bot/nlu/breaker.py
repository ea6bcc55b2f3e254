"""A circuit breaker: after a Rasa failure, skip Rasa for a while instead of waiting on it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    """Closed: use Rasa. Open: use the fallback until `retry_after` seconds have passed."""

    def __init__(
        self,
        retry_after: float,
        clock: Callable[[], float] = time.monotonic,
        name: str = "rasa",
    ) -> None:
        self.retry_after = retry_after
        self.name = name
        self._clock = clock
        self._opened_at: float | None = None
        self.last_error: str | None = None
        self.openings = 0

    @property
    def state(self) -> str:
        """ "closed", "open" (skipping), or "half_open" (the next call is a trial)."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.retry_after:
            return "half_open"
        return "open"

    def allows_call(self) -> bool:
        """True when the protected backend should be tried for this message."""
        return self.state != "open"

    def record_success(self) -> None:
        """Closes the breaker after a good answer."""
        if self._opened_at is not None:
            log.info("%s answered again; using it from now on", self.name)
        self._opened_at = None

    def record_failure(self, error: str) -> None:
        """Opens (or re-opens) the breaker; warns once per opening."""
        self.last_error = error
        if self.state == "open":
            return
        self._opened_at = self._clock()
        self.openings += 1
        log.warning(
            "%s failed (%s); using the embedded classifier, retrying in %.0f s",
            self.name,
            error,
            self.retry_after,
        )
