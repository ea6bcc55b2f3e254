"""How to reach the client from the alert page: phone and emergency contact from the enrolment
wizard or the command line, the therapist's contact and the safety plan, shown only to the
clinic's queue staff."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.client.models import Client
from bot.services import Services
from tests.cli.conftest import cli_env, invoke
from tests.web.conftest import Browsers, Worlds
from tests.web.test_enrolment import post, wizard

__all__ = ["cli_env"]

PHONE = "+44 7700 900123"
CONTACT = "Alex (partner) 07700 900456"


async def _client(services: Services, client_id: int) -> Client:
    async with services.sessionmaker() as session:
        found = await session.get(Client, client_id)
        assert found is not None
        return found


async def test_the_wizards_details_step_records_phone_and_emergency_contact(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    await ana.get("/clients/new")
    bad = await post(ana, "/clients/new", wizard(0, action="next", phone="call me maybe"))
    assert 'name="step" value="0"' in bad.text and "is not a phone number" in bad.text
    contacts = {"phone": PHONE, "emergency_contact": CONTACT}
    review = await post(ana, "/clients/new", wizard(2, action="next", **contacts))
    pseudonym = review.text.split('name="pseudonym" value="', 1)[1].split('"', 1)[0]
    created = await post(
        ana, "/clients/new", wizard(3, action="create", pseudonym=pseudonym, **contacts)
    )
    assert created.status_code == 201
    async with services.sessionmaker() as session:
        client = await session.scalar(select(Client).where(Client.pseudonym == pseudonym))
    assert client is not None and (client.phone, client.emergency_contact) == (PHONE, CONTACT)


async def test_the_command_line_sets_and_clears_them(
    services: Services, worlds: Worlds, cli_env: str
) -> None:
    client_id = str(worlds.home.client_id)
    set_both = await asyncio.to_thread(
        invoke, "client", "update", client_id, "--phone", PHONE, "--emergency-contact", CONTACT
    )
    assert set_both.code == 0, set_both.err
    assert (await _client(services, worlds.home.client_id)).phone == PHONE
    refused = await asyncio.to_thread(invoke, "client", "update", client_id, "--phone", "²²²")
    assert refused.code != 0 and "is not a phone number" in refused.err
    cleared = await asyncio.to_thread(invoke, "client", "update", client_id, "--phone", "")
    assert cleared.code == 0, cleared.err
    client = await _client(services, worlds.home.client_id)
    assert (client.phone, client.emergency_contact) == (None, CONTACT)


async def test_the_alert_page_shows_how_to_reach_them_only_to_the_clinic(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        client.phone, client.emergency_contact = PHONE, CONTACT
    alert_id = worlds.home.urgent_alert_id
    duty = await browsers.signed_in(worlds.home.duty_id)
    page = (await duty.get(f"/alerts/{alert_id}")).text
    reach = page.split('id="reach-heading"')[1].split("</section>")[0]
    assert 'href="tel:+447700900123"' in reach and CONTACT in reach
    assert "Dr Ana Rivera" in reach and worlds.home.emails["therapist"] in reach
    assert "Their safety plan (read-only)" in reach and "<form" not in reach
    assert "<h3>My warning signs</h3>" in reach
    foreign = await browsers.signed_in(worlds.foreign.duty_id)
    assert (await foreign.get(f"/alerts/{alert_id}")).status_code == 404
    therapist = await browsers.signed_in(worlds.home.therapist_id)
    assert (await therapist.get(f"/alerts/{alert_id}")).status_code == 403
