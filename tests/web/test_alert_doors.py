"""One door per verb: the console, the staff group's buttons and the CLI record a take and a
resolve alike; hand-over offers only who can take it and tells them; deactivation returns alerts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from bot.alert import flows, links
from bot.alert import service as alerts
from bot.alert.handling_models import AlertHandling
from bot.alert.models import Alert, AlertEvent, AlertStatus, AlertType, Severity
from bot.audit.models import AuditEntry
from bot.cli.main import app as cli_app
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.console import accounts
from bot.outbox.models import OutboxMessage, Purpose
from bot.services import Services
from bot.staff.models import Staff
from tests.web.conftest import Browsers, Worlds
from tests.web.world import password_hash

GROUP = -1001
DEE, JO = 8003, 8002


@pytest.fixture
def console_links() -> Iterator[None]:
    links.use_console("https://console.riverside.test")
    yield
    links.use_console(None)


async def _link_telegram(services: Services, worlds: Worlds) -> None:
    async with services.sessionmaker.begin() as session:
        for staff_id, telegram in ((worlds.home.duty_id, DEE), (worlds.home.admin_id, JO)):
            member = await session.get(Staff, staff_id)
            assert member is not None
            member.telegram_user_id = telegram


async def _fresh_alerts(services: Services, worlds: Worlds, count: int) -> list[int]:
    """`count` urgent alerts of different types for the home clinic's client."""
    kinds = [AlertType.lapse, AlertType.warning_signs, AlertType.needs_review][:count]
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        made = []
        for kind in kinds:
            alert, _ = await alerts.raise_alert(
                session,
                client=client,
                type=kind,
                severity=Severity.urgent,
                evidence="test",
                now=services.now(),
            )
            made.append(alert.id)
        return made


async def _record(services: Services, alert_id: int) -> tuple[object, ...]:
    """What a take and a resolve leave behind, without the door's name and the times."""
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        events = list(
            await session.scalars(
                select(AlertEvent.action, AlertEvent.actor_staff_id)
                .where(AlertEvent.alert_id == alert_id)
                .order_by(AlertEvent.id)
            )
        )
        handling = (
            await session.execute(
                select(AlertHandling.step, AlertHandling.staff_id, AlertHandling.note).where(
                    AlertHandling.alert_id == alert_id
                )
            )
        ).all()
        updates = await session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.alert_id == alert_id, OutboxMessage.purpose == Purpose.alert_update
            )
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
    return (
        alert.status,
        alert.owner_id,
        alert.acknowledged_by_id,
        alert.resolved_by_id,
        alert.resolution_note,
        tuple(e for e in events),
        tuple(tuple(h) for h in handling),
        updates is not None,
    )


