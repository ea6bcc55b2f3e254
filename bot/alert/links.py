"""Where the console shows an alert, for the staff messages that point to it.

Set once per process from WEB_PUBLIC_URL (bot.services.build_services); unset, staff messages
name the command line instead.
"""

from __future__ import annotations

_console: dict[str, str | None] = {"url": None}


def use_console(public_url: str | None) -> None:
    _console["url"] = public_url.rstrip("/") if public_url else None


def alert_page(alert_id: int) -> str | None:
    base = _console["url"]
    return f"{base}/alerts/{alert_id}" if base else None
