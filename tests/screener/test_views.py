"""Where people see screeners: which answers raised an alert, the totals over time as SVG and
table, `client show`'s lines, and the client's own export."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.client.data_export import build_export
from bot.client.models import Client
from bot.database.core import SessionMaker
from bot.screener import chart, show, views
from bot.screener.models import AdministrationStatus
from tests.screener.history import administrations, client_with_screeners


async def alerts(sessionmaker: SessionMaker) -> tuple[Alert, Alert]:
    """The item 9 alert and the reliable-deterioration alert (raised first: at the total)."""
    async with sessionmaker() as session:
        found = {a.type: a for a in await session.scalars(select(Alert).order_by(Alert.id))}
    assert set(found) == {AlertType.crisis, AlertType.warning_signs}
    return found[AlertType.crisis], found[AlertType.warning_signs]


async def test_totals_bands_and_reliable_change_are_stored(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    await client_with_screeners(sessionmaker, start)
    first, second = await administrations(sessionmaker)
    assert (first.form, first.short_total, first.total, first.band) == ("phq9", 3, 9, "mild")
    assert (second.total, second.band, second.positive) == (15, "moderately severe", True)
    assert (second.reference_total, second.reference_kind) == (8, "ending")
    assert {first.status, second.status} == {AdministrationStatus.finished}
    item9, change = await alerts(sessionmaker)
    assert (item9.type, item9.severity) == (AlertType.crisis, Severity.elevated)
    assert "item 9: several days" in item9.evidence
    assert (change.type, change.severity) == (AlertType.warning_signs, Severity.elevated)
    assert change.evidence == "PHQ-9 up 7 since the ending: 8 → 15"
    assert second.alert_id == change.id and first.alert_id is None


async def test_the_alert_page_learns_which_answers_raised_it(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    await client_with_screeners(sessionmaker, start)
    item9, change = await alerts(sessionmaker)
    async with sessionmaker() as session:
        by_item9 = await views.behind_alert(session, alert_id=item9.id)
        by_change = await views.behind_alert(session, alert_id=change.id)
        unrelated = await views.behind_alert(session, alert_id=item9.id + change.id + 1)
    [answer] = by_item9.answers
    assert (answer.number, answer.answer, answer.form) == (9, "Several days", "PHQ-9")
    assert answer.wording.startswith("Thoughts that you would be better off dead")
    assert by_item9.administrations == ()
    [line] = by_change.administrations
    assert (line.total, line.change, line.reliable, line.back_in_caseness) == (
        15,
        7,
        "deterioration",
        True,
    )
    assert len(line.answers) == 10 and by_change.answers == ()
    assert unrelated == views.AlertScreeners((), ())


async def test_the_chart_has_the_band_lines_the_points_and_a_table_beside_it(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    async with sessionmaker() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        phq9, gad7 = await views.series(session, client)
    assert (phq9.title, phq9.maximum, phq9.caseness, phq9.reference) == ("PHQ-9", 27, 10, 8)
    assert [b.start for b in phq9.bands] == [5, 10, 15, 20]
    assert [p.total for p in phq9.points] == [9, 15]
    drawn = chart.svg(phq9)
    assert drawn.startswith("<svg") and drawn.endswith("</svg>")
    assert drawn.count("<circle") == 3  # the ending, then two screeners
    assert len(re.findall(r'stroke-dasharray="4 3"', drawn)) == 4
    assert "10 moderate" in drawn and "PHQ-9 over time" in drawn
    rows = chart.table(phq9)
    assert [(r.total, r.band, r.change) for r in rows] == [
        ("8", "ending", "-"),
        ("9", "mild", "+1"),
        ("15", "moderately severe", "+7 (reliable deterioration)"),
    ]
    assert rows[2].day == (start + timedelta(days=14)).date().isoformat()
    empty = chart.svg(gad7)
    assert "No GAD-7 yet" in empty and "8 caseness" in empty and chart.table(gad7) == []


def test_the_chart_escapes_what_it_is_given() -> None:
    series = chart.Series(
        key="x",
        title="<b>&",
        maximum=10,
        bands=(chart.BandLine(5, "<i>"),),
        caseness=None,
        reference=None,
        reference_day=None,
        points=(chart.Point(datetime(2026, 1, 1).date(), 4, "</svg>"),),
    )
    drawn = chart.svg(series)
    assert "<b>" not in drawn and "<i>" not in drawn and drawn.count("</svg>") == 1


async def test_client_show_lists_each_screener_with_totals_bands_and_item_9(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    async with sessionmaker() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        text = await show.render(session, client)
    lines = text.splitlines()
    assert lines[0] == "Screeners:"
    assert lines[1] == "  plan: PHQ-2; at the ending: phq9 8"
    assert (
        "PHQ-9    finished  3 from PHQ-2, then 9 mild; +1 since the ending; item 9: Not at all"
        in (lines[2])
    )
    assert lines[3].endswith(
        "15 moderately severe; +7 since the ending (reliable deterioration); back into caseness "
        "after recovery; item 9: Several days"
    )


async def test_the_clients_export_holds_their_answers(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    async with sessionmaker() as session:
        export = await build_export(session, client_id=client_id, now=start, retention_days=90)
    first, second = export["questionnaires"]
    assert (first["questionnaire"], first["total"], second["total"]) == ("PHQ-9", 9, 15)
    assert second["answers"][8] == {
        "question": "Thoughts that you would be better off dead or of hurting yourself in some way",
        "your_answer": "Several days",
        "score": 1,
        "answered_at": second["answers"][8]["answered_at"],
    }
    assert second["answers"][9]["your_answer"] == "Somewhat difficult"
