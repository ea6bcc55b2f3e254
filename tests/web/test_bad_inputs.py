"""Every route, walked with malformed path, query and form values: a 4xx page, never a 500.

The clinic sits east of UTC (Tokyo: local mean time UTC+9:19), where the calendar's first
day has no start in UTC; ids of 2^63 and more overflow the database's integers; Unicode digits pass
str.isdigit() but not int().
"""

from __future__ import annotations

import logging
from itertools import product

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from bot.clinic.models import Clinic
from bot.services import Services
from tests.web.conftest import Browser, Browsers, Worlds
from tests.web.test_access import _api_routes

BAD_IDS = ("9223372036854775808", "99999999999999999999999", "²", "-1", "0", "1e3", " 1")
BAD_VALUES = (
    "9223372036854775808",
    "²",
    "٣",
    "-1",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "x" * 3000,
    "\x00",
    "%",
    "",
)
QUERY_NAMES = ("since", "until", "before", "staff", "action", "version", "show", "all", "severity")
QUERY_NAMES += ("type", "status", "who", "target", "alert", "followed", "step", "reason", "week")


def _signing(path: str) -> bool:
    """Signing in or out ends the walk's session: these are walked by an anonymous browser."""
    return path.startswith(("/sign-in", "/sign-out", "/invite/"))


def _routes(app: FastAPI, *, signing: bool) -> list[tuple[str, APIRoute]]:
    return sorted(
        (
            (method, route)
            for route in _api_routes(app.routes)
            for method in route.methods
            if _signing(route.path) is signing and method != "HEAD"
        ),
        key=lambda pair: (pair[1].path, pair[0]),
    )


def _fill(template: str, value: str) -> str:
    path = template.replace(":int}", "}")
    for name in ("alert_id", "request_id", "staff_id", "entry_id", "closure_id", "client_id"):
        path = path.replace("{" + name + "}", value)
    return path.replace("{code}", value)


def _form_names(route: APIRoute) -> list[str]:
    return [field.alias for field in route.dependant.body_params]


async def _walk(
    browser: Browser, app: FastAPI, *, signing: bool = False
) -> list[tuple[str, str, str, int]]:
    """Every route with every bad id, and with every bad value in every query/form field."""
    seen = []
    for (method, route), bad_id in product(_routes(app, signing=signing), BAD_IDS):
        path = _fill(route.path, bad_id)
        if method == "GET":
            response = await browser.http.get(path)
        else:
            response = await browser.post(path, dict.fromkeys(_form_names(route), bad_id))
        seen.append((method, route.path, bad_id, response.status_code))
    for (method, route), value in product(_routes(app, signing=signing), BAD_VALUES):
        if "{" in route.path:
            continue
        if method == "GET":
            response = await browser.http.get(route.path, params=dict.fromkeys(QUERY_NAMES, value))
        else:
            response = await browser.post(route.path, dict.fromkeys(_form_names(route), value))
        seen.append((method, route.path, value[:20], response.status_code))
    return seen


@pytest.mark.parametrize("role", ["clinic_admin", "duty", "therapist"])
async def test_no_input_answers_5xx_or_logs_a_traceback(
    role: str,
    app: FastAPI,
    browsers: Browsers,
    services: Services,
    worlds: Worlds,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, worlds.home.clinic_id)
        assert clinic is not None
        clinic.timezone = "Asia/Tokyo"
    staff_id = {
        "clinic_admin": worlds.home.admin_id,
        "duty": worlds.home.duty_id,
        "therapist": worlds.home.therapist_id,
    }[role]
    browser = await browsers.signed_in(staff_id)
    caplog.set_level(logging.WARNING)
    seen = await _walk(browser, app)
    failed = [entry for entry in seen if entry[3] >= 500]
    assert not failed, failed
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert len(seen) > 300
    assert (await browser.http.get("/clients")).status_code == 200, "the walk was signed out"


async def test_signing_in_with_bad_inputs_answers_no_5xx(
    app: FastAPI, browser: Browser, worlds: Worlds, caplog: pytest.LogCaptureFixture
) -> None:
    await browser.get("/sign-in")
    caplog.set_level(logging.WARNING)
    seen = await _walk(browser, app, signing=True)
    assert not [entry for entry in seen if entry[3] >= 500]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert len(seen) > 50


async def test_a_huge_id_is_404_and_a_unicode_digit_is_refused_in_the_consoles_look(
    browsers: Browsers, worlds: Worlds
) -> None:
    browser = await browsers.signed_in(worlds.home.admin_id)
    huge = await browser.get("/alerts/9223372036854775808")
    assert huge.status_code == 404
    assert "<h1>Sorry</h1>" in huge.text and "Alert queue" in huge.text
    odd = await browser.get("/audit", params={"staff": "²", "until": "9999-12-31"})
    assert odd.status_code in (200, 400, 422)
    hand = await browser.post(
        f"/alerts/{worlds.home.urgent_alert_id}/hand-over", {"to_staff_id": "²", "note": ""}
    )
    assert 400 <= hand.status_code < 500


async def test_404_405_and_422_are_pages_and_json_only_for_htmx(
    browsers: Browsers, worlds: Worlds
) -> None:
    browser = await browsers.signed_in(worlds.home.admin_id)
    missing = await browser.get("/no-such-page")
    wrong = await browser.http.put("/alerts")
    too_long = await browser.post(
        f"/alerts/{worlds.home.urgent_alert_id}/resolve", {"note": "x" * 3000}
    )
    for response, status in ((missing, 404), (wrong, 405), (too_long, 422)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Sorry</h1>" in response.text
    htmx = await browser.http.get("/no-such-page", headers={"hx-request": "true"})
    assert htmx.status_code == 404
    assert htmx.headers["content-type"].startswith("application/json")
