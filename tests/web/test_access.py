"""Every route, with every role, with this clinic's ids and another clinic's.

Anonymous: sent to sign in. A role without access: 403. Another clinic's id: 404, and nothing
of that clinic changes. The table must name every route the app has, so a new route cannot
be added without saying who may use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from bot.alert.models import Alert, AlertStatus
from bot.console.clinic_models import ClinicClosure, CrisisResource
from bot.services import Services
from bot.staff.models import Staff
from tests.web.conftest import Browser, Browsers, Worlds
from tests.web.world import ClinicWorld

PUBLIC, ANY, QUEUE, ADMIN, CHANGE = "public", "any", "queue", "admin", "change"
ROLES = ("therapist", "duty", "clinic_admin")
ALLOWED = {
    ANY: set(ROLES),
    QUEUE: {"duty", "clinic_admin"},
    ADMIN: {"clinic_admin"},
    # Changing a client: their therapist (or one who follows them) and clinic admins.
    CHANGE: {"therapist", "clinic_admin"},
}
CLIENT = "/clients/{client_id:int}"
ACCESS = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/sign-in"): PUBLIC,
    ("POST", "/sign-in"): PUBLIC,
    ("GET", "/sign-in/code"): PUBLIC,
    ("POST", "/sign-in/code"): PUBLIC,
    ("GET", "/sign-in/set-up-code"): PUBLIC,
    ("POST", "/sign-in/set-up-code"): PUBLIC,
    ("GET", "/invite/{code}"): PUBLIC,
    ("POST", "/invite/{code}"): PUBLIC,
    ("GET", "/"): ANY,
    ("POST", "/sign-out"): ANY,
    ("POST", "/sign-out-everywhere"): ANY,
    ("GET", "/alerts"): QUEUE,
    ("GET", "/alerts/live"): QUEUE,
    ("GET", "/alerts/resolved"): QUEUE,
    ("GET", "/alerts/{alert_id}"): QUEUE,
    ("POST", "/alerts/{alert_id}/take"): QUEUE,
    ("POST", "/alerts/{alert_id}/hand-over"): QUEUE,
    ("POST", "/alerts/{alert_id}/resolve"): QUEUE,
    ("POST", "/alerts/{alert_id}/reopen"): QUEUE,
    ("POST", "/alerts/{alert_id}/message"): QUEUE,
    ("GET", "/returns"): QUEUE,
    ("GET", "/returns/live"): QUEUE,
    ("POST", "/returns/{request_id}/status"): QUEUE,
    ("GET", "/clinic"): ADMIN,
    ("POST", "/clinic"): ADMIN,
    ("POST", "/clinic/crisis-resources"): ADMIN,
    ("POST", "/clinic/crisis-resources/{entry_id}"): ADMIN,
    ("POST", "/clinic/crisis-resources/{entry_id}/remove"): ADMIN,
    ("POST", "/clinic/closures"): ADMIN,
    ("POST", "/clinic/closures/{closure_id}/remove"): ADMIN,
    ("POST", "/clinic/group-link-code"): ADMIN,
    ("GET", "/staff"): ADMIN,
    ("POST", "/staff"): ADMIN,
    ("POST", "/staff/{staff_id}/invite"): ADMIN,
    ("POST", "/staff/{staff_id}/role"): ADMIN,
    ("POST", "/staff/{staff_id}/deactivate"): ADMIN,
    ("POST", "/staff/{staff_id}/reset-code"): ADMIN,
    ("POST", "/staff/{staff_id}/unlock"): ADMIN,
    ("POST", "/staff/{staff_id}/telegram-code"): ADMIN,
    ("GET", "/audit"): ADMIN,
    ("GET", "/audit.csv"): ADMIN,
    ("GET", "/figures"): ADMIN,
    ("GET", "/clients"): ANY,
    ("POST", "/clients/search"): ANY,
    ("GET", "/clients/new"): CHANGE,
    ("POST", "/clients/new"): CHANGE,
    ("GET", CLIENT): ANY,
    ("POST", f"{CLIENT}/pause"): CHANGE,
    ("POST", f"{CLIENT}/resume"): CHANGE,
    ("POST", f"{CLIENT}/send-now"): CHANGE,
    ("POST", f"{CLIENT}/window"): CHANGE,
    ("POST", f"{CLIENT}/timezone"): CHANGE,
    ("POST", f"{CLIENT}/followers"): CHANGE,
    ("POST", f"{CLIENT}/invite"): CHANGE,
    ("GET", f"{CLIENT}/plan"): ANY,
    ("GET", f"{CLIENT}/plan.yml"): ANY,
    ("GET", f"{CLIENT}/plan/edit"): CHANGE,
    ("POST", f"{CLIENT}/plan"): CHANGE,
    ("GET", f"{CLIENT}/timeline"): ANY,
    ("POST", f"{CLIENT}/notes"): ANY,
    ("GET", f"{CLIENT}/try"): ANY,
    ("POST", f"{CLIENT}/try"): ANY,
}
# Form fields that get a request past validation to the point where ids matter.
FORMS = {
    "/alerts/{alert_id}/hand-over": {"to_staff_id": "{staff_id}", "note": "over to you"},
    "/alerts/{alert_id}/resolve": {"reason": "contacted_client", "note": "called"},
    "/alerts/{alert_id}/reopen": {"note": "again"},
    "/alerts/{alert_id}/message": {"body": "Hello from the clinic"},
    "/returns/{request_id}/status": {"status": "contacted"},
    "/staff/{staff_id}/role": {"role": "duty"},
    "/clinic/crisis-resources/{entry_id}": {
        "name": "Line",
        "number": "1",
        "hours": "24/7",
        "verified_on": "2020-01-01",
    },
}


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # routers are included lazily (no prefixes here)
            found += _api_routes(route.original_router.routes)
    return found


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in _api_routes(app.routes)
        for method in route.methods
        if method != "HEAD"
    }


async def _ids(services: Services, world: ClinicWorld) -> dict[str, int]:
    """Ids for every path parameter, from `world`'s clinic."""
    async with services.sessionmaker.begin() as session:
        entry = CrisisResource(
            clinic_id=world.clinic_id,
            name="Line",
            number="1",
            hours="24/7",
            verified_on=date(2026, 1, 1),
        )
        spare = CrisisResource(
            clinic_id=world.clinic_id,
            name="Spare",
            number="2",
            hours="24/7",
            verified_on=date(2026, 1, 1),
        )
        closure = ClinicClosure(
            clinic_id=world.clinic_id,
            starts_on=date(2099, 1, 1),
            ends_on=date(2099, 1, 2),
            note="holiday",
        )
        session.add_all([entry, spare, closure])
        await session.flush()
        return {
            "alert_id": world.urgent_alert_id,
            "request_id": world.return_request_id,
            "staff_id": world.therapist_id,
            "entry_id": entry.id,
            "closure_id": closure.id,
            "client_id:int": world.client_id,
        }


