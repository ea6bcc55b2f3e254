"""Journeys through the console in Chromium, next to the real bot talking to a fake Bot API.

Sign in with an authenticator code; take and resolve an urgent alert from the queue and see
the staff group's message change; hand an alert over; edit crisis resources and see the next
crisis reply carry them. The queue and alert page screenshots for the README come from here
(set AFTERCARE_SCREENSHOTS=docs to refresh them).
"""

from __future__ import annotations

import asyncio
import os
import re
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.async_api import Locator, Page, expect
from sqlalchemy import select

from bot.alert.handling_models import AlertHandling
from bot.alert.models import Alert, AlertStatus
from bot.clinic.models import Clinic
from bot.console import accounts, invites
from bot.services import Services
from bot.staff.models import Staff
from tests.telegram.harness import Harness
from tests.web.conftest import Worlds
from tests.web.live import chromium, live_console, sign_in
from tests.web.world import PASSWORD, password_hash

pytestmark = pytest.mark.timeout(180)

CHAT = 16001
GROUP = -100_916
CRISIS = "i want to end it all tonight"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("AFTERCARE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


async def _clinic_staff(harness: Harness) -> dict[str, str]:
    """Duty staff and an admin, with passwords, in the clinic the harness enrolled into."""
    async with harness.services.sessionmaker.begin() as session:
        clinic = await session.scalar(select(Clinic).limit(1))
        assert clinic is not None
        emails = {}
        for name, email, role in (
            ("Dee Duty", "duty@riverside.test", "duty"),
            ("Jo Admin", "admin@riverside.test", "clinic_admin"),
        ):
            member = await accounts.add(session, clinic=clinic, name=name, email=email, role=role)
            member.password_hash = password_hash()
            emails[role] = email
    return emails


async def _urgent_alert(harness: Harness) -> int:
    """A client in crisis: resources sent, an urgent alert announced in the staff group."""
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.push_text(CHAT, CRISIS)
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT", timeout=15)

    async def announced() -> bool:
        async with harness.services.sessionmaker() as session:
            alert = await session.scalar(select(Alert))
            return alert is not None and alert.staff_message_id is not None

    await harness.eventually(announced, "the group message id on the alert", within=10)
    async with harness.services.sessionmaker() as session:
        alert = await session.scalar(select(Alert))
        assert alert is not None
        return alert.id


async def test_an_invited_colleague_sets_a_password_and_code_is_signed_in_then_signs_in_again(
    services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, worlds.home.clinic_id)
        assert clinic is not None
        newcomer = await accounts.add(
            session, clinic=clinic, name="Nia New", email="nia@riverside.test", role="duty"
        )
        code = await invites.issue(session, staff=newcomer, by="test", now=services.now())
    async with live_console(services) as base, chromium() as browser:
        page = await browser.new_page()
        await page.goto(invites.link(base, code))
        await expect(page.get_by_role("heading", name="Welcome, Nia New")).to_be_visible()
        await page.get_by_label("New password", exact=True).fill(PASSWORD)
        await page.get_by_label("New password again").fill(PASSWORD)
        secret = (await page.locator("code.secret").inner_text()).strip()
        await page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).at(services.now()))
        await page.get_by_role("button", name="Set password").click()
        # The invite ends signed in.
        await expect(page.get_by_role("heading", name="Alert queue")).to_be_visible()
        await page.get_by_role("button", name="Sign out", exact=True).click()

        # The next code: the one used to set the app up works once more, then not again.
        later = services.now() + timedelta(seconds=30)
        services.now = lambda: later
        await sign_in(page, base, "nia@riverside.test", PASSWORD)
        await expect(page).to_have_url(f"{base}/sign-in/code")
        await page.get_by_label("Code").fill(pyotp.TOTP(secret).at(later))
        await page.get_by_role("button", name="Continue").click()
        await expect(page.get_by_role("heading", name="Alert queue")).to_be_visible()
        await expect(page).to_have_title(re.compile(r"^\(2\) Alert queue"))

        await page.get_by_role("button", name="Sign out", exact=True).click()
        await expect(page.get_by_role("status")).to_have_text("You are signed out.")
        await page.goto(f"{base}/alerts")
        await expect(page).to_have_url(f"{base}/sign-in")


