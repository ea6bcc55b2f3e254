"""A copy of everything kept about one client, as they can read it: the /export file.

Alerts and return requests are the clinic's records about the client: the copy says that they
exist (type, time, status) but leaves out what staff wrote, which the clinic holds and answers for.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinStatus
from bot.client import service as clients
from bot.client.models import Client
from bot.conversation.crisis_models import CrisisStep
from bot.conversation.models import ClientMessage
from bot.conversation.question_models import DirectQuestion
from bot.plan import service as plans
from bot.plan.schema import PlanDocument
from bot.return_request.models import ReturnRequest
from bot.screener import views as screener_views
from bot.screener.views import AdministrationLine
from bot.texts import checkin as checkin_text
from bot.texts import data_rights as text
from bot.texts import time_words as time_text
from bot.texts.translation import Translator, translator_for

Export = dict[str, Any]


def _local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 in the client's own time zone, to the minute: readable and unambiguous."""
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="minutes")


def _profile(client: Client, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "name": client.display_name,
        # How clinic staff refer to you in their messages, instead of your name.
        "reference": client.pseudonym,
        "clinic": client.clinic.name,
        "therapist": client.therapist.name,
        "therapy_ended_on": client.ending_date.isoformat(),
        "ending": str(client.ending_type),
        "timezone": client.timezone,
        "checkin_window": (
            f"{client.window_start.strftime('%H:%M')}-{client.window_end.strftime('%H:%M')}"
        ),
        "status": str(client.status),
        "agreed_to_the_privacy_notice_at": _local(client.consented_at, tz),
    }


def _sign_words(plan: PlanDocument | None, indexes: list[int], t: Translator) -> list[str]:
    signs = plan.warning_signs if plan is not None else []
    gone = t(text.SIGN_NO_LONGER_IN_PLAN)
    return [signs[i] if 0 <= i < len(signs) else gone for i in indexes]


def _checkin(
    row: Checkin, plan: PlanDocument | None, tz: ZoneInfo, t: Translator
) -> dict[str, Any]:
    return {
        "due_at": _local(row.due_at, tz),
        "status": str(row.status),
        "kind": str(row.kind),
        "sent_at": _local(row.sent_at, tz),
        "answered_at": _local(row.answered_at, tz),
        "mood": row.mood,
        "mood_words": t(checkin_text.MOODS[row.mood]) if row.mood in checkin_text.MOODS else None,
        "warning_signs": _sign_words(plan, list(row.warning_signs or []), t),
        "note": row.note,
    }


def _message(
    row: ClientMessage, tz: ZoneInfo, retention_days: int, t: Translator
) -> dict[str, Any]:
    return {
        "received_at": _local(row.received_at, tz),
        "text": row.text
        if row.text is not None
        else t(text.DELETED_AFTER).format(days=t.count(time_text.DAYS, retention_days)),
        "understood_as": row.intent,
        "risk": row.risk,
    }


def _screener(line: AdministrationLine, tz: ZoneInfo) -> dict[str, Any]:
    """A questionnaire as the client answered it: each question in its wording, their answer."""
    return {
        "questionnaire": line.title,
        "sent_at": _local(line.sent_at, tz),
        "finished_at": _local(line.finished_at, tz),
        "status": line.status,
        "total": line.total,
        "band": line.band,
        "answers": [
            {
                "question": answer.wording,
                "your_answer": answer.answer,
                "score": answer.value,
                "answered_at": _local(answer.answered_at, tz),
            }
            for answer in line.answers
        ],
    }


def _alert(row: Alert, tz: ZoneInfo, t: Translator) -> dict[str, Any]:
    return {
        "raised_at": _local(row.first_seen_at, tz),
        "type": str(row.type),
        "meaning": t(text.ALERT_MEANING.get(str(row.type), str(row.type))),
        "severity": str(row.severity),
        "status": str(row.status),
        "times_seen": row.count,
    }


async def _rows(session: AsyncSession, query: Any) -> list[Any]:
    return list(await session.scalars(query))


