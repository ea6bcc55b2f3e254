"""The therapist's journeys in Chromium, next to the real bot talking to a fake Bot API.

Enrol a client through the wizard, read the invite's QR code back from the screen and join
with it in Telegram; edit a plan and see what changed (and /plan shows it); pause and resume
from the taper preview; try a crisis message as the client and see that nothing is kept.
The list, wizard and timeline screenshots for the README come from here
(AFTERCARE_SCREENSHOTS=docs to refresh them).
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from bot.alert.models import Alert
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.clinic.models import Clinic
from bot.console import accounts
from bot.conversation.models import ClientMessage
from bot.outbox.models import OutboxMessage
from bot.services import Services
from tests.factories import make_clinic
from tests.telegram.harness import Harness, button_with
from tests.web.conftest import Worlds
from tests.web.live import chromium, live_console, sign_in
from tests.web.world import PASSWORD, password_hash

pytestmark = pytest.mark.timeout(180)

CHAT = 26001
CRISIS = "i want to end it all tonight"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("AFTERCARE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _staff(services: Services, role: str = "therapist") -> str:
    """A console account in the (first) clinic, with a password; returns its email."""
    async with services.sessionmaker.begin() as session:
        clinic = await session.scalar(select(Clinic).limit(1)) or await make_clinic(session)
        email = f"{role}@riverside.test"
        name = {"therapist": "Dr Ana Rivera", "clinic_admin": "Jo Admin"}[role]
        member = await accounts.add(session, clinic=clinic, name=name, email=email, role=role)
        member.password_hash = password_hash()
    return email


def _decode(png: bytes) -> str:
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found.text


async def _fill_plan(page: Page) -> None:
    await page.get_by_label("Warning sign 1", exact=True).fill("Sleeping badly")
    await page.get_by_label("Warning sign 2", exact=True).fill("Cancelling plans")
    await expect(page.locator("[data-sign-count]")).to_have_text("2 of 12")
    coping = page.locator('[data-rows="coping"] [data-row]').first
    await coping.get_by_label("Action").fill("A walk before dinner, no phone")
    # The "helps with" choices follow the signs as they are typed.
    await coping.get_by_label("Cancelling plans").check()
    trigger = page.locator('[data-rows="trigger"] [data-row]').first
    await trigger.get_by_label("Situation").fill("The anniversary of Dad's death")
    await trigger.get_by_label("What to do").fill("Plan the day with Priya")
    await page.get_by_label("Closing note").fill(
        "You did the work, Alex. Coming back is always OK."
    )


async def test_enrol_through_the_wizard_then_join_with_the_qr_code(
    harness: Harness, tmp_path: Path
) -> None:
    email = await _staff(harness.services)
    today = harness.services.now().date()
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await sign_in(page, base, email, PASSWORD)
        await expect(page.get_by_role("heading", name="Clients")).to_be_visible()
        await page.get_by_role("link", name="Enrol a client").click()
        await page.get_by_label("Name (how the bot addresses them)").fill("Alex")
        await page.get_by_label("Last session").fill(today.isoformat())
        await page.get_by_label("Timezone").fill("Europe/London")
        await page.get_by_label("Check-in window (their local time)").fill("18:00-20:00")
        await page.get_by_role("button", name="Next").click()
        await expect(page.locator('[aria-current="step"]')).to_have_text("Taper")
        await page.get_by_role("button", name="Next").click()
        await expect(page.locator('[aria-current="step"]')).to_have_text("Plan")
        await _fill_plan(page)
        await page.get_by_role("heading", name="Enrol a client").scroll_into_view_if_needed()
        await page.screenshot(path=str(_shots(tmp_path) / "console-wizard.png"), full_page=False)
        await page.get_by_role("button", name="Review").click()
        await expect(page.locator('[aria-current="step"]')).to_have_text("Review")
        await expect(page.locator("table.taper")).to_contain_text("Week 52")
        await page.get_by_role("button", name="Create client and invite link").click()

        await expect(page.get_by_role("heading", name=re.compile("your aftercare"))).to_be_visible()
        shown = (await page.locator("a.invite-link").inner_text()).strip()
        link = _decode(await page.locator("[data-invite-qr] svg").screenshot())
        assert link == shown and link.startswith("https://t.me/aftercare_test_bot?start=")

    code = link.split("start=", 1)[1]
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "agree"))
    [welcome] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")
    assert "You did the work, Alex" in welcome.params["text"]
    async with harness.services.sessionmaker() as session:
        client = await session.scalar(select(Client).where(Client.display_name == "Alex"))
        assert client is not None and client.status is ClientStatus.active
        assert client.chat_id == CHAT


async def _joined(harness: Harness) -> Client:
    client = await harness.join(CHAT, name="Sam")
    await harness.link_staff_group(-100_26)
    return client


async def test_edit_a_plan_see_the_difference_and_plan_shows_it(harness: Harness) -> None:
    client = await _joined(harness)
    email = await _staff(harness.services, "clinic_admin")
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await sign_in(page, base, email, PASSWORD)
        await page.goto(f"{base}/clients/{client.id}/plan")
        await page.get_by_role("link", name="Edit the plan").click()
        await page.get_by_label("Warning sign 3", exact=True).fill("Not answering the phone")
        await page.get_by_role("button", name="Save as a new version").click()
        await expect(page.get_by_role("status")).to_contain_text("saved as a new version")
        changes = page.locator(".diff")
        await expect(changes.locator("li.added")).to_contain_text(["Not answering the phone"])
        await expect(changes.locator("li.removed")).to_contain_text(["Skipping meals"])
        await page.get_by_role("link", name="Version 1").click()
        await expect(
            page.get_by_text("The first version: nothing to compare it with")
        ).to_be_visible()
    harness.fake.push_text(CHAT, "/plan")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Not answering the phone")


async def test_pause_and_resume_from_the_taper_preview(harness: Harness) -> None:
    client = await _joined(harness)
    email = await _staff(harness.services, "clinic_admin")
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page()
        await sign_in(page, base, email, PASSWORD)
        await page.goto(f"{base}/clients/{client.id}")
        await expect(page.locator("table.taper tbody tr")).not_to_have_count(0)
        await page.get_by_role("button", name="Pause check-ins").click()
        await expect(page.get_by_role("status")).to_contain_text("Check-ins are paused")
        await expect(page.locator("dd.status")).to_have_text("Paused")
        assert (await harness.client(client.id)).status is ClientStatus.paused
        await page.get_by_role("button", name="Resume check-ins").click()
        await expect(page.get_by_role("status")).to_contain_text("running again")
        await expect(page.locator("dd.status")).to_have_text("Active")
    assert (await harness.client(client.id)).status is ClientStatus.active


async def _stored(services: Services) -> tuple[int, ...]:
    counts = []
    async with services.sessionmaker() as session:
        for kind in (ClientMessage, Alert, OutboxMessage, Checkin):
            counts.append(int(await session.scalar(select(func.count()).select_from(kind)) or 0))
    return tuple(counts)


async def test_try_a_crisis_message_as_the_client_and_nothing_is_kept(harness: Harness) -> None:
    client = await _joined(harness)
    email = await _staff(harness.services, "clinic_admin")
    sent = harness.sent_count(CHAT)
    before = await _stored(harness.services)
    async with live_console(harness.services) as base, chromium() as browser:
        page = await browser.new_page()
        await sign_in(page, base, email, PASSWORD)
        await page.goto(f"{base}/clients/{client.id}")
        await page.get_by_role("link", name="Try it as the client").click()
        await page.get_by_label("Message from Sam").fill(CRISIS)
        await page.get_by_role("button", name="Try it").click()
        result = page.locator("section.preview")
        await expect(result).to_contain_text("Would alert the clinic: Urgent · Crisis")
        await expect(result.locator(".bot-message.urgent").first).to_contain_text("Samaritans")
        await expect(result).to_contain_text("Nothing was stored or sent")
    assert await _stored(harness.services) == before
    assert harness.sent_count(CHAT) == sent


async def test_list_and_timeline_screenshots(
    services: Services, worlds: Worlds, tmp_path: Path
) -> None:
    """A therapist's week: clients in every state, and one client's months of check-ins."""
    now = services.now()
    async with services.sessionmaker.begin() as session:
        therapist = await accounts.find(session, ref=str(worlds.home.therapist_id))
        from tests.factories import make_client

        people = ["Robin Park", "Priya Shah", "Tom Ellis", "Mia Chen", "Leo Grant", "Ada Novak"]
        for n, name in enumerate(people):
            client = await make_client(
                session,
                therapist=therapist,
                now=now - timedelta(days=30 * n + 20),
                name=name,
                ending_date=(now - timedelta(days=30 * n + 20)).date(),
            )
            client.status = [
                ClientStatus.active,
                ClientStatus.active,
                ClientStatus.paused,
                ClientStatus.invited,
                ClientStatus.active,
                ClientStatus.completed,
            ][n]
            for k in range(n + 2):
                missed = n == 1 and k >= n
                due = now - timedelta(days=7 * (n + 2 - k))
                session.add(
                    Checkin(
                        client_id=client.id,
                        due_at=due,
                        kind=CheckinKind.taper,
                        status=CheckinStatus.missed if missed else CheckinStatus.answered,
                        mood=None if missed else 2 + (k + n) % 3,
                        answered_at=None if missed else due + timedelta(minutes=20),
                    )
                )
        sam = await session.get(Client, worlds.home.client_id)
        assert sam is not None
        sam.status, sam.consented_at = ClientStatus.active, now - timedelta(days=180)
        moods = [3, 4, 4, 2, 2, 3, 4, 4, 5, 4, 3, 4, 5, 5]
        for k, mood in enumerate(moods):
            due = now - timedelta(days=180 - 13 * k)
            session.add(
                Checkin(
                    client_id=sam.id,
                    due_at=due,
                    kind=CheckinKind.taper,
                    status=CheckinStatus.answered,
                    mood=mood,
                    warning_signs=[0, 2] if mood == 2 else [],
                    answered_at=due + timedelta(minutes=12),
                    note="rough week at work, walked every evening" if k == 4 else None,
                )
            )
    async with live_console(services) as base, chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 720})
        await sign_in(page, base, worlds.home.emails["therapist"], PASSWORD)
        await expect(page.locator("tr[data-client]")).to_have_count(7)
        await page.screenshot(path=str(_shots(tmp_path) / "console-clients.png"))
        await page.goto(f"{base}/clients/{worlds.home.client_id}/timeline")
        await page.get_by_label("Note (the clinic's record; the client never sees it)").fill(
            "Called Sam after the alert: safe, with his sister tonight"
        )
        await page.get_by_role("button", name="Add note").click()
        await expect(page.get_by_role("status")).to_contain_text("Note added")
        await expect(page.locator("svg.mood-chart g.sign")).to_have_count(2)
        await page.screenshot(path=str(_shots(tmp_path) / "console-timeline.png"), full_page=True)