async def test_take_and_resolve_an_urgent_alert_and_the_staff_group_shows_it(
    harness: Harness, tmp_path: Path
) -> None:
    alert_id = await _urgent_alert(harness)
    emails = await _clinic_staff(harness)
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await sign_in(page, base, emails["duty"], PASSWORD)
        row = page.locator(f'tr[data-alert="{alert_id}"]')
        await expect(row).to_contain_text("Urgent")
        await expect(row).to_contain_text("left")
        await expect(page).to_have_title(re.compile(r"^\(1\) Alert queue"))
        await row.get_by_role("button", name=f"Take alert {alert_id}").click()
        await expect(page.get_by_role("status")).to_contain_text("You have taken this alert")
        await expect(row).to_contain_text("Dee Duty (console)")
        await expect(page).to_have_title(re.compile(r"^\(0\) Alert queue"))
        [edit] = await harness.fake.wait_for_call(
            "editMessageText", GROUP, text_contains="Acknowledged by Dee Duty (console)"
        )
        assert edit.params["reply_markup"]  # still open: the buttons stay

        await row.get_by_role("link", name=f"#{alert_id}").click()
        await expect(page.get_by_role("heading", name=f"Alert #{alert_id}")).to_contain_text(
            "Urgent · Crisis"
        )
        await expect(_section(page, "Crisis resources")).to_contain_text("Delivered to the client")
        await expect(_section(page, "Why it was raised")).to_contain_text(CRISIS)
        await page.screenshot(path=str(_shots(tmp_path) / "console-alert.png"), full_page=True)
        await page.get_by_label("Contacted the client").check()
        await page.get_by_label("What was done").fill("Called Sam, safe with sister tonight")
        await page.get_by_role("button", name="Resolve").click()
        await expect(page.get_by_role("status")).to_contain_text("Resolved")
        await expect(page.locator("ol.trail")).to_contain_text("Contacted the client · Called Sam")

    [resolved] = await harness.fake.wait_for_call(
        "editMessageText", GROUP, text_contains="Resolved by Dee Duty (console)"
    )
    assert not resolved.params.get("reply_markup")  # resolved: no buttons left
    async with harness.services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None and alert.status is AlertStatus.resolved
        reasons = await session.scalars(select(AlertHandling.reason))
        assert list(reasons) == ["contacted_client"]