async def build_export(
    session: AsyncSession, *, client_id: int, now: datetime, retention_days: int
) -> Export:
    """Everything kept about the client, as plain JSON-ready data with times in their zone."""
    client = await clients.get(session, client_id=client_id)
    tz, t = ZoneInfo(client.timezone), translator_for(client)
    plan = await plans.get_document(session, client_id=client_id)
    checkins = await _rows(
        session, select(Checkin).where(Checkin.client_id == client_id).order_by(Checkin.due_at)
    )
    messages = await _rows(
        session,
        select(ClientMessage)
        .where(ClientMessage.client_id == client_id)
        .order_by(ClientMessage.received_at, ClientMessage.id),
    )
    alerts = await _rows(
        session, select(Alert).where(Alert.client_id == client_id).order_by(Alert.first_seen_at)
    )
    returns = await _rows(
        session,
        select(ReturnRequest)
        .where(ReturnRequest.client_id == client_id)
        .order_by(ReturnRequest.requested_at),
    )
    crisis_steps = await _rows(
        session,
        select(CrisisStep).where(CrisisStep.client_id == client_id).order_by(CrisisStep.shown_at),
    )
    taper_changes = await _rows(
        session,
        select(TaperChange).where(TaperChange.client_id == client_id).order_by(TaperChange.at),
    )
    questions = await _rows(
        session,
        select(DirectQuestion)
        .where(DirectQuestion.client_id == client_id)
        .order_by(DirectQuestion.asked_at),
    )
    scheduled = [c for c in checkins if c.status == CheckinStatus.scheduled]
    screeners = await screener_views.administrations(session, client_id=client_id)
    # The plan above is the newest version; the earlier ones are kept too.
    earlier = (await plans.versions(session, client_id=client_id))[1:]
    return {
        "about": t(text.EXPORT_ABOUT).format(
            clinic=client.clinic.name, made=_local(now, tz), timezone=client.timezone
        ),
        "exported_at": _local(now, tz),
        "profile": _profile(client, tz),
        "plan": plan.model_dump(mode="json") if plan is not None else None,
        "earlier_plan_versions": [
            {"version": v.number, "saved_at": _local(v.saved_at, tz), "plan": v.content}
            for v in reversed(earlier)
        ],
        "checkins": [
            _checkin(c, plan, tz, t) for c in checkins if c.status != CheckinStatus.scheduled
        ],
        "upcoming_checkins": [_local(c.due_at, tz) for c in scheduled],
        "messages": [_message(m, tz, retention_days, t) for m in messages],
        "crisis_plan_steps": [
            {
                "shown_at": _local(s.shown_at, tz),
                "step": s.step,
                "your_answer": s.response,
            }
            for s in crisis_steps
        ],
        "asked_about_your_safety": [
            {
                "asked_at": _local(q.asked_at, tz),
                "your_answer": str(q.answer) if q.answer is not None else None,
                "answered_at": _local(q.answered_at, tz),
            }
            for q in questions
        ],
        "questionnaires": [_screener(line, tz) for line in screeners],
        "checkin_schedule_changes": [
            {"at": _local(t.at, tz), "change": t.change, "reason": t.reason} for t in taper_changes
        ],
        "return_requests": [
            {"requested_at": _local(r.requested_at, tz), "status": str(r.status)} for r in returns
        ],
        "alerts_to_the_clinic": [_alert(a, tz, t) for a in alerts],
    }


def export_file(export: Export) -> bytes:
    """The export as UTF-8 JSON with two-space indentation, letters left as they are."""
    return (json.dumps(export, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_day(client: Client, now: datetime) -> date:
    """The day the copy is made, in the client's own time zone."""
    return now.astimezone(ZoneInfo(client.timezone)).date()


def export_filename(client: Client, now: datetime) -> str:
    """E.g. aftercare-export-2026-11-23.json."""
    return f"aftercare-export-{export_day(client, now).isoformat()}.json"
