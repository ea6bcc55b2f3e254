"""The alert queue and page: order, filters, live refresh, and take / hand over / resolve /
reopen, each queuing the staff group's message edit in the same transaction."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.alert import service as alerts
from bot.alert.handling_models import AlertHandling
from bot.alert.models import Alert, AlertStatus, AlertType, Severity
from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import Client
from bot.conversation.models import ClientMessage
from bot.outbox.models import OutboxMessage, Purpose
from bot.services import Services
from bot.staff.models import Staff
from tests.web.conftest import Browsers, Worlds

ROW = re.compile(r'data-alert="(\d+)"')


async def _alert(services: Services, alert_id: int) -> Alert:
    async with services.sessionmaker() as session:
        found = await session.get(Alert, alert_id)
        assert found is not None
        return found


async def _group_edits(services: Services, alert_id: int) -> list[OutboxMessage]:
    async with services.sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.alert_id == alert_id,
                    OutboxMessage.purpose == Purpose.alert_update,
                )
                .order_by(OutboxMessage.id)
            )
        )


async def _announced(services: Services, alert_id: int, message_id: int = 555) -> None:
    async with services.sessionmaker.begin() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        alert.staff_message_id = message_id


async def _more_alerts(services: Services, worlds: Worlds) -> dict[str, int]:
    """Elevated and routine alerts whose deadlines tie with or beat the urgent one's."""
    now = services.now()
    urgent = await _alert(services, worlds.home.urgent_alert_id)
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        made = {}
        for name, kind, severity, deadline in (
            ("tie", AlertType.lapse, Severity.routine, urgent.deadline_at),
            ("soonest", AlertType.warning_signs, Severity.elevated, now + timedelta(minutes=5)),
        ):
            alert, _ = await alerts.raise_alert(
                session, client=client, type=kind, severity=severity, evidence=name, now=now
            )
            alert.deadline_at = deadline
            made[name] = alert.id
        return made