async def test_hand_an_alert_over_and_it_is_in_the_colleagues_queue(harness: Harness) -> None:
    alert_id = await _urgent_alert(harness)
    emails = await _clinic_staff(harness)
    async with live_console(harness.services) as base, chromium() as browser:
        duty = await (await browser.new_context()).new_page()
        await sign_in(duty, base, emails["duty"], PASSWORD)
        await duty.goto(f"{base}/alerts/{alert_id}")
        await duty.get_by_role("button", name="Take it").click()
        await duty.get_by_label("Hand over to").select_option(label="Jo Admin (Clinic admin)")
        await duty.get_by_label("Note for them").fill("Please call after 6pm")
        await duty.get_by_role("button", name="Hand over").click()
        await expect(duty.get_by_role("status")).to_contain_text("Handed over")
        await expect(duty.locator("ol.trail")).to_contain_text("to Jo Admin: Please call after 6pm")

        admin = await (await browser.new_context()).new_page()
        await sign_in(admin, base, emails["clinic_admin"], PASSWORD)
        await admin.goto(f"{base}/alerts?who=mine")
        mine = admin.locator(f'tr[data-alert="{alert_id}"]')
        await expect(mine).to_contain_text("Jo Admin (handed over by Dee Duty)")
        await expect(mine).to_contain_text("Handed to you")
        await duty.goto(f"{base}/alerts?who=mine")
        await expect(duty.locator(f'tr[data-alert="{alert_id}"]')).to_have_count(0)

        # The new holder writes to the client from the alert page; the answer comes back here.
        await mine.get_by_role("link", name=f"#{alert_id}").click()
        await expect(_section(admin, "How to reach them")).to_contain_text("Dr Ana Rivera")
        await admin.get_by_label("Message").fill("Hi, it's Jo from the clinic. Can I call?")
        await admin.get_by_role("button", name="Send").click()
        await expect(admin.get_by_role("status")).to_contain_text("on its way to the client")
        await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="— Jo, ")
        harness.fake.push_text(CHAT, "yes, after 6 please")
        trail = admin.locator("ol.trail")
        for _ in range(50):
            await admin.reload()
            if "The client replied" in await trail.inner_text():
                break
            await asyncio.sleep(0.2)
        await expect(trail).to_contain_text("The client replied · client · yes, after 6 please")
    await harness.fake.wait_for_call(
        "editMessageText", GROUP, text_contains="Acknowledged by Jo Admin (handed over by Dee Duty)"
    )


async def test_edited_crisis_resources_reach_the_next_client_in_crisis(harness: Harness) -> None:
    await harness.join(CHAT)
    emails = await _clinic_staff(harness)
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page()
        await sign_in(page, base, emails["clinic_admin"], PASSWORD)
        await page.goto(f"{base}/clinic")
        add = page.locator("form", has_text="Add a crisis resource")
        await add.get_by_label("Name").fill("Lifeline North")
        await add.get_by_label("Number").fill("0800 123 4567")
        await add.get_by_label("Hours").fill("24/7, free")
        await add.get_by_role("button", name="Add").click()
        await expect(page.get_by_role("status")).to_contain_text("Crisis resources saved")
        await expect(page.locator("pre.resources")).to_have_text(
            "Lifeline North: 0800 123 4567 (24/7, free)"
        )
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, CRISIS)
    [*_, reply] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="Lifeline North: 0800 123 4567 (24/7, free)", timeout=15
    )
    first = next(c for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok)
    assert first is reply and "116 123" not in reply.params["text"]


async def test_the_queue_refreshes_itself_and_its_tab_title(
    services: Services, worlds: Worlds, tmp_path: Path
) -> None:
    async with services.sessionmaker.begin() as session:
        urgent = await session.get(Alert, worlds.home.urgent_alert_id)
        assert urgent is not None
        urgent.deadline_at = services.now() - timedelta(minutes=7)
    async with live_console(services) as base, chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 560})
        await sign_in(page, base, worlds.home.emails["duty"], PASSWORD)
        await expect(page).to_have_title(re.compile(r"^\(2 · 1 overdue\) Alert queue"))
        overdue = page.locator(f'tr[data-alert="{worlds.home.urgent_alert_id}"]')
        await expect(overdue).to_have_class(re.compile("overdue"))
        await expect(overdue).to_contain_text("Overdue by 7 min")
        async with services.sessionmaker.begin() as session:
            alert = await session.get(Alert, worlds.home.routine_alert_id)
            duty = await session.get(Staff, worlds.home.admin_id)
            assert alert is not None and duty is not None
            alert.status = AlertStatus.acknowledged
            alert.acknowledged_by = "Jo Admin (telegram)"
        await expect(page).to_have_title(
            re.compile(r"^\(1 · 1 overdue\) Alert queue"), timeout=8000
        )
        row = page.locator(f'tr[data-alert="{worlds.home.routine_alert_id}"]')
        await expect(row).to_contain_text("Jo Admin (telegram)")
        await page.screenshot(path=str(_shots(tmp_path) / "console-queue.png"))
