"""The audit log: append-only in the database, and what the admin page and export show."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.audit import service as audit
from bot.audit.models import AuditAction, AuditEntry
from bot.services import Services
from tests.web.conftest import Browser, Browsers, Worlds
from tests.web.world import PASSWORD


async def test_the_database_refuses_to_change_or_delete_audit_lines(services: Services) -> None:
    async with services.sessionmaker.begin() as session:
        audit.record(session, actor=audit.CLI, action=AuditAction.sign_in, now=services.now())
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with services.sessionmaker.begin() as session:
                await session.execute(text(statement))
    async with services.sessionmaker() as session:
        assert await session.scalar(text("SELECT actor FROM audit_log")) == "cli"


async def test_sign_ins_and_failures_are_recorded_with_who_and_from_where(
    browser: Browser, browsers: Browsers, worlds: Worlds
) -> None:
    await browser.sign_in(worlds.home.emails["duty"], "wrong password here")
    await browser.sign_in(worlds.home.emails["duty"], PASSWORD)
    admin = await browsers.signed_in(worlds.home.admin_id)
    page = (await admin.get(f"/audit?staff={worlds.home.duty_id}")).text
    assert "<td>Dee Duty (console)</td><td>Sign-in failed</td>" in page
    assert "<td>Dee Duty (console)</td><td>Signed in</td>" in page
    assert page.count("<td>203.0.113.7</td>") == 2


async def test_the_admin_page_filters_and_shows_only_its_clinic(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    await duty.get(f"/alerts/{worlds.home.urgent_alert_id}")
    await duty.post(f"/alerts/{worlds.home.routine_alert_id}/take")
    foreign = await browsers.signed_in(worlds.foreign.duty_id)
    await foreign.post(f"/alerts/{worlds.foreign.urgent_alert_id}/take")
    admin = await browsers.signed_in(worlds.home.admin_id)
    everything = (await admin.get("/audit")).text
    assert "<td>Alert taken</td>" in everything and "<td>Alert opened" in everything
    assert f"<td>alert {worlds.foreign.urgent_alert_id}</td>" not in everything
    taken = (await admin.get("/audit?action=alert_taken")).text
    assert taken.count("<td>Alert taken</td>") == 1 and "<td>Alert opened" not in taken
    about = (await admin.get(f"/audit?target=alert+{worlds.home.urgent_alert_id}")).text
    assert "<td>Alert opened" in about and "<td>Alert taken</td>" not in about
    tomorrow = (services.now() + timedelta(days=1)).date().isoformat()
    assert "Nothing recorded" in (await admin.get(f"/audit?since={tomorrow}")).text


async def test_the_export_is_csv_and_is_itself_audited(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        audit.record(
            session,
            actor=audit.Actor("cli", "cli", clinic_id=worlds.home.clinic_id),
            action=AuditAction.staff_added,
            now=services.now(),
            detail="=HYPERLINK(1)",
        )
    admin = await browsers.signed_in(worlds.home.admin_id)
    response = await admin.get("/audit.csv?action=staff_added")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == list(audit.CSV_HEADER)
    assert [r[4] for r in rows[1:]] == ["staff_added"] * (len(rows) - 1)
    assert "'=HYPERLINK(1)" in [r[6] for r in rows[1:]]
    async with services.sessionmaker() as session:
        exported = await session.scalar(
            text("SELECT count(*) FROM audit_log WHERE action = 'audit_exported'")
        )
    assert exported == 1
    assert AuditEntry.__tablename__ == "audit_log"