async def test_take_and_resolve_record_the_same_from_console_group_and_cli(
    browsers: Browsers,
    services: Services,
    worlds: Worlds,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _link_telegram(services, worlds)
    by_console, by_group, by_cli = await _fresh_alerts(services, worlds, 3)
    duty = worlds.home.duty_id

    browser = await browsers.signed_in(duty)
    await browser.post(f"/alerts/{by_console}/take")
    await browser.post(
        f"/alerts/{by_console}/resolve", {"reason": "contacted_client", "note": "called, safe"}
    )

    now = services.now()
    for action, note in (("ack", None), ("resolve", "called, safe")):
        result = await flows.act(
            services.sessionmaker,
            alert_id=by_group,
            telegram_user_id=DEE,
            chat_id=GROUP,
            action=action,  # type: ignore[arg-type]
            note=note,
            now=now,
        )
        assert result is flows.ActResult.done

    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    # The command line runs its own event loop: in a thread, as from a shell.
    took = await asyncio.to_thread(
        runner.invoke, cli_app, ["alerts", "ack", str(by_cli), "--by", str(duty)]
    )
    assert took.exit_code == 0, took.output
    closed = await asyncio.to_thread(
        runner.invoke,
        cli_app,
        ["alerts", "resolve", str(by_cli), "--by", str(duty), "--note", "called, safe"],
    )
    assert closed.exit_code == 0, closed.output

    console_record = await _record(services, by_console)
    assert console_record[:5] == (AlertStatus.resolved, duty, duty, duty, "called, safe")
    # Only the console asks why it can close; everything else is the same whichever door.
    assert await _record(services, by_group) == console_record
    assert await _record(services, by_cli) == console_record


async def test_hand_over_offers_only_who_can_take_it_and_tells_them(
    browsers: Browsers, services: Services, worlds: Worlds, console_links: None
) -> None:
    await _link_telegram(services, worlds)
    async with services.sessionmaker.begin() as session:
        clinic_id = worlds.home.clinic_id
        invitee = await accounts.add(
            session,
            clinic=await _clinic(session, clinic_id),
            name="Ivy Invitee",
            email="ivy@riverside.test",
            role="duty",
        )
        gone = await accounts.add(
            session,
            clinic=await _clinic(session, clinic_id),
            name="Gus Gone",
            email="gus@riverside.test",
            role="duty",
        )
        gone.password_hash = password_hash()
        gone.deactivated_at = services.now()
        colleague = await accounts.add(
            session,
            clinic=await _clinic(session, clinic_id),
            name="Cal Colleague",
            email="cal@riverside.test",
            role="duty",
        )
        colleague.password_hash = password_hash()
        invitee_id, gone_id = invitee.id, gone.id
    alert_id = worlds.home.urgent_alert_id
    duty = await browsers.signed_in(worlds.home.duty_id)
    await duty.post(f"/alerts/{alert_id}/take")
    page = (await duty.get(f"/alerts/{alert_id}")).text
    offered = page.split('id="to_staff_id"')[1].split("</select>")[0]
    assert "Jo Admin" in offered and "Cal Colleague" in offered
    for absent in ("Dr Ana Rivera", "Ivy Invitee", "Gus Gone", "Dee Duty"):
        assert absent not in offered
    for refused in (worlds.home.therapist_id, invitee_id, gone_id, worlds.foreign.admin_id):
        answer = await duty.post(f"/alerts/{alert_id}/hand-over", {"to_staff_id": str(refused)})
        assert answer.status_code in (404, 409), refused
    for nonsense in ("²", "99999999999999999999", "-1", ""):
        answer = await duty.post(f"/alerts/{alert_id}/hand-over", {"to_staff_id": nonsense})
        assert answer.status_code == 400, nonsense

    handed = await duty.post(
        f"/alerts/{alert_id}/hand-over",
        {"to_staff_id": str(worlds.home.admin_id), "note": "call at 6"},
    )
    assert handed.status_code == 303
    async with services.sessionmaker() as session:
        [told] = list(
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == JO, OutboxMessage.purpose == Purpose.staff_notice
                )
            )
        )
    assert f"Dee Duty handed alert #{alert_id} to you" in told.text
    assert "call at 6" in told.text and "Sam Jones" not in told.text
    assert f"https://console.riverside.test/alerts/{alert_id}" in told.text

    admin = await browsers.signed_in(worlds.home.admin_id)
    queue = (await admin.get("/alerts")).text
    row = queue.split(f'data-alert="{alert_id}"')[1].split("</tr>")[0]
    assert "Handed to you" in row
    assert "Handed to you" in (await admin.get(f"/alerts/{alert_id}")).text
    # The one who handed it on sees no marker: it is not theirs.
    assert "Handed to you" not in (await duty.get("/alerts")).text


async def _clinic(session: AsyncSession, clinic_id: int) -> Clinic:
    clinic = await session.get(Clinic, clinic_id)
    assert clinic is not None
    return clinic


async def test_deactivating_someone_returns_their_alerts_to_the_queue(
    browsers: Browsers, services: Services, worlds: Worlds, console_links: None
) -> None:
    alert_id = worlds.home.urgent_alert_id
    async with services.sessionmaker.begin() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        alert.staff_message_id = 555
    duty = await browsers.signed_in(worlds.home.duty_id)
    await duty.post(f"/alerts/{alert_id}/take")
    admin = await browsers.signed_in(worlds.home.admin_id)
    await admin.get("/staff")
    gone = await admin.post(f"/staff/{worlds.home.duty_id}/deactivate")
    assert gone.status_code == 303

    async with services.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        assert alert.status is AlertStatus.open and alert.acknowledged_by_id is None
        assert alert.owner_id == worlds.home.therapist_id
        [audit] = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "alert_returned"))
        )
        edit = await session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.alert_id == alert_id, OutboxMessage.purpose == Purpose.alert_update
            )
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
    assert audit.target == f"alert {alert_id}" and "Dee Duty" in (audit.detail or "")
    assert edit is not None and edit.edit_message_id == 555
    assert "Acknowledged by" not in edit.text
    assert f"https://console.riverside.test/alerts/{alert_id}" in edit.text
    labels = [label for row in edit.keyboard() or [] for label, _ in row]
    assert labels == ["Acknowledge", "Resolve"]
    page = (await admin.get(f"/alerts/{alert_id}")).text
    assert "Back in the queue" in page and "Dee Duty was deactivated" in page
    assert services.now() - timedelta(minutes=1) < audit.at
    # The audit log's "About" names the person who was deactivated.
    log = (await admin.get("/audit?action=staff_deactivated")).text
    assert f"Dee Duty (staff {worlds.home.duty_id})" in log
