"""Sessions through a shift: every request by the person is activity, and a form sent after the
session ended is kept and put back once they sign in again."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from playwright.async_api import expect
from sqlalchemy import func, select

from bot.alert.models import Alert, AlertStatus
from bot.console.models import KeptForm
from bot.services import Services
from bot.web.app import create_app
from bot.web.settings import WebSettings
from tests.web.conftest import ORIGIN, Browser, Worlds
from tests.web.live import chromium, live_console, sign_in
from tests.web.test_sign_in_holds import frozen_clock
from tests.web.world import PASSWORD

NOTE = "Rang Sam at 14:05, safe with a friend tonight; booked for 9am."
KEPT = re.compile(r"data-fields='([^']*)'")


async def test_a_page_every_20_seconds_is_never_signed_out_by_a_one_minute_idle_limit(
    services: Services, worlds: Worlds
) -> None:
    web = WebSettings(  # type: ignore[call-arg]
        _env_file=None, web_public_url=ORIGIN, web_session_idle_minutes=1
    )
    app = create_app(services, web)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 5000)), base_url=ORIGIN
    ) as client:
        browser = Browser(client)
        move = frozen_clock(services)
        assert (await browser.sign_in(worlds.home.emails["duty"], PASSWORD)).status_code == 303
        for step in range(1, 16):  # five minutes of work
            move(timedelta(seconds=20))
            response = await client.get("/alerts")
            assert response.status_code == 200, f"signed out after {step * 20} s"
        # The queue's own refresh is not the person: a minute of it alone signs them out.
        live = {"hx-request": "true", "hx-trigger": "live"}
        for _ in range(2):
            move(timedelta(seconds=20))
            assert (await client.get("/alerts/live", headers=live)).status_code == 200
        move(timedelta(seconds=21))
        assert (await client.get("/alerts/live", headers=live)).status_code == 401


async def _kept_rows(services: Services) -> int:
    async with services.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(KeptForm)) or 0)


async def _expired_resolve(browser: Browser, services: Services, alert_id: int) -> httpx.Response:
    """Open the alert, then send the resolve form after the idle limit has passed."""
    page = f"{ORIGIN}/alerts/{alert_id}"
    assert (await browser.get(f"/alerts/{alert_id}")).status_code == 200
    frozen_clock(services)(timedelta(minutes=31))
    form = {"csrf_token": browser.csrf or "", "reason": "contacted_client", "note": NOTE}
    return await browser.http.post(
        f"/alerts/{alert_id}/resolve", data=form, headers={"origin": ORIGIN, "referer": page}
    )


async def test_an_expired_session_keeps_the_resolve_note_and_lands_back_on_the_alert(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    response = await _expired_resolve(browser, services, alert_id)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?notice=form_kept"
    assert NOTE not in response.headers["location"]
    notice = (await browser.get("/sign-in?notice=form_kept")).text
    assert "what you typed is kept" in notice
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None and alert.status is AlertStatus.open  # nothing was saved
        kept = await session.scalar(select(KeptForm))
        assert kept is not None and kept.page == f"/alerts/{alert_id}"

    response = await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    assert response.headers["location"] == f"/alerts/{alert_id}"
    page = (await browser.get(f"/alerts/{alert_id}")).text
    fields = json.loads(html.unescape(KEPT.search(page).group(1)))  # type: ignore[union-attr]
    assert fields == {"reason": ["contacted_client"], "note": [NOTE]}
    assert f'data-action="/alerts/{alert_id}/resolve"' in page
    assert "What you typed before is back in the form" in page
    assert await _kept_rows(services) == 0  # single use: gone once put back
    assert KEPT.search((await browser.get(f"/alerts/{alert_id}")).text) is None
    # Sent again from the page, it is saved.
    response = await browser.post(
        f"/alerts/{alert_id}/resolve", {"reason": "contacted_client", "note": NOTE}
    )
    assert response.headers["location"] == f"/alerts/{alert_id}?notice=resolved"


async def test_a_kept_form_goes_to_nobody_else_and_a_forged_one_is_not_kept(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await _expired_resolve(browser, services, alert_id)
    assert await _kept_rows(services) == 1
    # A colleague signs in on the same browser: home, and the duty member's note is deleted.
    response = await browser.sign_in(worlds.home.emails["clinic_admin"], PASSWORD)
    assert response.headers["location"] == "/"
    assert await _kept_rows(services) == 0
    assert KEPT.search((await browser.get(f"/alerts/{alert_id}")).text) is None
    # A form whose token is not the lapsed session's own (another site's forgery): not kept.
    frozen_clock(services)(timedelta(minutes=31))
    forged = await browser.http.post(
        f"/alerts/{alert_id}/resolve",
        data={"csrf_token": "forged", "reason": "duplicate", "note": "planted"},
        headers={"origin": ORIGIN, "referer": f"{ORIGIN}/alerts/{alert_id}"},
    )
    assert forged.headers["location"] == "/sign-in" and "set-cookie" not in forged.headers
    assert await _kept_rows(services) == 0


async def test_a_page_opened_after_the_session_ended_is_where_sign_in_leads(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    frozen_clock(services)(timedelta(hours=11))
    response = await browser.http.get("/returns?status=new")
    assert response.headers["location"] == "/sign-in"
    response = await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    assert response.headers["location"] == "/returns?status=new"


async def test_an_htmx_request_after_the_session_ended_keeps_its_form_too(
    app: FastAPI, browser: Browser, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await browser.get(f"/alerts/{alert_id}")
    frozen_clock(services)(timedelta(minutes=31))
    response = await browser.http.post(
        f"/alerts/{alert_id}/take",
        data={"note": "on it"},
        headers={
            "origin": ORIGIN,
            "hx-request": "true",
            "x-csrf-token": browser.csrf or "",
            "hx-current-url": f"{ORIGIN}/alerts?severity=urgent",
        },
    )
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/sign-in?notice=form_kept"
    response = await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    assert response.headers["location"] == "/alerts?severity=urgent"


@pytest.mark.timeout(120)
async def test_in_chromium_the_note_is_back_in_the_form_after_signing_in_again(
    services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    async with live_console(services) as base, chromium() as chrome:
        page = await chrome.new_page()
        await sign_in(page, base, worlds.home.emails["duty"], PASSWORD)
        await page.goto(f"{base}/alerts/{alert_id}")
        await page.get_by_label("Contacted the client").check()
        await page.get_by_label("What was done").fill(NOTE)
        frozen_clock(services)(timedelta(minutes=31))
        await page.get_by_role("button", name="Resolve").click()
        await expect(page).to_have_url(f"{base}/sign-in?notice=form_kept")
        await page.get_by_label("Email").fill(worlds.home.emails["duty"])
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page).to_have_url(f"{base}/alerts/{alert_id}")
        await expect(page.get_by_label("What was done")).to_have_value(NOTE)
        await expect(page.get_by_label("What was done")).to_be_focused()
        await expect(page.get_by_label("Contacted the client")).to_be_checked()
        await page.get_by_role("button", name="Resolve").click()
        await expect(page.get_by_role("status").first).to_contain_text("Resolved")
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None and alert.status is AlertStatus.resolved
