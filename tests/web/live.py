"""The console served over HTTP on loopback, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.services import Services
from bot.web.app import build_server
from bot.web.settings import WebSettings

CHROMIUM = Path("/usr/bin/chromium")
HAVE_CHROMIUM = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@asynccontextmanager
async def live_console(services: Services) -> AsyncIterator[str]:
    """The console on a free loopback port, in this event loop; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    web = WebSettings(  # type: ignore[call-arg]
        _env_file=None, web_host="127.0.0.1", web_port=port, web_refresh_seconds=1
    )
    server = build_server(services, web)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.025)
        assert server.started, "the console did not start"
        yield web.public_url
    finally:
        server.should_exit = True
        await task
        listener.close()


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def sign_in(page: Page, base: str, email: str, password: str) -> None:
    """Fill the sign-in form the way a person does: by its labels."""
    await page.goto(f"{base}/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
