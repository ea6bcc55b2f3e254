"""Response figures: time to take and resolve by severity, past deadline, reasons, per week."""

from __future__ import annotations

import html
from datetime import timedelta

from bot.alert import actions
from bot.alert import service as alerts
from bot.alert.handling_models import ResolutionReason
from bot.alert.models import AlertType, Severity
from bot.client.models import Client
from bot.console import response_figures
from bot.services import Services
from bot.staff.models import Staff
from tests.factories import make_client
from tests.web.conftest import Browsers, Worlds

MINUTE = timedelta(minutes=1)


def test_the_median_and_90th_percentile_are_nearest_rank() -> None:
    spread = response_figures.spread([MINUTE * n for n in (10, 1, 9, 2, 8, 3, 7, 4, 6, 5)])
    assert (spread.count, spread.median, spread.p90) == (10, 5 * MINUTE, 9 * MINUTE)
    assert response_figures.spread([]) == response_figures.Spread()


async def _handled(services: Services, worlds: Worlds) -> None:
    """Three urgent alerts raised three hours ago: taken after 5, 10 and 30 minutes (the last
    past its 15-minute deadline), each resolved an hour after it was raised."""
    raised = services.now() - timedelta(hours=3)
    reasons = [
        ResolutionReason.contacted_client,
        ResolutionReason.contacted_client,
        ResolutionReason.could_not_reach,
    ]
    async with services.sessionmaker.begin() as session:
        duty = await session.get(Staff, worlds.home.duty_id)
        sam = await session.get(Client, worlds.home.client_id)
        assert duty is not None and sam is not None
        for n, (after, reason) in enumerate(zip((5, 10, 30), reasons, strict=True)):
            client = await make_client(
                session, therapist=sam.therapist, now=raised, name=f"Client {n}"
            )
            alert, _ = await alerts.raise_alert(
                session,
                client=client,
                type=AlertType.crisis,
                severity=Severity.urgent,
                evidence="test",
                now=raised,
            )
            by = actions.Actor(duty, actions.Door.console)
            await actions.take(session, alert_id=alert.id, actor=by, now=raised + after * MINUTE)
            await actions.resolve(
                session,
                alert_id=alert.id,
                actor=by,
                reason=reason,
                note="called",
                now=raised + 60 * MINUTE,
            )


async def test_the_admin_sees_times_deadlines_and_reasons_for_the_week(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    await _handled(services, worlds)
    async with services.sessionmaker() as session:
        figures = await response_figures.weekly(
            session,
            clinic_id=worlds.home.clinic_id,
            now=services.now(),
            timezone="Europe/London",
            weeks=4,
        )
    this_week = figures.weeks[-1]
    assert [w.raised for w in figures.weeks] == [0, 0, 0, 5]
    take = this_week.take[Severity.urgent]
    assert (take.count, take.median, take.p90) == (3, 10 * MINUTE, 30 * MINUTE)
    assert this_week.resolve[Severity.urgent].median == 60 * MINUTE
    assert this_week.take[Severity.routine].count == 0
    assert this_week.past_deadline == 1
    assert dict(this_week.reasons) == {"contacted_client": 2, "could_not_reach": 1}
    admin = await browsers.signed_in(worlds.home.admin_id)
    page = await admin.get("/figures?weeks=4")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "10 min · 30 min" in text and "1 h 0 min · 1 h 0 min" in text
    assert "Contacted the client: 2" in text and "Could not reach the client: 1" in text
    assert '<svg class="figures-chart"' in text and "median time to take 10 min" in text
    assert text.count('<td data-label="Week of">') == 4
    fallback = await admin.get("/figures?weeks=9999")
    assert html.unescape(fallback.text).count('<td data-label="Week of">') == 12
    duty = await browsers.signed_in(worlds.home.duty_id)
    assert (await duty.get("/figures")).status_code == 403


async def test_another_clinics_alerts_are_not_counted(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    await _handled(services, worlds)
    foreign = await browsers.signed_in(worlds.foreign.admin_id)
    text = html.unescape((await foreign.get("/figures")).text)
    assert "<strong>2</strong> alerts raised" in text
    assert "10 min · 30 min" not in text
