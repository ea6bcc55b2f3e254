"""The resolved list: filters by reason, who and when in the URL (bad values ignored, never a
500), another clinic's alerts never shown, and reopening from the list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.alert.models import Alert, AlertStatus
from bot.console import resolved_list
from bot.services import Services
from tests.web.conftest import Browsers, Worlds

ROW = re.compile(r'<tr data-alert="(\d+)"')


async def _shown(browser, path: str) -> list[int]:  # type: ignore[no-untyped-def]
    response = await browser.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [int(found) for found in ROW.findall(response.text)]


async def test_resolved_alerts_filter_by_reason_who_and_when_and_reopen(
    browsers: Browsers, services: Services, worlds: Worlds, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, foreign = worlds.home, worlds.foreign
    duty = await browsers.signed_in(home.duty_id)
    admin = await browsers.signed_in(home.admin_id)
    await duty.post(
        f"/alerts/{home.urgent_alert_id}/resolve",
        {"reason": "contacted_client", "note": "called, safe"},
    )
    await admin.post(
        f"/alerts/{home.routine_alert_id}/resolve",
        {"reason": "not_a_concern", "note": "on holiday"},
    )
    other = await browsers.signed_in(foreign.duty_id)
    await other.post(
        f"/alerts/{foreign.urgent_alert_id}/resolve",
        {"reason": "contacted_client", "note": "theirs"},
    )
    async with services.sessionmaker.begin() as session:
        # The routine one was resolved three days ago.
        routine = await session.get(Alert, home.routine_alert_id)
        assert routine is not None and routine.resolved_at is not None
        routine.resolved_at -= timedelta(days=3)

    urgent, routine_id = home.urgent_alert_id, home.routine_alert_id
    assert await _shown(duty, "/alerts/resolved") == [urgent, routine_id]
    assert await _shown(duty, "/alerts/resolved?reason=contacted_client") == [urgent]
    assert await _shown(duty, "/alerts/resolved?reason=none") == []
    assert await _shown(duty, f"/alerts/resolved?who={home.admin_id}") == [routine_id]
    today = services.now().date()
    assert await _shown(duty, f"/alerts/resolved?since={today.isoformat()}") == [urgent]
    earlier = (today - timedelta(days=1)).isoformat()
    assert await _shown(duty, f"/alerts/resolved?until={earlier}") == [routine_id]
    page = (await duty.get("/alerts/resolved?reason=not_a_concern")).text
    assert "Not a concern / misread" in page and "on holiday" in page and "Jo Admin" in page
    # Out-of-range and malformed values are ignored: the whole list, never an error.
    for bad in (
        "who=²",
        "who=99999999999999999999",
        "reason=../../etc",
        "since=0001-01-01",
        "until=9999-12-31",
        "since=2026-02-30",
        "until=" + "9" * 5000,
    ):
        assert await _shown(duty, f"/alerts/resolved?{bad}") == [urgent, routine_id], bad
    # Therapists don't work the queue.
    therapist = await browsers.signed_in(home.therapist_id)
    assert (await therapist.get("/alerts/resolved")).status_code == 403

    # A page at a time, older ones behind a link that keeps the filters.
    monkeypatch.setattr(resolved_list, "LIMIT", 1)
    first = (await duty.get("/alerts/resolved?reason=&who=")).text
    assert ROW.findall(first) == [str(urgent)]
    older = re.search(r'href="/alerts/resolved\?([^"]*before=\d+[^"]*)">Older', first)
    assert older is not None
    assert await _shown(duty, "/alerts/resolved?" + older.group(1).replace("&amp;", "&")) == [
        routine_id
    ]
    assert await _shown(duty, "/alerts/resolved?before=99999999999999999999") == [urgent]
    monkeypatch.setattr(resolved_list, "LIMIT", 100)

    reopened = await duty.post(
        f"/alerts/{routine_id}/reopen", {"note": "they wrote again", "back": "resolved"}
    )
    assert reopened.headers["location"] == "/alerts/resolved?notice=reopened"
    assert await _shown(duty, "/alerts/resolved") == [urgent]
    async with services.sessionmaker() as session:
        alert = await session.get(Alert, routine_id)
        assert alert is not None and alert.status is AlertStatus.open
