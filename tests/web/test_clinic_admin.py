"""Clinic admin: settings, crisis resources as entries, closures, staff and link codes."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.clinic.models import Clinic
from bot.console.clinic_models import ClinicClosure, CrisisResource
from bot.console.models import StaffInvite
from bot.secret_codes import hash_code
from bot.services import Services
from bot.staff.models import Staff, StaffRole
from tests.web.conftest import Browsers, Worlds

SETTINGS = {
    "timezone": "Europe/Dublin",
    "office_hours": "mon-thu 08:30-18:00",
    "emergency_number": "112",
    "urgent_deadline_minutes": "10",
    "elevated_deadline_hours": "12",
    "routine_deadline_hours": "48",
    "return_response_hours": "24",
    "warning_reports_for_alert": "3",
    "warning_window_days": "10",
    "missed_in_a_row_for_alert": "4",
    "share_client_words": "on",
}


async def _clinic(services: Services, clinic_id: int) -> Clinic:
    async with services.sessionmaker() as session:
        clinic = await session.get(Clinic, clinic_id)
        assert clinic is not None
        return clinic


async def _staff(services: Services, staff_id: int) -> Staff:
    async with services.sessionmaker() as session:
        member = await session.get(Staff, staff_id)
        assert member is not None
        return member


async def test_settings_are_checked_saved_and_audited(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    bad = await admin.post("/clinic", {**SETTINGS, "urgent_deadline_minutes": "0"})
    assert bad.status_code == 400 and "Urgent alerts: minutes to respond" in bad.text
    bad = await admin.post("/clinic", {**SETTINGS, "timezone": "Mars/Olympus"})
    assert bad.status_code == 400 and "unknown timezone" in bad.text
    bad = await admin.post("/clinic", {**SETTINGS, "office_hours": "sometimes"})
    assert bad.status_code == 400
    assert (await _clinic(services, worlds.home.clinic_id)).timezone == "Europe/London"
    response = await admin.post("/clinic", SETTINGS)
    assert response.headers["location"] == "/clinic?notice=settings_saved"
    clinic = await _clinic(services, worlds.home.clinic_id)
    assert (clinic.timezone, clinic.office_hours, clinic.emergency_number) == (
        "Europe/Dublin",
        "mon-thu 08:30-18:00",
        "112",
    )
    assert (clinic.urgent_deadline_minutes, clinic.missed_in_a_row_for_alert) == (10, 4)
    assert clinic.share_client_words and not clinic.require_totp
    audit = (await admin.get("/audit?action=clinic_settings_changed")).text
    assert "urgent_deadline_minutes: 15 -&gt; 10" in audit
    assert "timezone: Europe/London -&gt; Europe/Dublin" in audit


async def test_crisis_resource_entries_become_the_text_clients_get(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    today = services.now().date()
    page = (await admin.get("/clinic")).text
    assert "The first entry you add replaces all of it" in page and "Samaritans: 116 123" in page
    future = (today + timedelta(days=3)).isoformat()
    entry = {"name": "Samaritans", "number": "116 123", "hours": "24/7", "verified_on": future}
    assert (await admin.post("/clinic/crisis-resources", entry)).status_code == 400
    entry["verified_on"] = today.isoformat()
    await admin.post("/clinic/crisis-resources", entry)
    old = (today - timedelta(days=200)).isoformat()
    await admin.post(
        "/clinic/crisis-resources",
        {"name": "Shout", "number": "text SHOUT to 85258", "hours": "24/7", "verified_on": old},
    )
    clinic = await _clinic(services, worlds.home.clinic_id)
    assert clinic.crisis_resources == (
        "Samaritans: 116 123 (24/7)\nShout: text SHOUT to 85258 (24/7)"
    )
    page = (await admin.get("/clinic")).text
    assert page.count("more than 6 months ago") == 1 and f"last verified {old}" in page
    async with services.sessionmaker() as session:
        samaritans, shout = await session.scalars(
            select(CrisisResource).order_by(CrisisResource.position)
        )
    await admin.post(
        f"/clinic/crisis-resources/{shout.id}",
        {"name": "Shout", "number": "85258", "hours": "24/7", "verified_on": today.isoformat()},
    )
    assert "more than 6 months ago" not in (await admin.get("/clinic")).text
    await admin.post(f"/clinic/crisis-resources/{samaritans.id}/remove")
    assert (
        await _clinic(services, worlds.home.clinic_id)
    ).crisis_resources == "Shout: 85258 (24/7)"
    last = await admin.post(f"/clinic/crisis-resources/{shout.id}/remove")
    assert last.status_code == 409 and "at least one crisis resource" in last.text
    audit = (await admin.get("/audit?action=crisis_resources_changed")).text
    assert audit.count("<td>Crisis resources changed</td>") == 4


async def test_closures_are_added_and_removed(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    today = services.now().date()
    first, last = today + timedelta(days=20), today + timedelta(days=22)
    backwards = {"starts_on": last.isoformat(), "ends_on": first.isoformat(), "note": "x"}
    assert (await admin.post("/clinic/closures", backwards)).status_code == 400
    await admin.post(
        "/clinic/closures",
        {"starts_on": first.isoformat(), "ends_on": last.isoformat(), "note": "Staff training"},
    )
    page = (await admin.get("/clinic")).text
    assert f"{first.isoformat()} to {last.isoformat()}: Staff training" in page
    async with services.sessionmaker() as session:
        [closure] = await session.scalars(select(ClinicClosure))
    await admin.post(f"/clinic/closures/{closure.id}/remove")
    assert "No closures coming up." in (await admin.get("/clinic")).text


async def test_admins_add_and_invite_staff_change_roles_and_deactivate_never_delete(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    taken = await admin.post(
        "/staff", {"name": "Copy", "email": worlds.foreign.emails["duty"], "role": "duty"}
    )
    assert taken.status_code == 400 and "already belongs to a staff member" in taken.text
    page = (
        await admin.post(
            "/staff", {"name": "Nia New", "email": "Nia@Riverside.test", "role": "duty"}
        )
    ).text
    link = re.search(r'<code class="invite">http://console.test/invite/([^<]+)</code>', page)
    assert link is not None
    async with services.sessionmaker() as session:
        nia = await session.scalar(select(Staff).where(Staff.email == "nia@riverside.test"))
        assert nia is not None and nia.role is StaffRole.duty
        invite = await session.scalar(select(StaffInvite).where(StaffInvite.staff_id == nia.id))
        assert invite is not None and invite.code_hash == hash_code(link.group(1))
        valid_for = invite.expires_at - services.now()
        assert timedelta(hours=71, minutes=59) < valid_for <= timedelta(hours=72)

    response = await admin.post(f"/staff/{nia.id}/role", {"role": "clinic_admin"})
    assert response.headers["location"] == "/staff?notice=role_changed"
    assert (await _staff(services, nia.id)).role is StaffRole.clinic_admin
    assert (await admin.post(f"/staff/{nia.id}/role", {"role": "boss"})).status_code == 409

    duty = await browsers.signed_in(worlds.home.duty_id)
    await admin.post(f"/staff/{worlds.home.duty_id}/deactivate")
    assert (await duty.http.get("/alerts")).headers["location"] == "/sign-in"
    member = await _staff(services, worlds.home.duty_id)
    assert member.deactivated_at is not None
    assert "Deactivated" in (await admin.get("/staff")).text


async def test_the_last_active_admin_stays_an_admin(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    response = await admin.post(f"/staff/{worlds.home.admin_id}/role", {"role": "duty"})
    assert response.status_code == 409 and "only active clinic admin" in response.text
    response = await admin.post(f"/staff/{worlds.home.admin_id}/deactivate")
    assert response.status_code == 409
    assert (await _staff(services, worlds.home.admin_id)).role is StaffRole.clinic_admin


async def test_reset_code_and_link_codes_for_telegram(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        assert duty is not None
        duty.totp_secret = "JBSWY3DPEHPK3PXP"
    admin = await browsers.signed_in(worlds.home.admin_id)
    await admin.post(f"/staff/{worlds.home.duty_id}/reset-code")
    assert (await _staff(services, worlds.home.duty_id)).totp_secret is None

    page = (await admin.post(f"/staff/{worlds.home.duty_id}/telegram-code")).text
    code = re.search(r"<code>/staff ([^<]+)</code>", page)
    assert code is not None
    assert (await _staff(services, worlds.home.duty_id)).link_code_hash == hash_code(code.group(1))

    page = (await admin.post("/clinic/group-link-code")).text
    group = re.search(r"<code>/link ([^<]+)</code>", page)
    assert group is not None
    clinic = await _clinic(services, worlds.home.clinic_id)
    assert clinic.link_code_hash == hash_code(group.group(1))
    audit = (await admin.get("/audit")).text
    for what in ("Authenticator code reset", "Telegram link code issued", "Staff group link code"):
        assert what in audit


async def test_crisis_lines_carry_their_languages(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    admin = await browsers.signed_in(worlds.home.admin_id)
    today = services.now().date().isoformat()
    line = {"name": "Samaritans", "number": "116 123", "hours": "24/7", "verified_on": today}
    wrong = await admin.post("/clinic/crisis-resources", {**line, "languages": "en, english"})
    assert wrong.status_code == 400 and "&#39;english&#39; is not a language code" in wrong.text
    await admin.post("/clinic/crisis-resources", {**line, "languages": "EN"})
    spanish = {"name": "Esperanza", "number": "717 003 717", "hours": "24/7", "verified_on": today}
    await admin.post("/clinic/crisis-resources", {**spanish, "languages": "es"})
    await admin.post(
        "/clinic/crisis-resources",
        {"name": "Emergency", "number": "112", "hours": "24/7", "verified_on": today},
    )
    clinic = await _clinic(services, worlds.home.clinic_id)
    english, everyone = "Samaritans: 116 123 (24/7)", "Emergency: 112 (24/7)"
    spain = "Esperanza: 717 003 717 (24/7)"
    assert clinic.resources_in("es").split("\n") == [spain, everyone, english]
    assert clinic.resources_in("en").split("\n") == [english, everyone, spain]
    assert clinic.resources_in(None).split("\n") == [english, spain, everyone]
    assert 'value="en"' in (await admin.get("/clinic")).text
