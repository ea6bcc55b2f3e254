"""Signing in: one answer for every refusal, holds, argon2id rehash, TOTP, sign out, idling."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import httpx
import pyotp
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select

from bot.clinic.models import Clinic
from bot.console.models import ConsoleSession
from bot.console.passwords import HASHER
from bot.services import Services
from bot.staff.models import Staff
from bot.web.settings import WebSettings
from tests.web.conftest import ORIGIN, Browser, Worlds
from tests.web.world import PASSWORD

ERROR = re.compile(r'<p class="error" role="alert">([^<]*)</p>')


async def _staff(services: Services, staff_id: int) -> Staff:
    async with services.sessionmaker() as session:
        found = await session.get(Staff, staff_id)
        assert found is not None
        return found


def _later(services: Services, delta: timedelta) -> None:
    start = services.now()
    services.now = lambda: start + delta


def _session_cookie(browser: Browser) -> str | None:
    return browser.http.cookies.get("aftercare_session")


async def test_the_sign_in_page_asks_for_email_and_password(browser: Browser) -> None:
    page = (await browser.get("/sign-in")).text
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert '<button type="submit">Sign in</button>' in page


async def test_every_refusal_gets_the_same_answer(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        therapist = await session.get(Staff, worlds.home.therapist_id)
        assert therapist is not None
        therapist.password_hash = None  # invited, no password yet
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        duty.deactivated_at = services.now()
    answers = set()
    for email, password in (
        (worlds.home.emails["clinic_admin"], "not the password at all"),
        ("nobody@riverside.test", PASSWORD),
        (worlds.home.emails["therapist"], PASSWORD),
        (worlds.home.emails["duty"], PASSWORD),
    ):
        response = await browser.sign_in(email, password)
        found = ERROR.search(response.text)
        assert found is not None
        answers.add((response.status_code, found.group(1)))
        assert _session_cookie(browser) is None
    assert answers == {
        (401, "That email and password don&#39;t match an account that can sign in.")
    }


async def test_failures_hold_back_an_address_for_an_email_known_or_not_the_same_way(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    admin = worlds.home.emails["clinic_admin"]
    start = services.now()
    services.now = lambda: start  # the same instant: both holds have the same time left
    for email in (admin, "nobody@riverside.test"):
        for _ in range(5):
            assert (await browser.sign_in(email, "wrong password here")).status_code == 401
    held_known = await browser.sign_in(admin, PASSWORD)
    held_unknown = await browser.sign_in("nobody@riverside.test", PASSWORD)
    assert held_known.status_code == held_unknown.status_code == 429
    assert held_known.headers["retry-after"] == held_unknown.headers["retry-after"] == "15"
    message = ERROR.search(held_known.text).group(1)  # type: ignore[union-attr]
    assert message == ERROR.search(held_unknown.text).group(1)  # type: ignore[union-attr]
    assert "wait 15 seconds" in message and "unlock" in message and "invite" not in message
    assert _session_cookie(browser) is None
    services.now = lambda: start + timedelta(seconds=16)
    response = await browser.sign_in(admin, PASSWORD)
    assert response.status_code == 303 and _session_cookie(browser)


async def test_twenty_failures_from_one_address_lock_it_for_every_email(
    app: FastAPI, browser: Browser, worlds: Worlds
) -> None:
    for n in range(20):
        await browser.sign_in(f"guess{n}@riverside.test", "wrong password here")
    assert (await browser.sign_in(worlds.home.emails["duty"], PASSWORD)).status_code == 429
    elsewhere = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("198.51.100.9", 40000)), base_url=ORIGIN
    )
    async with elsewhere:
        other = Browser(elsewhere)
        assert (await other.sign_in(worlds.home.emails["duty"], PASSWORD)).status_code == 303


async def test_an_old_hash_is_replaced_by_a_current_argon2id_hash_at_sign_in(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        duty.password_hash = weak
    assert (await browser.sign_in(worlds.home.emails["duty"], PASSWORD)).status_code == 303
    stored = (await _staff(services, worlds.home.duty_id)).password_hash
    assert stored is not None and stored != weak and stored.startswith("$argon2id$")
    assert not HASHER.check_needs_rehash(stored) and HASHER.verify(stored, PASSWORD)


async def test_each_sign_in_gets_a_new_256_bit_token_stored_only_as_a_hash(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    email = worlds.home.emails["duty"]
    await browser.sign_in(email, PASSWORD)
    first = _session_cookie(browser)
    assert first is not None and len(first) >= 43  # 32 random bytes in base64url
    # A token planted in the browser (session fixation) is never the one signed in with.
    planted = "planted-by-someone-else-0123456789abcdefghijk"
    browser.http.cookies.set("aftercare_session", planted, domain="console.test")
    assert (await browser.sign_in(email, PASSWORD)).status_code == 303
    second = _session_cookie(browser)
    assert second is not None and second not in (first, planted)
    async with services.sessionmaker() as session:
        rows = list(await session.scalars(select(ConsoleSession).order_by(ConsoleSession.id)))
    assert [r.token_hash for r in rows] == [
        hashlib.sha256(t.encode()).hexdigest() for t in (first, second)
    ]
    browser.http.cookies.set("aftercare_session", first, domain="console.test")
    assert (await browser.http.get("/alerts")).status_code == 200  # the first browser's own
    assert (await browser.post("/sign-out", csrf=rows[0].csrf_token)).status_code == 303
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"


async def _with_code(services: Services, staff_id: int) -> str:
    secret = pyotp.random_base32()
    async with services.sessionmaker.begin() as session:
        staff = await session.get(Staff, staff_id)
        assert staff is not None
        staff.totp_secret = secret
    return secret


async def test_a_code_is_needed_after_the_password_and_each_code_works_once(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    secret = await _with_code(services, worlds.home.duty_id)
    email = worlds.home.emails["duty"]
    response = await browser.sign_in(email, PASSWORD)
    assert response.headers["location"] == "/sign-in/code"
    half_way = _session_cookie(browser)
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"
    page = await browser.get("/sign-in/code")
    assert '<label for="code">Code</label>' in page.text
    assert (await browser.post("/sign-in/code", {"code": "000000"})).status_code == 401
    code = pyotp.TOTP(secret).at(services.now())
    response = await browser.post("/sign-in/code", {"code": code})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert _session_cookie(browser) not in (None, half_way)
    assert (await browser.get("/alerts")).status_code == 200
    # The same code again, in a new sign-in: refused, with the advice to wait for the next.
    await browser.sign_in(email, PASSWORD)
    await browser.get("/sign-in/code")
    again = await browser.post("/sign-in/code", {"code": code})
    assert again.status_code == 401 and "wait for the next code" in again.text


async def test_wrong_codes_count_towards_the_lockout(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await _with_code(services, worlds.home.duty_id)
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await browser.get("/sign-in/code")
    for _ in range(5):
        assert (await browser.post("/sign-in/code", {"code": "123456"})).status_code == 401
    assert (await browser.post("/sign-in/code", {"code": "123456"})).status_code == 429


async def test_a_clinic_that_requires_codes_has_staff_set_one_up_at_sign_in(
    browser: Browser, services: Services, worlds: Worlds, web_settings: WebSettings
) -> None:
    async with services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, worlds.home.clinic_id)
        assert clinic is not None
        clinic.require_totp = True
    response = await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    assert response.headers["location"] == "/sign-in/set-up-code"
    page = (await browser.get("/sign-in/set-up-code")).text
    assert "<svg" in page and "requires a code" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)  # type: ignore[union-attr]
    assert (await browser.post("/sign-in/set-up-code", {"code": "000000"})).status_code == 401
    code = pyotp.TOTP(secret).at(services.now())
    response = await browser.post("/sign-in/set-up-code", {"code": code})
    assert response.headers["location"] == "/"
    stored = (await _staff(services, worlds.home.duty_id)).totp_secret
    assert stored is not None and secret not in stored
    keyring = web_settings.console_keys.totp
    assert keyring.open(stored, staff_id=worlds.home.duty_id) == secret


async def test_sign_out_ends_this_session_and_sign_out_everywhere_ends_all(
    app: FastAPI, browser: Browser, worlds: Worlds
) -> None:
    email = worlds.home.emails["duty"]
    second = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN)
    async with second:
        phone = Browser(second)
        await browser.sign_in(email, PASSWORD)
        await phone.sign_in(email, PASSWORD)
        await browser.get("/alerts")
        response = await browser.post("/sign-out")
        assert response.headers["location"] == "/sign-in?notice=signed_out"
        assert (await browser.http.get("/alerts")).status_code == 303
        assert (await phone.get("/alerts")).status_code == 200
        await browser.sign_in(email, PASSWORD)
        await browser.get("/alerts")
        await browser.post("/sign-out-everywhere")
        assert (await phone.http.get("/alerts")).headers["location"] == "/sign-in"
        assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"


async def test_thirty_idle_minutes_end_a_session_and_activity_keeps_it(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    start = services.now()
    for minutes in (20, 40, 60):
        services.now = lambda m=minutes: start + timedelta(minutes=m)  # type: ignore[misc]
        assert (await browser.http.get("/alerts")).status_code == 200, minutes
    services.now = lambda: start + timedelta(minutes=91)
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"


async def test_ten_hours_end_a_session_however_active(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    start = services.now()
    for minutes in range(20, 600, 20):
        services.now = lambda m=minutes: start + timedelta(minutes=m)  # type: ignore[misc]
        assert (await browser.http.get("/alerts")).status_code == 200, minutes
    services.now = lambda: start + timedelta(minutes=601)
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"


async def test_the_queues_live_refresh_is_not_activity(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    start = services.now()
    live = {"hx-request": "true", "hx-trigger": "live"}
    for minutes in (10, 20, 29):
        services.now = lambda m=minutes: start + timedelta(minutes=m)  # type: ignore[misc]
        assert (await browser.http.get("/alerts/live", headers=live)).status_code == 200
    services.now = lambda: start + timedelta(minutes=31)
    response = await browser.http.get("/alerts/live", headers=live)
    assert response.status_code == 401 and response.headers["hx-redirect"] == "/sign-in"


async def test_deactivating_someone_ends_their_sessions(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    assert (await browser.http.get("/alerts")).status_code == 200
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        duty.deactivated_at = services.now()
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"
