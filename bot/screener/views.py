"""What people see of a client's screeners, read once and shaped for every page: `client show`,
the alert page (which answers raised the alert), the therapist's client page (the totals over
time, for `chart.py`), the client's own export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.conversation.question_models import DirectQuestion
from bot.screener import plans, scoring
from bot.screener.chart import BandLine, Point, Series
from bot.screener.instrument import Form, form_of, instrument
from bot.screener.models import Administration, ScreenerAnswer


@dataclass(frozen=True)
class AnswerLine:
    """One answer as the client saw the item: its published wording and the label tapped."""

    administration_id: int
    form: str
    number: int
    item: str
    wording: str
    answer: str
    value: int
    answered_at: datetime


@dataclass(frozen=True)
class AdministrationLine:
    id: int
    family: str
    form: str
    title: str
    status: str
    sent_at: datetime | None
    finished_at: datetime | None
    total: int | None
    band: str | None
    positive: bool | None
    # A short form stepped up: its title and total.
    short_title: str | None
    short_total: int | None
    reference_total: int | None
    reference_kind: str | None
    # Against the reference, for full forms: points, and whether the change is reliable.
    change: int | None
    reliable: str | None  # "deterioration" | "improvement"
    back_in_caseness: bool
    # PHQ-9 item 9's answer, by its label, whenever it was asked.
    item9: str | None
    answered: int
    asked: int
    answers: tuple[AnswerLine, ...]


def _answer_line(administration: Administration, row: ScreenerAnswer) -> AnswerLine:
    found = instrument(administration.family)
    item = found.item(row.item)
    labels = found.answers_of(item)
    return AnswerLine(
        administration_id=administration.id,
        form=found.form(administration.form).title,
        number=found.number_of(item.key),
        item=item.key,
        wording=item.text,
        answer=labels[row.value] if 0 <= row.value < len(labels) else str(row.value),
        value=row.value,
        answered_at=row.answered_at,
    )


async def _answers(
    session: AsyncSession, administrations: list[Administration]
) -> dict[int, list[ScreenerAnswer]]:
    found: dict[int, list[ScreenerAnswer]] = {a.id: [] for a in administrations}
    if not found:
        return found
    rows = await session.scalars(
        select(ScreenerAnswer)
        .where(ScreenerAnswer.administration_id.in_(list(found)))
        .order_by(ScreenerAnswer.answered_at, ScreenerAnswer.id)
    )
    for row in rows:
        found[row.administration_id].append(row)
    return found


def _line(
    administration: Administration, answers: list[ScreenerAnswer], earlier: list[int]
) -> AdministrationLine:
    found = instrument(administration.family)
    form = found.form(administration.form)
    short = found.short_form
    stepped = administration.form != short.key and administration.short_total is not None
    change = (
        scoring.change(form, administration.reference_total, administration.total)
        if administration.total is not None
        else None
    )
    reliable = None
    if change is not None and change.reliable_deterioration:
        reliable = "deterioration"
    elif change is not None and change.reliable_improvement:
        reliable = "improvement"
    lines = tuple(_answer_line(administration, row) for row in answers)
    safety = [line for line in lines if found.item(line.item).safety == "item9"]
    return AdministrationLine(
        id=administration.id,
        family=administration.family,
        form=administration.form,
        title=form.title,
        status=administration.status.value,
        sent_at=administration.sent_at,
        finished_at=administration.finished_at,
        total=administration.total,
        band=administration.band,
        positive=administration.positive,
        short_title=short.title if stepped else None,
        short_total=administration.short_total if stepped else None,
        reference_total=administration.reference_total,
        reference_kind=administration.reference_kind,
        change=change.delta if change is not None else None,
        reliable=reliable,
        back_in_caseness=administration.total is not None
        and scoring.back_in_caseness(form, earlier, administration.total),
        item9=safety[0].answer if safety else None,
        answered=len(lines),
        asked=len(found.asked_items(form)),
        answers=lines,
    )


async def administrations(session: AsyncSession, *, client_id: int) -> list[AdministrationLine]:
    """Every screener sent to the client, oldest first, with answers, totals and changes."""
    rows = list(
        await session.scalars(
            select(Administration)
            .where(Administration.client_id == client_id, Administration.sent_at.is_not(None))
            .order_by(Administration.sent_at, Administration.id)
        )
    )
    answers = await _answers(session, rows)
    plan = await plans.get(session, client_id=client_id)
    endings = dict(plan.ending_totals or {}) if plan else {}
    history: dict[str, list[int]] = {form: [total] for form, total in endings.items()}
    lines = []
    for row in rows:
        earlier = history.setdefault(row.form, [])
        lines.append(_line(row, answers[row.id], list(earlier)))
        if row.total is not None:
            earlier.append(row.total)
    return lines


@dataclass(frozen=True)
class AlertScreeners:
    """What in a screener raised an alert: the answers (item 9), or the totals (a reliable
    deterioration) with every answer behind them."""

    answers: tuple[AnswerLine, ...]
    administrations: tuple[AdministrationLine, ...]


async def behind_alert(session: AsyncSession, *, alert_id: int) -> AlertScreeners:
    """Which screener answers raised (or were merged into) this alert; empty for any other."""
    asked = select(DirectQuestion.id).where(DirectQuestion.alert_id == alert_id)
    tied = select(ScreenerAnswer.administration_id).where(ScreenerAnswer.alert_id == alert_id)
    rows = list(
        await session.scalars(
            select(Administration).where(
                or_(
                    Administration.alert_id == alert_id,
                    Administration.question_id.in_(asked),
                    Administration.id.in_(tied),
                )
            )
        )
    )
    if not rows:
        return AlertScreeners((), ())
    lines = {line.id: line for line in await administrations(session, client_id=rows[0].client_id)}
    question_ids = [row.question_id for row in rows if row.question_id is not None]
    asked_rows = await session.execute(
        select(DirectQuestion.id, DirectQuestion.alert_id).where(
            DirectQuestion.id.in_(question_ids)
        )
    )
    question_alerts = {question_id: raised for question_id, raised in asked_rows.tuples()}
    tied_items = set(
        (
            await session.execute(
                select(ScreenerAnswer.administration_id, ScreenerAnswer.item).where(
                    ScreenerAnswer.alert_id == alert_id
                )
            )
        ).tuples()
    )
    raised: list[AnswerLine] = []
    totals: list[AdministrationLine] = []
    for row in rows:
        line = lines.get(row.id)
        if line is None:
            continue
        if row.alert_id == alert_id:
            totals.append(line)
        asked_here = (
            row.question_id is not None and question_alerts.get(row.question_id) == alert_id
        )
        found = instrument(row.family)
        raised += [
            answer
            for answer in line.answers
            if (row.id, answer.item) in tied_items
            or (asked_here and found.item(answer.item).safety == "item9")
        ]
    return AlertScreeners(tuple(raised), tuple(totals))


def _series(form: Form, maximum: int, client: Client, reference: int | None) -> Series:
    return Series(
        key=form.key,
        title=form.title,
        maximum=maximum,
        bands=tuple(BandLine(b.start, b.label) for b in form.bands if b.start > 0),
        caseness=form.positive_at,
        reference=reference,
        reference_day=client.ending_date if reference is not None else None,
        points=(),
    )


async def series(session: AsyncSession, client: Client) -> list[Series]:
    """PHQ-9 and GAD-7 totals over time (full forms only: a short form is not on their scale),
    with the band lines, caseness and the end-of-therapy total; for `chart.svg`/`chart.table`."""
    lines = await administrations(session, client_id=client.id)
    plan = await plans.get(session, client_id=client.id)
    endings = dict(plan.ending_totals or {}) if plan else {}
    found = []
    for key, maximum in plans.full_forms().items():
        _, form = form_of(key)
        base = _series(form, maximum, client, endings.get(key))
        points = tuple(
            Point(
                day=_day(line.finished_at or line.sent_at),
                total=line.total,
                band=line.band or "",
                change=line.change,
                reliable=line.reliable,
            )
            for line in lines
            if line.form == key and line.total is not None
        )
        found.append(Series(**{**base.__dict__, "points": points}))
    return found


def _day(moment: datetime | None) -> date:
    assert moment is not None
    return moment.date()