async def test_the_queue_is_ordered_by_deadline_then_severity(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    made = await _more_alerts(services, worlds)
    duty = await browsers.signed_in(worlds.home.duty_id)
    page = (await duty.get("/alerts")).text
    assert [int(i) for i in ROW.findall(page)] == [
        made["soonest"],
        worlds.home.urgent_alert_id,  # the same deadline as "tie", more severe
        made["tie"],
        worlds.home.routine_alert_id,
    ]
    assert "<title>(4) Alert queue · aftercare</title>" in page
    assert "4</strong> not taken yet" in page


async def test_overdue_rows_are_marked_with_how_late(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        alert = await session.get(Alert, worlds.home.urgent_alert_id)
        assert alert is not None
        alert.deadline_at = services.now() - timedelta(minutes=65)
    page = (await (await browsers.signed_in(worlds.home.duty_id)).get("/alerts")).text
    row = re.search(
        rf'<tr class="([^"]*)" data-alert="{worlds.home.urgent_alert_id}"[^>]*>(.*?)</tr>',
        page,
        re.S,
    )
    assert row is not None and "overdue" in row.group(1)
    assert "Overdue by 1 h 5 min" in row.group(2)
    assert "min left" in page  # the routine one is not overdue
    assert "<title>(2 · 1 overdue) Alert queue · aftercare</title>" in page


async def test_filters_live_in_the_url_and_the_live_refresh_keeps_them(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    page = (await duty.get("/alerts?severity=urgent&type=bogus")).text
    assert ROW.findall(page) == [str(worlds.home.urgent_alert_id)]
    assert 'data-live="/alerts/live?severity=urgent"' in page
    assert 'data-poll-seconds="10"' in page
    await duty.post(f"/alerts/{worlds.home.routine_alert_id}/take")
    mine = (await duty.get("/alerts?who=mine")).text
    assert ROW.findall(mine) == [str(worlds.home.routine_alert_id)]
    unassigned = (await duty.get("/alerts?who=unassigned")).text
    assert ROW.findall(unassigned) == [str(worlds.home.urgent_alert_id)]
    taken = (await duty.get("/alerts?status=acknowledged&type=missed_checkins")).text
    assert ROW.findall(taken) == [str(worlds.home.routine_alert_id)]
    tomorrow = (services.now() + timedelta(days=2)).date().isoformat()
    assert ROW.findall((await duty.get(f"/alerts?since={tomorrow}")).text) == []
    today = services.now().date().isoformat()
    assert len(ROW.findall((await duty.get(f"/alerts?since={today}&until={today}")).text)) == 2
    live = await duty.http.get("/alerts/live?who=mine", headers={"hx-request": "true"})
    assert live.text.startswith("<title>(1) Alert queue · aftercare</title>")
    assert "<header" not in live.text and ROW.findall(live.text) == [
        str(worlds.home.routine_alert_id)
    ]


async def test_taking_an_alert_shows_it_in_the_staff_group_and_a_second_taker_is_told(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await _announced(services, alert_id)
    duty = await browsers.signed_in(worlds.home.duty_id)
    response = await duty.post(f"/alerts/{alert_id}/take", {"back": "queue"})
    assert response.headers["location"] == "/alerts?notice=taken"
    alert = await _alert(services, alert_id)
    assert alert.status is AlertStatus.acknowledged
    assert (alert.acknowledged_by_id, alert.owner_id) == (worlds.home.duty_id, worlds.home.duty_id)
    [edit] = await _group_edits(services, alert_id)
    assert edit.edit_message_id == 555 and edit.chat_id == -1001
    assert "Acknowledged by Dee Duty (console)" in edit.text and edit.buttons
    admin = await browsers.signed_in(worlds.home.admin_id)
    late = await admin.post(f"/alerts/{alert_id}/take")
    assert late.status_code == 409
    assert "Someone has already taken this alert: Dee Duty (console)." in late.text
    assert len(await _group_edits(services, alert_id)) == 1


async def test_hand_over_moves_the_alert_to_a_colleague(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await _announced(services, alert_id)
    duty = await browsers.signed_in(worlds.home.duty_id)
    admin_id = str(worlds.home.admin_id)
    early = await duty.post(f"/alerts/{alert_id}/hand-over", {"to_staff_id": admin_id})
    assert early.status_code == 409 and "Take the alert first" in early.text
    await duty.post(f"/alerts/{alert_id}/take")
    response = await duty.post(
        f"/alerts/{alert_id}/hand-over", {"to_staff_id": admin_id, "note": "call at 6"}
    )
    assert response.headers["location"] == f"/alerts/{alert_id}?notice=handed_over"
    alert = await _alert(services, alert_id)
    assert alert.acknowledged_by_id == alert.owner_id == worlds.home.admin_id
    assert alert.acknowledged_by == "Jo Admin (handed over by Dee Duty)"
    edits = await _group_edits(services, alert_id)
    assert "Acknowledged by Jo Admin (handed over by Dee Duty)" in edits[-1].text
    page = (await duty.get(f"/alerts/{alert_id}")).text
    assert "Handed over</strong> · Dee Duty (console) · to Jo Admin: call at 6" in page
    same = await duty.post(f"/alerts/{alert_id}/hand-over", {"to_staff_id": admin_id})
    assert same.status_code == 409 and "already with that colleague" in same.text
    async with services.sessionmaker.begin() as session:
        therapist = await session.get(Staff, worlds.home.therapist_id)
        assert therapist is not None
        therapist.deactivated_at = services.now()
    refused = await duty.post(
        f"/alerts/{alert_id}/hand-over", {"to_staff_id": str(worlds.home.therapist_id)}
    )
    assert refused.status_code == 409 and "account is deactivated" in refused.text


async def test_resolving_needs_a_reason_and_a_note_and_removes_the_groups_buttons(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await _announced(services, alert_id)
    duty = await browsers.signed_in(worlds.home.duty_id)
    no_reason = await duty.post(f"/alerts/{alert_id}/resolve", {"note": "called"})
    assert no_reason.status_code == 400 and "Choose why the alert can be closed" in no_reason.text
    no_note = await duty.post(
        f"/alerts/{alert_id}/resolve", {"reason": "could_not_reach", "note": "  "}
    )
    assert no_note.status_code == 400 and "Write a short note" in no_note.text
    assert (await _alert(services, alert_id)).status is AlertStatus.open
    done = await duty.post(
        f"/alerts/{alert_id}/resolve", {"reason": "could_not_reach", "note": "voicemail twice"}
    )
    assert done.headers["location"] == f"/alerts/{alert_id}?notice=resolved"
    alert = await _alert(services, alert_id)
    assert alert.status is AlertStatus.resolved and alert.resolution_note == "voicemail twice"
    [edit] = await _group_edits(services, alert_id)
    assert "Resolved by Dee Duty (console)" in edit.text and edit.buttons is None
    async with services.sessionmaker() as session:
        [handling] = await session.scalars(select(AlertHandling))
    assert (handling.step, handling.reason) == ("resolved", "could_not_reach")
    page = (await duty.get(f"/alerts/{alert_id}")).text
    assert "Could not reach the client · voicemail twice" in page
    assert "[could_not_reach]" not in page
    again = await duty.post(f"/alerts/{alert_id}/resolve", {"reason": "duplicate", "note": "x"})
    assert again.status_code == 409 and "already resolved" in again.text


async def test_reopening_puts_it_back_untaken_with_a_new_deadline(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    await _announced(services, alert_id)
    duty = await browsers.signed_in(worlds.home.duty_id)
    assert (await duty.post(f"/alerts/{alert_id}/reopen", {"note": "x"})).status_code == 409
    await duty.post(f"/alerts/{alert_id}/take")
    await duty.post(f"/alerts/{alert_id}/resolve", {"reason": "not_a_concern", "note": "misread"})
    later = services.now() + timedelta(hours=2)
    services.now = lambda: later
    # Two hours on, the old session has ended: its form sends the person to sign in again.
    assert (await duty.post(f"/alerts/{alert_id}/reopen", {"note": "x"})).headers[
        "location"
    ] == "/sign-in"
    duty = await browsers.signed_in(worlds.home.duty_id)
    assert (await duty.post(f"/alerts/{alert_id}/reopen", {"note": " "})).status_code == 400
    response = await duty.post(f"/alerts/{alert_id}/reopen", {"note": "she wrote again"})
    assert response.headers["location"] == f"/alerts/{alert_id}?notice=reopened"
    alert = await _alert(services, alert_id)
    assert alert.status is AlertStatus.open and alert.resolved_by is None
    assert alert.acknowledged_by is None and alert.escalated_at is None
    assert alert.deadline_at == later + timedelta(minutes=15)
    edits = await _group_edits(services, alert_id)
    assert edits[-1].buttons and "Resolved" not in edits[-1].text
    page = (await duty.get(f"/alerts/{alert_id}")).text
    assert "Reopened</strong> · Dee Duty (console) · she wrote again" in page


async def test_reopening_is_refused_while_a_newer_alert_of_the_kind_is_open(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    alert_id = worlds.home.urgent_alert_id
    duty = await browsers.signed_in(worlds.home.duty_id)
    await duty.post(f"/alerts/{alert_id}/resolve", {"reason": "duplicate", "note": "dup"})
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        newer, created = await alerts.raise_alert(
            session,
            client=client,
            type=AlertType.crisis,
            severity=Severity.urgent,
            evidence="again",
            now=services.now(),
        )
        assert created
    refused = await duty.post(f"/alerts/{alert_id}/reopen", {"note": "again"})
    assert refused.status_code == 409 and f"(#{newer.id})" in refused.text
    assert (await _alert(services, alert_id)).status is AlertStatus.resolved


async def test_the_alert_page_says_why_shows_check_ins_and_is_audited(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        session.add(
            Checkin(
                client_id=worlds.home.client_id,
                due_at=services.now() - timedelta(days=1),
                status=CheckinStatus.answered,
                mood=2,
                warning_signs=[0],
                note="rough week",
            )
        )
        # The crisis net caught it too, as the flow records it.
        alert = await session.get(Alert, worlds.home.urgent_alert_id)
        assert alert is not None and alert.evidence_message_id is not None
        message = await session.get(ClientMessage, alert.evidence_message_id)
        assert message is not None
        message.net_matches = "end_my_life"
    duty = await browsers.signed_in(worlds.home.duty_id)
    page = (await duty.get(f"/alerts/{worlds.home.urgent_alert_id}")).text
    assert "Sam Jones (C-" in page and "therapist Dr Ana Rivera" in page
    assert "i want to end it all tonight" in page
    assert "the built-in classifier: intent “crisis”, confidence 0.90" in page
    # In words: what the net matched in theirs, and what the classifier read.
    assert "the words “end it all” matched the crisis net" in page
    assert "the classifier read it as a crisis (90% sure)" in page
    assert "No crisis resources were sent with this alert." in page
    assert "rough week" in page and "<td>2</td>" in page
    assert "Raised</strong> · system" in page
    admin = await browsers.signed_in(worlds.home.admin_id)
    audit = (await admin.get("/audit?action=alert_viewed")).text
    assert f"alert {worlds.home.urgent_alert_id}" in audit and "Dee Duty (console)" in audit
    assert "Sam Jones" not in audit


async def test_return_requests_have_their_own_queue(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    request_id = worlds.home.return_request_id
    page = (await duty.get("/returns")).text
    assert (
        f'<td data-label="Request">#{request_id}</td>' in page
        and "<title>(1) Return requests" in page
    )
    assert "h 59 min left" in page
    response = await duty.post(
        f"/returns/{request_id}/status", {"status": "contacted", "note": "left a message"}
    )
    assert response.headers["location"] == "/returns?notice=return_updated"
    page = (await duty.get("/returns")).text
    assert "Contacted" in page and "left a message" in page and "<title>(0) Return" in page
    bad = await duty.post(f"/returns/{request_id}/status", {"status": "new"})
    assert bad.status_code == 409
    await duty.post(f"/returns/{request_id}/status", {"status": "booked"})
    assert f"#{request_id}" not in (await duty.get("/returns")).text
    assert f"#{request_id}" in (await duty.get("/returns?show=closed")).text


async def test_a_return_request_update_is_on_the_audit_log_whichever_door(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    from bot.audit import service as audit_service
    from bot.return_request import service as returns

    duty = await browsers.signed_in(worlds.home.duty_id)
    request_id = worlds.home.return_request_id
    await duty.post(f"/returns/{request_id}/status", {"status": "contacted", "note": "rang"})
    async with services.sessionmaker.begin() as session:
        await returns.update_status(
            session,
            request_id=request_id,
            status="booked",
            note="booked for Monday",
            now=services.now(),
            by=audit_service.CLI,
        )
    admin = await browsers.signed_in(worlds.home.admin_id)
    log = (await admin.get("/audit?action=return_request_changed")).text
    assert log.count(f"return request {request_id}") == 2
    assert "Dee Duty (console)" in log and ">cli<" in log
