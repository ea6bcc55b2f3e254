"""Failed sign-ins slow down one address for one account: a duty member always gets in.

An attacker at another address never keeps the right password and code out; the wait grows per
(address, account); wrong codes count on their own; a clinic admin can unlock (audited); a
completed invite clears the failures and ends signed in.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pyotp
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.console import invites, throttle
from bot.console.models import SignInAttempt
from bot.services import Services
from bot.staff.models import Staff
from bot.web.app import create_app
from bot.web.settings import WebSettings
from tests.web.conftest import ORIGIN, Browser, Browsers, Worlds
from tests.web.world import PASSWORD

ERROR = re.compile(r'<p class="error" role="alert">([^<]*)</p>')
DUTY_AT = "203.0.113.7"  # the `browser` fixture's address
ATTACKER_AT = "198.51.100.66"
WRONG = "not the password at all"


@asynccontextmanager
async def browser_at(app: FastAPI, address: str) -> AsyncIterator[Browser]:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url=ORIGIN
    )
    async with client:
        yield Browser(client)


def frozen_clock(services: Services) -> Callable[[timedelta], None]:
    """Stops the clock at now; the returned function moves it on."""
    moment = [services.now()]
    services.now = lambda: moment[0]

    def move(by: timedelta) -> None:
        moment[0] += by

    return move


async def sign_out(browser: Browser) -> None:
    await browser.get("/alerts")  # a page of the console: its sign-out form's token
    assert (await browser.post("/sign-out")).status_code == 303


async def _with_code(services: Services, staff_id: int, web: WebSettings) -> str:
    secret = pyotp.random_base32()
    async with services.sessionmaker.begin() as session:
        staff = await session.get(Staff, staff_id)
        assert staff is not None
        staff.totp_secret = web.console_keys.totp.seal(secret, staff_id=staff_id)
    return secret


async def _fail_until_waited(
    browser: Browser, email: str, times: int, move: Callable[[timedelta], None]
) -> None:
    """`times` real failures: each held try waits out its hold first, as a patient attacker."""
    failures = 0
    while failures < times:
        response = await browser.sign_in(email, WRONG)
        if response.status_code == 429:
            move(timedelta(seconds=int(response.headers["retry-after"])))
            continue
        assert response.status_code == 401
        failures += 1


async def test_an_attacker_elsewhere_never_keeps_the_right_password_and_code_out(
    app: FastAPI,
    browser: Browser,
    services: Services,
    worlds: Worlds,
    web_settings: WebSettings,
) -> None:
    secret = await _with_code(services, worlds.home.duty_id, web_settings)
    email = worlds.home.emails["duty"]
    move = frozen_clock(services)
    async with browser_at(app, ATTACKER_AT) as attacker:
        await _fail_until_waited(attacker, email, 12, move)
        assert (await attacker.sign_in(email, PASSWORD)).status_code == 429  # held there
        # The attacker knows the password too, and tries codes.
        move(timedelta(minutes=16))
        assert (await attacker.sign_in(email, PASSWORD)).status_code == 303
        await attacker.get("/sign-in/code")
        for _ in range(5):
            assert (await attacker.post("/sign-in/code", {"code": "000000"})).status_code == 401
        assert (await attacker.post("/sign-in/code", {"code": "000000"})).status_code == 429

    response = await browser.sign_in(email, PASSWORD)
    assert response.headers["location"] == "/sign-in/code"
    await browser.get("/sign-in/code")
    code = pyotp.TOTP(secret).at(services.now())
    response = await browser.post("/sign-in/code", {"code": code})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert (await browser.http.get("/alerts")).status_code == 200


async def test_the_wait_grows_for_one_address_and_one_account_only(
    app: FastAPI, browser: Browser, services: Services, worlds: Worlds
) -> None:
    duty, admin = worlds.home.emails["duty"], worlds.home.emails["clinic_admin"]
    move = frozen_clock(services)
    for _ in range(throttle.FREE_FAILURES):
        assert (await browser.sign_in(duty, WRONG)).status_code == 401
    waits = []
    for _ in range(4):
        held = await browser.sign_in(duty, PASSWORD)  # refused unchecked while held
        assert held.status_code == 429
        waits.append(int(held.headers["retry-after"]))
        move(timedelta(seconds=waits[-1]))
        assert (await browser.sign_in(duty, WRONG)).status_code == 401
    assert waits == [15, 30, 60, 120]
    message = ERROR.search((await browser.sign_in(duty, PASSWORD)).text).group(1)  # type: ignore[union-attr]
    assert "wait 4 minutes" in message
    # Another account from the same address, and the same account from another: not held.
    assert (await browser.sign_in(admin, WRONG)).status_code == 401
    async with browser_at(app, "198.51.100.20") as elsewhere:
        assert (await elsewhere.sign_in(duty, WRONG)).status_code == 401
        assert (await elsewhere.sign_in(duty, PASSWORD)).status_code == 303
    # The same address once the wait is over; its success starts the count again.
    move(timedelta(minutes=4))
    assert (await browser.sign_in(duty, PASSWORD)).status_code == 303
    await sign_out(browser)
    assert (await browser.sign_in(duty, WRONG)).status_code == 401
    assert (await browser.sign_in(duty, PASSWORD)).status_code == 303


def test_the_wait_doubles_from_fifteen_seconds_up_to_fifteen_minutes() -> None:
    waits = [throttle.wait_after(n) for n in range(throttle.FREE_FAILURES + 8)]
    assert waits[: throttle.FREE_FAILURES] == [timedelta(0)] * throttle.FREE_FAILURES
    assert [w.total_seconds() for w in waits[throttle.FREE_FAILURES :]] == [
        15,
        30,
        60,
        120,
        240,
        480,
        900,
        900,
    ]
    assert throttle.wait_after(10_000) == timedelta(minutes=15)


async def test_wrong_codes_count_on_their_own_and_a_right_password_does_not_clear_them(
    browser: Browser, services: Services, worlds: Worlds, web_settings: WebSettings
) -> None:
    await _with_code(services, worlds.home.duty_id, web_settings)
    email = worlds.home.emails["duty"]
    frozen_clock(services)
    for _ in range(3):
        assert (await browser.sign_in(email, PASSWORD)).headers["location"] == "/sign-in/code"
        await browser.get("/sign-in/code")
        for _ in range(2):
            await browser.post("/sign-in/code", {"code": "000000"})
    # Six wrong codes across three right passwords: the codes still count.
    assert (await browser.sign_in(email, PASSWORD)).headers["location"] == "/sign-in/code"
    await browser.get("/sign-in/code")
    held = await browser.post("/sign-in/code", {"code": "000000"})
    assert held.status_code == 429 and "Too many wrong codes" in held.text


async def test_a_clinic_admin_unlocks_an_account_and_the_audit_log_says_who(
    browser: Browser, browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    email = worlds.home.emails["duty"]
    frozen_clock(services)
    for _ in range(throttle.FREE_FAILURES + 1):
        await browser.sign_in(email, WRONG)
    assert (await browser.sign_in(email, PASSWORD)).status_code == 429
    admin = await browsers.signed_in(worlds.home.admin_id)
    page = (await admin.get("/staff")).text
    row = re.search(rf'<tr data-staff="{worlds.home.duty_id}">.*?</tr>', page, flags=re.S)
    assert row is not None and "sign-in held back" in row.group(0)
    response = await admin.post(f"/staff/{worlds.home.duty_id}/unlock")
    assert response.headers["location"] == "/staff?notice=unlocked"
    assert "sign-in held back" not in (await admin.get("/staff?notice=unlocked")).text
    async with services.sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "sign_in_unlocked")
        )
    assert entry is not None
    assert entry.actor == "Jo Admin (console)" and entry.target == f"staff {worlds.home.duty_id}"
    assert entry.clinic_id == worlds.home.clinic_id
    assert (await browser.sign_in(email, PASSWORD)).status_code == 303
    # Another clinic's admin cannot unlock this clinic's staff.
    foreign = await browsers.signed_in(worlds.foreign.admin_id)
    assert (await foreign.post(f"/staff/{worlds.home.duty_id}/unlock")).status_code == 404


async def test_a_completed_invite_clears_the_hold_and_ends_signed_in(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    email = worlds.home.emails["duty"]
    move = frozen_clock(services)
    for _ in range(throttle.FREE_FAILURES + 3):
        await browser.sign_in(email, WRONG)
        move(timedelta(seconds=1))
    assert (await browser.sign_in(email, PASSWORD)).status_code == 429
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        code = await invites.issue(session, staff=duty, by="test", now=services.now())
    page = (await browser.get(f"/invite/{code}")).text
    rules = page.index("needs at least 12 characters")
    assert rules < page.index('<input id="password"')  # said before the person types
    assert 'aria-describedby="password-rules"' in page
    new_password = "a brand new passphrase here"
    response = await browser.post(
        f"/invite/{code}", {"password": new_password, "repeated": new_password}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert (await browser.http.get("/alerts")).status_code == 200  # signed in
    await sign_out(browser)
    assert (await browser.sign_in(email, new_password)).status_code == 303
    async with services.sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.staff_id == worlds.home.duty_id)
                .order_by(AuditEntry.id)
            )
        )
    assert actions[-4:] == ["password_set", "sign_in", "sign_out", "sign_in"]


async def _attempt_addresses(services: Services) -> list[str]:
    async with services.sessionmaker() as session:
        rows = await session.scalars(select(SignInAttempt.address).order_by(SignInAttempt.id))
        return list(rows)


async def test_a_trusted_proxy_names_the_client_and_anyone_else_cannot(
    services: Services, worlds: Worlds
) -> None:
    web = WebSettings(  # type: ignore[call-arg]
        _env_file=None, web_public_url=ORIGIN, web_trusted_proxies="10.0.0.0/8, 192.0.2.1"
    )
    app = create_app(services, web)
    email = worlds.home.emails["duty"]
    async with browser_at(app, "10.1.2.3") as proxied:
        proxied.http.headers["x-forwarded-for"] = "203.0.113.50, 192.0.2.1, 10.9.9.9"
        await proxied.sign_in(email, WRONG)
    async with browser_at(app, "198.51.100.7") as direct:
        direct.http.headers["x-forwarded-for"] = "203.0.113.99"  # spoofed: not from a proxy
        await direct.sign_in(email, WRONG)
    assert await _attempt_addresses(services) == ["203.0.113.50", "198.51.100.7"]

    # Spoofing a new address on every try does not escape the per-address limit.
    async with browser_at(app, "198.51.100.7") as direct:
        for n in range(throttle.ADDRESS_FAILURES):
            direct.http.headers["x-forwarded-for"] = f"203.0.113.{n}"
            await direct.sign_in(f"guess{n}@riverside.test", WRONG)
        held = await direct.sign_in(email, PASSWORD)
        assert held.status_code == 429 and "from this network" in held.text
        assert "unlock" not in ERROR.search(held.text).group(1)  # type: ignore[union-attr]


async def test_held_tries_are_not_counted_again(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    email = worlds.home.emails["duty"]
    frozen_clock(services)
    for _ in range(throttle.FREE_FAILURES):
        await browser.sign_in(email, WRONG)
    for _ in range(10):
        assert (await browser.sign_in(email, WRONG)).status_code == 429
    async with services.sessionmaker() as session:
        failures = await session.scalar(
            select(func.count()).where(SignInAttempt.succeeded.is_(False))
        )
    assert failures == throttle.FREE_FAILURES
