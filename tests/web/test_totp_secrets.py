"""TOTP secrets: sealed at rest, sealed on first use when older, re-sealed by the rotate command;
the first code after set-up works once more, a reused one says to wait and is no failure."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, text

from bot.audit.models import AuditEntry
from bot.clinic.models import Clinic
from bot.console import invites, keys
from bot.console.models import SignInAttempt
from bot.database.core import make_engine, make_sessionmaker
from bot.services import Services
from bot.staff.models import Staff
from bot.web.settings import WebSettings
from tests.cli.conftest import Outcome, invoke
from tests.web.conftest import Browser, Worlds
from tests.web.test_sign_in_holds import frozen_clock, sign_out
from tests.web.world import PASSWORD, build_clinic

SECRET_COLUMNS = (
    ("staff", "totp_secret"),
    ("staff_invites", "totp_secret"),
    ("console_sessions", "enrolment_secret"),
)


async def _stored(services: Services) -> list[str]:
    """Every TOTP secret as the database holds it."""
    found = []
    async with services.sessionmaker() as session:
        for table, column in SECRET_COLUMNS:
            rows = await session.execute(
                text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
            )
            found += [str(value) for (value,) in rows]
    return found


async def _invite(services: Services, staff_id: int) -> str:
    async with services.sessionmaker.begin() as session:
        staff = await session.get(Staff, staff_id)
        assert staff is not None
        return await invites.issue(session, staff=staff, by="test", now=services.now())


def _secret_on(page: str) -> str:
    return re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)  # type: ignore[union-attr]


async def test_no_secret_can_be_read_from_the_database(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, worlds.home.clinic_id)
        assert clinic is not None
        clinic.require_totp = True
    code = await _invite(services, worlds.home.duty_id)
    offered = _secret_on((await browser.get(f"/invite/{code}")).text)
    # Offered by the invite page, not yet confirmed: sealed already.
    assert [s for s in await _stored(services) if offered in s] == []
    assert len(await _stored(services)) == 1
    # The admin sets up at sign-in: the secret offered to the half-signed-in session.
    await browser.sign_in(worlds.home.emails["clinic_admin"], PASSWORD)
    admin_secret = _secret_on((await browser.get("/sign-in/set-up-code")).text)
    stored = await _stored(services)
    assert len(stored) == 2 and all(s.startswith("v1:") for s in stored)
    await browser.post("/sign-in/set-up-code", {"code": pyotp.TOTP(admin_secret).now()})
    await sign_out(browser)
    # The newcomer confirms theirs on the invite page (the same secret on a reload).
    assert _secret_on((await browser.get(f"/invite/{code}")).text) == offered
    done = await browser.post(
        f"/invite/{code}",
        {"password": PASSWORD, "repeated": PASSWORD, "totp_code": pyotp.TOTP(offered).now()},
    )
    assert done.headers["location"] == "/"
    stored = await _stored(services)
    # Each kept once, by the staff member (the invite's and the session's copies are gone).
    assert len(stored) == 2 and all(s.startswith("v1:") for s in stored)
    for secret in (offered, admin_secret):
        assert not any(secret in s or secret.lower() in s.lower() for s in stored)


def test_a_sealed_secret_opens_only_for_its_own_staff_member_and_only_with_a_key_held() -> None:
    keyring = keys.Keyring([keys.parse_key(keys.new_key(), setting="K")])
    sealed = keyring.seal("JBSWY3DPEHPK3PXP", staff_id=7)
    assert keyring.open(sealed, staff_id=7) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(keys.UnusableKey, match="does not open"):
        keyring.open(sealed, staff_id=8)  # moved to another person's row
    for tampered in (sealed[:-2], sealed.rsplit(":", 1)[0] + ":!!", sealed.replace("v1:", "v2:")):
        with pytest.raises(keys.UnusableKey):
            keyring.open(tampered, staff_id=7)
    other = keys.Keyring([keys.parse_key(keys.new_key(), setting="K")])
    with pytest.raises(keys.UnusableKey, match="TOTP_ENCRYPTION_KEY does not hold"):
        other.open(sealed, staff_id=7)
    assert keyring.seal("JBSWY3DPEHPK3PXP", staff_id=7) != sealed  # a new nonce every time
    assert keyring.open("JBSWY3DPEHPK3PXP", staff_id=7) == "JBSWY3DPEHPK3PXP"  # from before


async def test_a_secret_stored_in_plain_text_works_and_is_sealed_at_its_first_use(
    browser: Browser, services: Services, worlds: Worlds, web_settings: WebSettings
) -> None:
    secret = pyotp.random_base32()
    async with services.sessionmaker.begin() as session:
        await session.execute(
            text("UPDATE staff SET totp_secret = :s WHERE id = :id"),
            {"s": secret, "id": worlds.home.duty_id},
        )
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await browser.get("/sign-in/code")
    response = await browser.post("/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert response.headers["location"] == "/"
    async with services.sessionmaker() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
    assert duty is not None and duty.totp_secret is not None
    assert web_settings.console_keys.totp.is_current(duty.totp_secret)
    assert web_settings.console_keys.totp.open(duty.totp_secret, staff_id=duty.id) == secret


async def test_the_first_code_after_set_up_works_once_and_a_reused_one_is_no_failure(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    move = frozen_clock(services)
    code = await _invite(services, worlds.home.duty_id)
    secret = _secret_on((await browser.get(f"/invite/{code}")).text)
    first = pyotp.TOTP(secret).at(services.now())
    await browser.post(
        f"/invite/{code}", {"password": PASSWORD, "repeated": PASSWORD, "totp_code": first}
    )
    await sign_out(browser)
    # Straight away, in the same 30 seconds: the code still on the screen is accepted, once.
    move(timedelta(seconds=5))
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await browser.get("/sign-in/code")
    response = await browser.post("/sign-in/code", {"code": first})
    assert response.status_code == 303 and response.headers["location"] == "/"
    await sign_out(browser)
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    await browser.get("/sign-in/code")
    for _ in range(8):  # more than the failures that would hold the address back
        again = await browser.post("/sign-in/code", {"code": first})
        assert again.status_code == 401 and "wait for the next code" in again.text
    async with services.sessionmaker() as session:
        failures = await session.scalar(
            select(func.count()).where(SignInAttempt.succeeded.is_(False))
        )
    assert failures == 0
    move(timedelta(seconds=30))
    response = await browser.post("/sign-in/code", {"code": pyotp.TOTP(secret).at(services.now())})
    assert response.headers["location"] == "/"


async def _cli(*args: str) -> Outcome:
    return await asyncio.to_thread(invoke, *args)


async def test_rotating_the_key_re_seals_every_secret_for_the_new_key_alone(
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    tmp_path: object,
) -> None:
    world = await build_clinic(
        services.sessionmaker, name="Riverside Clinic", domain="r.test", now=services.now(), group=1
    )
    old, new = keys.new_key(), keys.new_key()
    old_ring = keys.Keyring([keys.parse_key(old, setting="K")])
    secrets = {staff_id: pyotp.random_base32() for staff_id in (world.admin_id, world.duty_id)}
    async with services.sessionmaker.begin() as session:
        admin = await session.get(Staff, world.admin_id)
        duty = await session.get(Staff, world.duty_id)
        assert admin is not None and duty is not None
        admin.totp_secret = old_ring.seal(secrets[admin.id], staff_id=admin.id)
        duty.totp_secret = secrets[duty.id]  # stored before sealing existed
        invite = await invites.issue(session, staff=duty, by="test", now=services.now())
        found = await invites.find_usable(session, code=invite, now=services.now())
        assert found is not None
        found.totp_secret = old_ring.seal("AAAABBBBCCCCDDDD", staff_id=duty.id)
    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SIGN_IN_HASH_KEY", keys.new_key())

    monkeypatch.delenv("TOTP_ENCRYPTION_KEY", raising=False)
    unset = await _cli("staff", "rotate-totp-key")
    assert unset.code == 2 and "TOTP_ENCRYPTION_KEY is not set" in unset.err
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", new)  # the old key left out too soon
    too_soon = await _cli("staff", "rotate-totp-key")
    assert (
        too_soon.code == 2 and "does not hold: add that key after the current one" in too_soon.err
    )
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", f"{new},{old}")
    done = await _cli("staff", "rotate-totp-key")
    assert done.code == 0, done.err
    new_ring = keys.Keyring([keys.parse_key(new, setting="K")])
    assert done.out.strip() == (
        f"3 TOTP secrets sealed with key {new_ring.current_id} (2 from an older key, 1 stored "
        "in plain text before, 0 already with it); older keys can now be removed from "
        "TOTP_ENCRYPTION_KEY"
    )
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            for staff_id, secret in secrets.items():
                staff = await session.get(Staff, staff_id)
                assert staff is not None and staff.totp_secret is not None
                assert new_ring.open(staff.totp_secret, staff_id=staff_id) == secret
            entry = await session.scalar(
                select(AuditEntry).where(AuditEntry.action == "totp_key_rotated")
            )
            assert entry is not None and entry.actor == "cli"
    finally:
        await engine.dispose()
    again = await _cli("staff", "rotate-totp-key")
    assert "(0 from an older key, 0 stored in plain text before, 3 already with it)" in again.out


async def test_an_invite_alone_does_not_get_past_an_authenticator_already_set_up(
    browser: Browser, services: Services, worlds: Worlds, web_settings: WebSettings
) -> None:
    secret = pyotp.random_base32()
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        duty.totp_secret = web_settings.console_keys.totp.seal(secret, staff_id=duty.id)
    code = await _invite(services, worlds.home.duty_id)
    await browser.get(f"/invite/{code}")
    new_password = "a brand new passphrase here"
    response = await browser.post(
        f"/invite/{code}", {"password": new_password, "repeated": new_password}
    )
    assert response.headers["location"] == "/sign-in/code"
    assert (await browser.http.get("/alerts")).headers["location"] == "/sign-in"
    await browser.get("/sign-in/code")
    response = await browser.post("/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert response.headers["location"] == "/"
    assert (await browser.http.get("/alerts")).status_code == 200
