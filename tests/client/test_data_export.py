"""/export's content: a client's whole record, their own words while kept, no staff notes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alert import actions
from bot.alert import service as alerts
from bot.alert.models import AlertType, Severity
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinStatus
from bot.client import invite as invites
from bot.client.data_export import Export, build_export, export_file, export_filename
from bot.client.models import Client, ClientStatus
from bot.conversation import service as messages
from bot.conversation.crisis_models import CrisisStep
from bot.database.core import SessionMaker
from bot.nlu.understanding import Risk, Understanding
from bot.plan import service as plans
from bot.return_request.models import ReturnRequest
from tests.factories import example_plan, make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now().replace(hour=18, minute=30)
RETENTION = 90
# Long enough that no timestamp or id in the sweep can contain it by chance.
CHAT = 987654321987
NOTE = "NOTE-7Q Work has been a lot, but I went for the walk twice."
RECENT = "MSG-4K I can't sleep again and I'm cancelling everything."
OLD = "OLD-2P this one is long past the retention period."
PLAN_WORDS = "PLAN-9Z You did the work, Sam Jones."
STAFF_NOTE = "Called Sam, booked a session for Friday."

CLI = actions.Actor(None, actions.Door.cli)


@dataclass
class History:
    client_id: int
    other_id: int
    alert_id: int


def _minute(moment: datetime) -> str:
    """How the export writes a time: ISO 8601 to the minute, with the UTC offset."""
    return moment.isoformat(timespec="minutes")


def _understood(intent: str, risk: Risk) -> Understanding:
    return Understanding(intent=intent, confidence=0.9, risk=risk, source="embedded")


async def client_with_history(sessionmaker: SessionMaker) -> History:
    """Sam Jones, linked and answering: a plan, a check-in with a note, messages old and new,
    an alert with staff notes, a return request, a crisis walk-through step, a taper change;
    plus another client of the same clinic whose data must never be touched."""
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapist = await make_therapist(session, clinic)
        client = await make_client(session, therapist=therapist, now=NOW, name="Sam Jones")
        other = await make_client(session, therapist=therapist, now=NOW, name="Alex Other")
        plan = example_plan().model_copy(update={"closing_note": PLAN_WORDS})
        await plans.replace(session, client_id=client.id, document=plan)
        await invites.create_invite(session, client=client, now=NOW, valid_days=14)
        client.chat_id, client.status, client.consented_at = CHAT, ClientStatus.active, NOW
        other.chat_id, other.status = 5552, ClientStatus.active
        answered = Checkin(
            client_id=client.id,
            due_at=NOW - timedelta(days=2),
            status=CheckinStatus.answered,
            sent_at=NOW - timedelta(days=2),
            answered_at=NOW - timedelta(days=2),
            mood=2,
            warning_signs=[0, 3],
            note=NOTE,
        )
        missed = Checkin(
            client_id=client.id, due_at=NOW - timedelta(days=9), status=CheckinStatus.missed
        )
        session.add_all([answered, missed])
        await session.flush()
        old = await messages.record(
            session,
            client_id=client.id,
            text=OLD,
            understanding=_understood("smalltalk", Risk.none),
            now=NOW - timedelta(days=120),
        )
        old.text, old.text_purged_at = None, NOW - timedelta(days=30)
        recent = await messages.record(
            session,
            client_id=client.id,
            text=RECENT,
            understanding=_understood("warning_sign", Risk.elevated),
            now=NOW - timedelta(days=1),
        )
        await messages.record(
            session,
            client_id=other.id,
            text="Alex's own words stay.",
            understanding=_understood("smalltalk", Risk.none),
            now=NOW - timedelta(days=1),
        )
        alert, _ = await alerts.raise_alert(
            session,
            client=client,
            type=AlertType.warning_signs,
            severity=Severity.elevated,
            evidence=f"warning signs in a check-in: {NOTE[:20]}",
            now=NOW - timedelta(days=1),
            message_id=recent.id,
            checkin_id=answered.id,
        )
        await actions.resolve(
            session, alert_id=alert.id, actor=CLI, note=STAFF_NOTE, reason=None, now=NOW
        )
        session.add_all(
            [
                ReturnRequest(
                    client_id=client.id,
                    requested_at=NOW - timedelta(hours=5),
                    respond_by=NOW + timedelta(hours=67),
                    via="command",
                    staff_note="Prefers mornings",
                ),
                CrisisStep(
                    client_id=client.id,
                    alert_id=alert.id,
                    step="coping",
                    response="helped",
                    shown_at=NOW - timedelta(hours=3),
                ),
                TaperChange(
                    client_id=client.id,
                    at=NOW - timedelta(days=2),
                    change="stepped_back",
                    reason="warning signs in a check-in",
                ),
            ]
        )
        return History(client.id, other.id, alert.id)


async def _export(sessionmaker: SessionMaker, client_id: int) -> Export:
    async with sessionmaker() as session:
        return await build_export(session, client_id=client_id, now=NOW, retention_days=RETENTION)


async def test_export_holds_profile_plan_answers_and_messages(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    export = await _export(sessionmaker, history.client_id)
    profile = export["profile"]
    assert profile["name"] == "Sam Jones" and profile["clinic"] == "Riverside Clinic"
    assert profile["therapist"] == "Dr Ana Rivera" and profile["status"] == "active"
    assert profile["checkin_window"] == "18:00-20:00" and profile["timezone"] == "Europe/London"
    assert profile["agreed_to_the_privacy_notice_at"] == _minute(NOW)
    assert export["plan"]["closing_note"] == PLAN_WORDS
    assert export["plan"]["warning_signs"][0] == "Sleeping badly for several nights"
    [answered] = [c for c in export["checkins"] if c["status"] == "answered"]
    assert answered["mood"] == 2 and answered["mood_words"] == "Low"
    assert answered["warning_signs"] == [
        "Sleeping badly for several nights",
        'Telling myself "what\'s the point"',
    ]
    assert answered["note"] == NOTE
    assert any(c["status"] == "missed" for c in export["checkins"])
    assert export["upcoming_checkins"], "the taper's scheduled check-ins are listed by time"
    texts = [m["text"] for m in export["messages"]]
    assert texts == ["[deleted after 90 days]", RECENT]
    assert export["messages"][1]["understood_as"] == "warning_sign"
    assert export["messages"][1]["risk"] == "elevated"
    assert export["crisis_plan_steps"] == [
        {"shown_at": _minute(NOW - timedelta(hours=3)), "step": "coping", "your_answer": "helped"}
    ]
    assert export["checkin_schedule_changes"][0]["change"] == "stepped_back"


async def test_export_lists_clinic_records_without_staff_words(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    export = await _export(sessionmaker, history.client_id)
    [alert] = export["alerts_to_the_clinic"]
    assert alert["type"] == "warning_signs" and alert["status"] == "resolved"
    assert alert["meaning"] == "A check-in showed some of your warning signs."
    assert export["return_requests"] == [
        {"requested_at": _minute(NOW - timedelta(hours=5)), "status": "new"}
    ]
    whole = json.dumps(export)
    for staff_words in (STAFF_NOTE, "Prefers mornings"):
        assert staff_words not in whole
    # Nothing of another client leaks into this one's copy.
    assert "Alex" not in whole


async def test_export_file_is_readable_utf8_json(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    async with sessionmaker() as session:
        client = await session.get(Client, history.client_id)
    assert client is not None
    export = await _export(sessionmaker, history.client_id)
    raw = export_file(export)
    assert json.loads(raw.decode("utf-8")) == export
    assert b'\n  "profile": {\n' in raw  # indented for reading
    assert "The library café on Mill Road" in raw.decode("utf-8")  # letters stay letters
    assert export_filename(client, NOW) == f"aftercare-export-{NOW.date()}.json"
    late = NOW.replace(hour=23, minute=30)
    client.timezone = "Asia/Tokyo"
    next_day = late.date() + timedelta(days=1)
    assert export_filename(client, late) == f"aftercare-export-{next_day}.json"


async def test_export_without_plan_or_messages(sessionmaker: SessionMaker) -> None:
    history = await client_with_history(sessionmaker)
    export = await _export(sessionmaker, history.other_id)
    assert export["profile"]["name"] == "Alex Other"
    assert [m["text"] for m in export["messages"]] == ["Alex's own words stay."]
    assert export["alerts_to_the_clinic"] == [] and export["return_requests"] == []
    assert export["checkins"] == []


async def test_export_holds_the_answers_to_the_direct_question(sessionmaker: SessionMaker) -> None:
    from bot.conversation.question_models import DirectQuestion, QuestionAnswer

    history = await client_with_history(sessionmaker)
    asked = NOW - timedelta(hours=2)
    async with sessionmaker.begin() as session:
        session.add(
            DirectQuestion(
                client_id=history.client_id,
                asked_at=asked,
                deadline_at=asked + timedelta(minutes=15),
                answer=QuestionAnswer.no,
                answered_at=asked + timedelta(minutes=1),
            )
        )
    export = await _export(sessionmaker, history.client_id)
    assert export["asked_about_your_safety"] == [
        {
            "asked_at": _minute(asked),
            "your_answer": "no",
            "answered_at": _minute(asked + timedelta(minutes=1)),
        }
    ]
