"""The queues' live refresh never destroys input, and a save that meets a changed row says so."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from playwright.async_api import Page, Request, expect

from bot.alert import service as alerts
from bot.alert.models import AlertType, Severity
from bot.audit import service as audit
from bot.client.models import Client
from bot.return_request import service as returns
from bot.return_request.models import ReturnRequest, ReturnStatus
from bot.services import Services
from bot.web import texts
from tests.factories import make_client
from tests.web.conftest import Browsers, Worlds
from tests.web.live import chromium, live_console, sign_in
from tests.web.world import PASSWORD

SEEN = re.compile(r'name="seen" value="([^"]+)"')
NOTE = "Booked with Dr Rivera, Tuesday 10:00; Sam prefers a morning call."


async def _request(services: Services, request_id: int) -> ReturnRequest:
    async with services.sessionmaker() as session:
        found = await session.get(ReturnRequest, request_id)
        assert found is not None
        return found


async def test_a_save_that_meets_a_changed_request_shows_both_and_overwrites_nothing(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    request_id = worlds.home.return_request_id
    first = await browsers.signed_in(worlds.home.duty_id)
    second = await browsers.signed_in(worlds.home.admin_id)
    shown = SEEN.search((await first.get("/returns")).text)
    assert shown is not None
    # A colleague records a call while the first person is still typing.
    await second.get("/returns")
    done = await second.post(
        f"/returns/{request_id}/status", {"status": "contacted", "note": "Left a voicemail"}
    )
    assert done.status_code == 303
    clash = await first.post(
        f"/returns/{request_id}/status",
        {"status": "booked", "note": "Booked for Tuesday", "seen": html.unescape(shown.group(1))},
    )
    assert clash.status_code == 409
    page = html.unescape(clash.text)
    assert texts.CHANGED_MEANWHILE in page
    assert "Contacted: “Left a voicemail”" in page and "Booked: “Booked for Tuesday”" in page
    assert 'value="Booked for Tuesday"' in page and '<option value="booked" selected>' in page
    kept = await _request(services, request_id)
    assert kept.status is ReturnStatus.contacted and kept.staff_note == "Left a voicemail"
    # Seen afresh, the same choice saves.
    again = SEEN.search(clash.text)
    assert again is not None
    saved = await first.post(
        f"/returns/{request_id}/status",
        {"status": "booked", "note": "Booked for Tuesday", "seen": html.unescape(again.group(1))},
    )
    assert saved.status_code == 303
    assert (await _request(services, request_id)).status is ReturnStatus.booked


def _count_refreshes(page: Page, path: str) -> list[str]:
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if path in request.url:
            seen.append(request.url)

    page.on("request", on_request)
    return seen


async def _wait_for_refreshes(refreshes: list[str], count: int, page: Page) -> None:
    start = len(refreshes)
    for _ in range(100):
        if len(refreshes) >= start + count:
            await page.wait_for_timeout(300)  # let the last one be merged
            return
        await page.wait_for_timeout(100)
    raise AssertionError("the queue did not refresh")


@pytest.mark.timeout(120)
async def test_in_chromium_a_typed_note_survives_two_refreshes_and_is_what_is_saved(
    services: Services, worlds: Worlds
) -> None:
    request_id = worlds.home.return_request_id
    async with live_console(services) as base, chromium() as chrome:
        page = await chrome.new_page()
        refreshes = _count_refreshes(page, "/returns/live")
        await sign_in(page, base, worlds.home.emails["duty"], PASSWORD)
        await page.goto(f"{base}/returns")
        await page.get_by_label("New status").select_option("booked")
        await page.get_by_label("Note").fill(NOTE)
        # Meanwhile another client asks to come back: the refresh shows them, around the row.
        async with services.sessionmaker.begin() as session:
            clinic_client = await session.get(Client, worlds.home.client_id)
            assert clinic_client is not None
            other = await make_client(
                session, therapist=clinic_client.therapist, now=services.now(), name="Alex Lee"
            )
            await returns.request(session, client=other, via="message", now=services.now())
        await _wait_for_refreshes(refreshes, 2, page)
        await expect(page.get_by_label("Note").first).to_be_focused()
        await expect(page.locator("tbody tr")).to_have_count(2)
        row = page.locator(f'[data-key="return-{request_id}"]')
        await expect(row.get_by_label("Note")).to_have_value(NOTE)
        await expect(row.get_by_label("New status")).to_have_value("booked")
        await expect(page).to_have_title(re.compile(r"^\(2\) Return requests"))
        await row.get_by_role("button", name="Save").click()
        await expect(page.get_by_role("status").first).to_contain_text("updated")
    saved = await _request(services, request_id)
    assert saved.status is ReturnStatus.booked and saved.staff_note == NOTE


@pytest.mark.timeout(120)
async def test_in_chromium_a_change_by_someone_else_is_flagged_and_the_save_shows_both(
    services: Services, worlds: Worlds
) -> None:
    request_id = worlds.home.return_request_id
    async with live_console(services) as base, chromium() as chrome:
        page = await chrome.new_page()
        refreshes = _count_refreshes(page, "/returns/live")
        await sign_in(page, base, worlds.home.emails["duty"], PASSWORD)
        await page.goto(f"{base}/returns")
        await page.get_by_label("New status").select_option("declined")
        await page.get_by_label("Note").fill("Sam says no for now")
        async with services.sessionmaker.begin() as session:
            await returns.update_status(
                session,
                request_id=request_id,
                status="contacted",
                note="Rang, no answer",
                now=services.now() + timedelta(seconds=1),
                by=audit.CLI,
            )
        await _wait_for_refreshes(refreshes, 2, page)
        await expect(page.get_by_label("Note")).to_have_value("Sam says no for now")
        await expect(page.locator("[data-changed-note]")).to_be_visible()
        await page.get_by_role("button", name="Save").click()
        await expect(page.get_by_role("alert")).to_contain_text("Someone changed this request")
        await expect(page.get_by_role("alert")).to_contain_text("Rang, no answer")
        await expect(page.get_by_role("alert")).to_contain_text("Sam says no for now")
        await expect(page.get_by_label("Note")).to_have_value("Sam says no for now")
    kept = await _request(services, request_id)
    assert kept.status is ReturnStatus.contacted and kept.staff_note == "Rang, no answer"


NOTIFIED = """
window.__notified = [];
window.Notification = function (title) { window.__notified.push(title); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""


@pytest.mark.timeout(120)
async def test_in_chromium_the_title_counts_overdue_and_a_new_urgent_alert_notifies(
    services: Services, worlds: Worlds
) -> None:
    async with live_console(services) as base, chromium() as chrome:
        page = await chrome.new_page()
        await page.add_init_script(NOTIFIED)
        refreshes = _count_refreshes(page, "/alerts/live")
        await sign_in(page, base, worlds.home.emails["duty"], PASSWORD)
        await page.goto(f"{base}/alerts")
        await expect(page).to_have_title(re.compile(r"^\(2\) Alert queue"))
        await expect(page.get_by_text("Notifications on for new urgent alerts.")).to_be_visible()
        sound = page.get_by_label("Sound with a new urgent alert")
        await sound.uncheck()
        await page.get_by_role("link", name=f"#{worlds.home.urgent_alert_id}").focus()
        async with services.sessionmaker.begin() as session:
            client = await session.get(Client, worlds.home.client_id)
            assert client is not None
            fresh, _ = await alerts.raise_alert(
                session,
                client=client,
                type=AlertType.return_request,
                severity=Severity.urgent,
                evidence="asked to come back",
                now=services.now() - timedelta(hours=2),
            )
            fresh_id = fresh.id
        await _wait_for_refreshes(refreshes, 2, page)
        await expect(page).to_have_title(re.compile(r"^\(3 · 1 overdue\) Alert queue"))
        assert await page.evaluate("window.__notified") == [
            f"Urgent alert #{fresh_id}: {texts.ALERT_TYPE['return_request']}, "
            + await page.locator(
                f'[data-key="alert-{fresh_id}"] td[data-label="Client"]'
            ).inner_text()
        ]
        await expect(
            page.get_by_role("link", name=f"#{worlds.home.urgent_alert_id}")
        ).to_be_focused()
        assert await page.evaluate("localStorage.getItem('aftercare.urgent-sound')") == "off"
        assert await page.evaluate("document.documentElement.dataset.beeps") is None
        await page.reload()
        await expect(page.get_by_label("Sound with a new urgent alert")).not_to_be_checked()
