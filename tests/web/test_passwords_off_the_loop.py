"""argon2 runs on worker threads: the event loop (the bot's too) keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.console import passwords
from tests.web.conftest import Browser, Worlds
from tests.web.world import PASSWORD, password_hash


async def test_the_loop_keeps_running_while_a_password_is_checked() -> None:
    stored = password_hash()
    checking = asyncio.create_task(passwords.check_password(stored, PASSWORD))
    turns = 0
    while not checking.done():
        turns += 1
        await asyncio.sleep(0.001)
    # On the loop's own thread the check would finish before the loop came round a second time.
    assert turns >= 5
    assert checking.result().ok
    hashing = asyncio.create_task(passwords.new_hash("another long passphrase"))
    turns = 0
    while not hashing.done():
        turns += 1
        await asyncio.sleep(0.001)
    assert turns >= 5 and hashing.result().startswith("$argon2id$")


async def test_other_requests_are_answered_while_a_sign_in_is_checked(
    browser: Browser, worlds: Worlds, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[tuple[float, float]] = []
    check = passwords._check

    def timed(stored: str | None, password: str) -> passwords.Checked:
        started = time.perf_counter()
        try:
            return check(stored, password)
        finally:
            checks.append((started, time.perf_counter()))

    monkeypatch.setattr(passwords, "_check", timed)
    await browser.get("/sign-in")
    signing_in = asyncio.create_task(
        browser.post("/sign-in", {"email": worlds.home.emails["duty"], "password": PASSWORD})
    )
    answered_at = []
    while not signing_in.done():
        assert (await browser.http.get("/healthz")).status_code == 200
        answered_at.append(time.perf_counter())
    assert (await signing_in).status_code == 303
    [(started, ended)] = checks
    assert any(started < at < ended for at in answered_at)
