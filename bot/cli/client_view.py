"""`aftercare client show` as text: the client's summary (bot.client.views) in local time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.client.views import CheckinLine, ClientSummary, summary
from bot.plan.render import render_plan
from bot.taper.time_words import local_stamp

NOTE_SHOWN = 80


def _answers(line: CheckinLine) -> str:
    parts = []
    if line.mood is not None:
        parts.append(f"mood {line.mood}/5")
    if line.signs:
        parts.append("signs: " + "; ".join(line.signs))
    elif line.mood is not None:
        parts.append("no warning signs")
    if line.note:
        more = "…" if len(line.note) > NOTE_SHOWN else ""
        parts.append(f"note: {line.note[:NOTE_SHOWN]}{more}")
    elif line.note_removed:
        parts.append("note: removed after the retention period")
    return ", ".join(parts)


def render_summary(view: ClientSummary) -> str:
    tz = view.timezone
    lines = [
        f"{view.name} ({view.pseudonym}, id {view.id})",
        f"status: {view.status.value}; language: {view.language}",
        f"clinic: {view.clinic}; therapist: {view.therapist}",
        f"ending: {view.ending_date.isoformat()} ({view.ending_type})",
        f"timezone: {tz}; window: {view.window}",
        f"taper: {view.template} (days {', '.join(map(str, view.offsets))})"
        + ("" if view.adaptive else "; adaptive taper off")
        + ("; stepped back after a risk signal" if view.stepped_back else ""),
        "linked: " + (local_stamp(view.linked_at, tz) if view.linked_at else "not yet"),
        "",
        "Past check-ins:",
    ]
    lines += [
        f"  {local_stamp(c.due_at, tz)}  {c.kind.value:<9} {c.status.value:<9} {_answers(c)}"
        for c in reversed(view.past)
    ] or ["  none yet"]
    if view.taper_changes:
        lines += ["", "Taper changes:"]
        lines += [
            f"  {local_stamp(c.at, tz)}  {c.change:<12} {c.reason}" for c in view.taper_changes
        ]
    request = view.open_return
    if request is not None:
        lines += [
            "",
            f"Return request {request.id}: {request.status.value}, "
            f"respond by {local_stamp(request.respond_by, tz)}",
        ]
    lines += ["", "Upcoming check-ins:"]
    lines += [
        f"  {local_stamp(c.due_at, tz)}  {c.kind.value}"
        + (f"  (before: {c.occasion})" if c.occasion else "")
        for c in view.upcoming
    ] or ["  none"]
    if view.plan is not None:
        lines += ["", render_plan(view.plan, name=view.name, crisis=view.crisis_resources)]
    return "\n".join(lines)


async def describe_client(session: AsyncSession, client: Client) -> str:
    return render_summary(await summary(session, client))
