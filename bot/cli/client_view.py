"""`aftercare client show` as text: plan, status, past and upcoming check-ins in local time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import adaptive, schedule
from bot.checkin.models import Checkin
from bot.client.models import Client
from bot.plan import service as plans
from bot.plan.render import render_plan
from bot.return_request import service as returns
from bot.taper.time_words import local_stamp


def _answers(checkin: Checkin, signs: list[str]) -> str:
    parts = []
    if checkin.mood is not None:
        parts.append(f"mood {checkin.mood}/5")
    if checkin.warning_signs:
        parts.append(
            "signs: " + "; ".join(signs[i] for i in checkin.warning_signs if i < len(signs))
        )
    elif checkin.mood is not None:
        parts.append("no warning signs")
    if checkin.note:
        parts.append(f"note: {checkin.note[:80]}" + ("…" if len(checkin.note) > 80 else ""))
    return ", ".join(parts)


async def describe_client(session: AsyncSession, client: Client) -> str:
    plan = await plans.get_document(session, client_id=client.id)
    signs = plan.warning_signs if plan else []
    tz = client.timezone
    lines = [
        f"{client.display_name} ({client.pseudonym}, id {client.id})",
        f"status: {client.status.value}",
        f"clinic: {client.clinic.name}; therapist: {client.therapist.name}",
        f"ending: {client.ending_date.isoformat()} ({client.ending_type.value})",
        f"timezone: {tz}; window: {client.window_start:%H:%M}-{client.window_end:%H:%M}",
        f"taper: {client.taper_template} (days {', '.join(map(str, client.taper_offsets))})"
        + ("" if client.adaptive_taper else "; adaptive taper off")
        + ("; stepped back after a risk signal" if client.stepped_back else ""),
        "linked: " + (local_stamp(client.consented_at, tz) if client.consented_at else "not yet"),
        "",
        "Past check-ins:",
    ]
    past = await schedule.history(session, client_id=client.id)
    lines += [
        f"  {local_stamp(c.due_at, tz)}  {c.kind.value:<9} {c.status.value:<9} {_answers(c, signs)}"
        for c in reversed(past)
    ] or ["  none yet"]
    changes = await adaptive.changes(session, client_id=client.id)
    if changes:
        lines += ["", "Taper changes:"]
        lines += [f"  {local_stamp(c.at, tz)}  {c.change:<12} {c.reason}" for c in changes]
    request = await returns.open_for(session, client_id=client.id)
    if request is not None:
        lines += [
            "",
            f"Return request {request.id}: {request.status.value}, "
            f"respond by {local_stamp(request.respond_by, tz)}",
        ]
    lines += ["", "Upcoming check-ins:"]
    upcoming = await schedule.upcoming(session, client_id=client.id)
    lines += [f"  {local_stamp(c.due_at, tz)}  {c.kind.value}" for c in upcoming] or ["  none"]
    if plan is not None:
        lines += [
            "",
            render_plan(plan, name=client.display_name, crisis=client.clinic.crisis_resources),
        ]
    return "\n".join(lines)
