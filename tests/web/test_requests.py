"""Every unsafe request needs the console's origin and the session's token; pages carry a strict
CSP, refuse framing and are never cached; cookies are HttpOnly, SameSite=Lax, and Secure with the
__Host- prefix over HTTPS."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.alert.models import Alert, AlertStatus
from bot.console import keys
from bot.services import Services
from bot.web.app import create_app
from bot.web.pages import TEMPLATES_DIR
from bot.web.settings import WebSettings
from tests.web.conftest import ORIGIN, Browser, Browsers, Worlds
from tests.web.world import PASSWORD


async def _status(services: Services, alert_id: int) -> AlertStatus:
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        return alert.status


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({"origin": ORIGIN}, None),  # no token
        ({"origin": ORIGIN}, "not-the-token"),
        ({"origin": "https://evil.example"}, "right"),
        ({"origin": "null"}, "right"),
        ({}, "right"),  # neither Origin nor Sec-Fetch-Site
        ({"sec-fetch-site": "cross-site"}, "right"),
        ({"sec-fetch-site": "same-site", "origin": ORIGIN}, "right"),
    ],
)
async def test_unsafe_requests_without_origin_and_token_are_refused(
    headers: dict[str, str],
    token: str | None,
    browsers: Browsers,
    services: Services,
    worlds: Worlds,
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    form = {} if token is None else {"csrf_token": duty.csrf if token == "right" else token}
    response = await duty.http.post(
        f"/alerts/{worlds.home.urgent_alert_id}/take", data=form, headers=headers
    )
    assert response.status_code == 403
    assert "did not come from a page of the console" in response.text
    assert await _status(services, worlds.home.urgent_alert_id) is AlertStatus.open


async def test_another_sessions_token_is_refused(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    admin = await browsers.signed_in(worlds.home.admin_id)
    response = await duty.post(f"/alerts/{worlds.home.urgent_alert_id}/take", csrf=admin.csrf)
    assert response.status_code == 403
    assert await _status(services, worlds.home.urgent_alert_id) is AlertStatus.open


async def test_the_token_in_htmxs_header_or_same_origin_fetch_metadata_is_accepted(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    assert duty.csrf is not None
    response = await duty.http.post(
        f"/alerts/{worlds.home.urgent_alert_id}/take",
        headers={"x-csrf-token": duty.csrf, "sec-fetch-site": "same-origin", "hx-request": "true"},
    )
    assert response.status_code == 303
    assert await _status(services, worlds.home.urgent_alert_id) is AlertStatus.acknowledged


async def test_signing_in_needs_the_form_cookies_token(browser: Browser, worlds: Worlds) -> None:
    form = {"email": worlds.home.emails["duty"], "password": PASSWORD}
    refused = await browser.http.post("/sign-in", data=form, headers={"origin": ORIGIN})
    assert refused.status_code == 403 and "aftercare_session" not in browser.http.cookies
    await browser.get("/sign-in")
    assert (await browser.post("/sign-in", form)).status_code == 303


async def test_pages_have_a_strict_csp_refuse_framing_and_are_not_cached(
    browsers: Browsers, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    for path in ("/alerts", f"/alerts/{worlds.home.urgent_alert_id}", "/sign-in", "/nowhere"):
        headers = (await duty.get(path)).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert headers["cache-control"] == "no-store", path
        assert (
            headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        )
    static = (await duty.get("/static/console.css")).headers
    assert static["cache-control"].startswith("public")


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    for template in Path(TEMPLATES_DIR).glob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script[^>]*>(.*?)</script>", text, flags=re.S):
            assert tag.strip() == "", template.name
        assert "<script" not in text or 'src="/static/' in text, template.name
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), template.name
        assert "hx-on" not in text and "js:" not in text, template.name


async def test_cookies_are_httponly_lax_and_secure_with_the_host_prefix_over_https(
    services: Services, app: FastAPI, browser: Browser, worlds: Worlds
) -> None:
    await browser.get("/sign-in")
    response = await browser.post(
        "/sign-in", {"email": worlds.home.emails["duty"], "password": PASSWORD}
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("aftercare_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age" not in cookie and "expires" not in cookie.lower()

    https = WebSettings(  # type: ignore[call-arg]
        _env_file=None,
        web_public_url="https://console.example",
        totp_encryption_key=keys.new_key(),
        sign_in_hash_key=keys.new_key(),
    )
    secure_app = create_app(services, https)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=secure_app), base_url="https://console.example"
    ) as client:
        page = await client.get("/sign-in")
        assert page.headers["set-cookie"].startswith("__Host-aftercare_form=")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        response = await client.post(
            "/sign-in",
            data={"csrf_token": token, "email": worlds.home.emails["duty"], "password": PASSWORD},
            headers={"origin": "https://console.example"},
        )
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-aftercare_session=") and "Secure" in cookie
        assert "Domain" not in cookie and "Path=/" in cookie
        assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_healthz_answers_200(browser: Browser) -> None:
    response = await browser.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
