"""Every console page on a phone (390 and 360 px wide): no sideways scrolling, actions on screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.services import Services
from tests.web.conftest import Worlds
from tests.web.live import chromium, live_console, sign_in
from tests.web.world import PASSWORD

PHONE = {"width": 390, "height": 844}
SMALL = {"width": 360, "height": 740}
# Set to a path (e.g. docs/console-phone.png) to save the queue as a phone shows it.
SCREENSHOT = os.environ.get("AFTERCARE_PHONE_SCREENSHOT")


def _pages(worlds: Worlds) -> list[str]:
    client = f"/clients/{worlds.home.client_id}"
    return [
        "/alerts",
        f"/alerts/{worlds.home.urgent_alert_id}",
        "/returns",
        "/audit",
        "/staff",
        "/clinic",
        "/figures",
        "/clients",
        client,
        f"{client}/timeline",
        f"{client}/plan",
        "/clients/new",
    ]


async def _too_wide(page: Page, base: str, paths: list[str], width: int) -> dict[str, int]:
    wide = {}
    for path in paths:
        await page.goto(f"{base}{path}")
        scrolled = await page.evaluate("document.documentElement.scrollWidth")
        if scrolled > width:
            wide[path] = scrolled
    return wide


@pytest.mark.timeout(180)
async def test_every_page_fits_a_phone_and_take_it_is_on_screen(
    services: Services, worlds: Worlds
) -> None:
    async with live_console(services) as base, chromium() as chrome:
        page = await chrome.new_page(viewport=PHONE, device_scale_factor=2)
        await sign_in(page, base, worlds.home.emails["clinic_admin"], PASSWORD)
        assert await _too_wide(page, base, _pages(worlds), PHONE["width"]) == {}
        await page.goto(f"{base}/alerts")
        take = page.get_by_role("button", name=f"Take alert {worlds.home.urgent_alert_id}")
        await expect(take).to_be_in_viewport()
        box = await take.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        if SCREENSHOT:
            await page.screenshot(path=str(Path(SCREENSHOT)))
        await page.set_viewport_size(SMALL)
        assert await _too_wide(page, base, _pages(worlds), SMALL["width"]) == {}