def _path(template: str, ids: dict[str, int]) -> str:
    for name, value in ids.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def test_every_route_is_in_the_access_table(app: FastAPI) -> None:
    assert app_routes(app) == set(ACCESS)


async def _call(browser: Browser, method: str, template: str, ids: dict[str, int]) -> int:
    path = _path(template, ids)
    if method == "GET":
        return (await browser.get(path)).status_code
    form = {name: _path(value, ids) for name, value in FORMS.get(template, {}).items()}
    return (await browser.post(path, form)).status_code


PROTECTED = sorted((m, p) for (m, p), level in ACCESS.items() if level != PUBLIC)


async def test_anonymous_visitors_are_sent_to_sign_in(
    browser: Browser, services: Services, worlds: Worlds
) -> None:
    ids = await _ids(services, worlds.home)
    await browser.get("/sign-in")  # a real form token: refusals below come from signing in
    for method, template in PROTECTED:
        response = (
            await browser.http.get(_path(template, ids))
            if method == "GET"
            else await browser.post(_path(template, ids))
        )
        assert response.status_code == 303, (method, template)
        assert response.headers["location"] == "/sign-in", (method, template)


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reaches_only_its_routes_and_only_its_clinic(
    role: str, browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    home_ids = await _ids(services, worlds.home)
    foreign_ids = await _ids(services, worlds.foreign)
    me = {"therapist": worlds.home.therapist_id, "duty": worlds.home.duty_id}.get(
        role, worlds.home.admin_id
    )
    for method, template in PROTECTED:
        level = ACCESS[(method, template)]
        allowed = role in ALLOWED[level]
        has_ids = "{" in template
        browser = await browsers.signed_in(me)
        if not allowed:
            status = await _call(browser, method, template, home_ids)
            assert status == 403, (role, method, template, status)
            continue
        if has_ids:
            status = await _call(browser, method, template, foreign_ids)
            assert status == 404, (role, method, template, status)
        browser = await browsers.signed_in(me)
        status = await _call(browser, method, template, home_ids)
        assert status in (200, 303, 400, 409), (role, method, template, status)
    await _foreign_clinic_untouched(services, worlds.foreign, foreign_ids)


async def test_handing_over_to_another_clinics_staff_is_404(
    browsers: Browsers, worlds: Worlds, services: Services
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    alert = worlds.home.urgent_alert_id
    assert (await duty.post(f"/alerts/{alert}/take")).status_code == 303
    response = await duty.post(
        f"/alerts/{alert}/hand-over", {"to_staff_id": str(worlds.foreign.duty_id)}
    )
    assert response.status_code == 404
    async with services.sessionmaker() as session:
        stored = await session.get(Alert, alert)
        assert stored is not None and stored.acknowledged_by_id == worlds.home.duty_id


async def _foreign_clinic_untouched(
    services: Services, world: ClinicWorld, ids: dict[str, int]
) -> None:
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, world.urgent_alert_id)
        assert alert is not None and alert.status is AlertStatus.open
        therapist = await session.get(Staff, world.therapist_id)
        assert therapist is not None
        assert therapist.deactivated_at is None and therapist.role.value == "therapist"
        assert await session.get(CrisisResource, ids["entry_id"]) is not None
        assert await session.get(ClinicClosure, ids["closure_id"]) is not None
