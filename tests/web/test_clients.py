"""The client list and a client's page over ASGI: who sees whom, the order, search, and the
check-in changes (pause, resume, send now, window, timezone) through the client's actions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from bot.alert.models import Alert, AlertStatus
from bot.checkin import schedule
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client import actions
from bot.client.models import Client, ClientStatus
from bot.client.record_models import ClientEvent, ClientFigures, ClientFollower, StaffNote
from bot.console import accounts
from bot.console.tenancy import scope_to_clinic
from bot.plan.models import PlanVersion
from bot.services import Services
from tests.factories import make_client
from tests.web.conftest import Browsers, Worlds


async def _colleague_with_client(services: Services, worlds: Worlds, name: str) -> tuple[int, int]:
    """A second therapist of the home clinic and a client of theirs."""
    async with services.sessionmaker.begin() as session:
        clinic_id = worlds.home.clinic_id
        home = await accounts.find(session, ref=str(worlds.home.admin_id))
        ben = await accounts.add(
            session,
            clinic=home.clinic,
            name="Dr Ben Okafor",
            email="ben@riverside.test",
            role="therapist",
        )
        assert ben.clinic_id == clinic_id
        client = await make_client(session, therapist=ben, now=services.now(), name=name)
        return ben.id, client.id


async def test_a_therapist_sees_their_own_clients_and_the_admin_sees_the_clinics(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ben_id, bens_client = await _colleague_with_client(services, worlds, "Robin Park")
    ana = await browsers.signed_in(worlds.home.therapist_id)
    listed = await ana.get("/clients")
    assert listed.status_code == 200
    assert "Sam Jones" in listed.text and "Robin Park" not in listed.text
    assert (await ana.get(f"/clients/{bens_client}")).status_code == 404
    assert (await ana.get(f"/clients/{bens_client}/timeline")).status_code == 404
    assert (await ana.get(f"/clients/{worlds.foreign.client_id}")).status_code == 404

    admin = await browsers.signed_in(worlds.home.admin_id)
    everyone = await admin.get("/clients")
    assert "Sam Jones" in everyone.text and "Robin Park" in everyone.text
    assert (await admin.get(f"/clients/{bens_client}")).status_code == 200
    assert (await admin.get(f"/clients/{worlds.foreign.client_id}")).status_code == 404

    # Ben asks Ana to cover: she follows his client, sees it, and can filter to it.
    ben = await browsers.signed_in(ben_id)
    follow = await ben.post(
        f"/clients/{bens_client}/followers", {"staff_id": str(worlds.home.therapist_id)}
    )
    assert follow.status_code == 303
    assert (await ana.get(f"/clients/{bens_client}")).status_code == 200
    followed = await ana.get("/clients?followed=yes")
    assert "Robin Park" in followed.text and "Sam Jones" not in followed.text


async def test_duty_staff_read_clients_but_cannot_change_them(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    duty = await browsers.signed_in(worlds.home.duty_id)
    page = await duty.get(f"/clients/{worlds.home.client_id}")
    assert page.status_code == 200 and "Pause check-ins" not in page.text
    assert (await duty.post(f"/clients/{worlds.home.client_id}/pause")).status_code == 403
    assert (await duty.get("/clients/new")).status_code == 403
    async with services.sessionmaker() as session:
        events = await session.scalar(select(func.count()).select_from(ClientEvent))
    assert events == 0


async def test_needs_attention_order_open_alerts_then_missed_streaks_then_silence(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    now = services.now()
    async with services.sessionmaker.begin() as session:
        therapist = await accounts.find(session, ref=str(worlds.home.therapist_id))
        quiet = await make_client(session, therapist=therapist, now=now, name="Quiet Q")
        missing = await make_client(session, therapist=therapist, now=now, name="Missing M")
        chatty = await make_client(session, therapist=therapist, now=now, name="Chatty C")
        for client, statuses in (
            (quiet, [CheckinStatus.answered]),
            (missing, [CheckinStatus.answered, CheckinStatus.missed, CheckinStatus.missed]),
            (chatty, [CheckinStatus.answered]),
        ):
            client.status = ClientStatus.active
            for n, status in enumerate(statuses):
                due = now - timedelta(days=30 - n)
                session.add(
                    Checkin(
                        client_id=client.id,
                        due_at=due,
                        status=status,
                        kind=CheckinKind.taper,
                        mood=3 if status is CheckinStatus.answered else None,
                        answered_at=due if status is CheckinStatus.answered else None,
                    )
                )
        # Chatty answered yesterday, Quiet a month ago: Quiet's silence is longer.
        session.add(
            Checkin(
                client_id=chatty.id,
                due_at=now - timedelta(days=1),
                kind=CheckinKind.taper,
                status=CheckinStatus.answered,
                mood=4,
                answered_at=now - timedelta(days=1),
            )
        )
    ana = await browsers.signed_in(worlds.home.therapist_id)
    page = (await ana.get("/clients")).text
    order = [page.index(name) for name in ("Sam Jones", "Missing M", "Quiet Q", "Chatty C")]
    assert order == sorted(order), "alerts, then missed in a row, then the longest silence"
    assert "2</strong>" in page  # Missing M: two missed in a row
    only_alerts = (await ana.get("/clients?alert=open")).text
    assert "Sam Jones" in only_alerts and "Missing M" not in only_alerts


async def test_search_by_name_keeps_the_name_out_of_the_address(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        therapist = await accounts.find(session, ref=str(worlds.home.therapist_id))
        await make_client(session, therapist=therapist, now=services.now(), name="Priya Shah")
    ana = await browsers.signed_in(worlds.home.therapist_id)
    await ana.get("/clients")
    found = await ana.post("/clients/search", {"name": "priya"})
    assert found.status_code == 200
    assert "Priya Shah" in found.text and "Sam Jones" not in found.text
    assert "priya" not in str(found.url).lower()
    fragment = await ana.http.post(
        "/clients/search",
        data={"name": "jones"},
        headers={
            "origin": "http://console.test",
            "hx-request": "true",
            "x-csrf-token": ana.csrf or "",
        },
    )
    assert fragment.text.lstrip().startswith('<div id="client-rows">')
    assert "Sam Jones" in fragment.text and "Priya Shah" not in fragment.text
    weird = await ana.post("/clients/search", {"name": "100%_\\"})
    assert weird.status_code == 200 and "No clients here" in weird.text


async def test_pause_resume_send_now_window_and_timezone_go_through_the_client_actions(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        client.status, client.chat_id, client.consented_at = (
            ClientStatus.active,
            4242,
            services.now(),
        )
    ana = await browsers.signed_in(worlds.home.therapist_id)
    base = f"/clients/{worlds.home.client_id}"
    paused = await ana.post(f"{base}/pause")
    assert paused.headers["location"] == f"{base}?notice=paused"
    page = await ana.get(paused.headers["location"])
    assert "Check-ins are paused" in page.text and "Resume check-ins" in page.text
    assert (await ana.post(f"{base}/resume")).headers["location"] == f"{base}?notice=resumed"
    assert (await ana.post(f"{base}/send-now")).status_code == 303
    bad = await ana.post(f"{base}/window", {"window": "25:00-26:00"})
    assert bad.status_code == 400 and "hour 25 in &#39;25:00&#39; is not a time of day" in bad.text
    assert (await ana.post(f"{base}/window", {"window": "08:00-09:30"})).status_code == 303
    unknown = await ana.post(f"{base}/timezone", {"timezone": "Mars/Olympus"})
    assert unknown.status_code == 400 and "unknown timezone" in unknown.text
    assert (await ana.post(f"{base}/timezone", {"timezone": "Asia/Tokyo"})).status_code == 303
    async with services.sessionmaker() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None and client.timezone == "Asia/Tokyo"
        assert f"{client.window_start:%H:%M}" == "08:00"
        manual = await session.scalar(
            select(func.count()).where(
                Checkin.client_id == client.id, Checkin.kind == CheckinKind.manual
            )
        )
        events = list(await session.scalars(select(ClientEvent.event).order_by(ClientEvent.id)))
        by = set(await session.scalars(select(ClientEvent.by)))
    assert manual == 1
    assert events == ["paused", "resumed", "checkin_sent_now", "window_changed", "timezone_changed"]
    assert by == {"Dr Ana Rivera (console)"}
    page = await ana.get(base)
    assert "Asia/Tokyo" in page.text and "08:00-09:30" in page.text


async def test_the_client_page_shows_alerts_reply_time_and_the_taper(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    page = (await ana.get(f"/clients/{worlds.home.client_id}")).text
    assert "2 open" in page  # the world's urgent and routine alerts
    assert "Week 52" in page and "Month view" in page
    async with services.sessionmaker() as session:
        open_alerts = await session.scalar(
            select(func.count()).where(
                Alert.status != AlertStatus.resolved, Alert.client_id == worlds.home.client_id
            )
        )
    assert open_alerts == 2


async def test_a_clinics_scoped_session_sees_none_of_another_clinics_client_records(
    services: Services, worlds: Worlds
) -> None:
    """Plan versions, events, notes and followers are scoped with the client they belong to."""
    now = services.now()
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        therapist = await accounts.find(session, ref=str(worlds.home.therapist_id))
        admin = await accounts.find(session, ref=str(worlds.home.admin_id))
        assert client is not None
        await actions.add_note(
            session, client=client, staff=therapist, author="Ana", text="called, OK", now=now
        )
        await actions.follow(session, client=client, staff=admin, by="Ana", now=now)
        await actions.pause(session, client=client, now=now, by="Ana")
    kinds = (PlanVersion, ClientEvent, StaffNote, ClientFollower)
    for clinic_id, expected in ((worlds.home.clinic_id, 1), (worlds.foreign.clinic_id, 0)):
        async with services.sessionmaker() as session:
            scope_to_clinic(session, clinic_id)
            for kind in kinds:
                found = await session.scalars(
                    select(kind).where(kind.client_id == worlds.home.client_id)  # type: ignore[attr-defined]
                )
                assert len(list(found)) == expected, (clinic_id, kind.__name__)


async def test_the_figures_follow_every_change_to_a_clients_check_ins(
    services: Services, worlds: Worlds
) -> None:
    """Kept by the database's triggers: inserts, answers, misses, replans and deletes."""
    now = services.now()
    client_id = worlds.home.client_id

    async def figures() -> tuple[object, ...]:
        async with services.sessionmaker() as session:
            row = await session.get(ClientFigures, client_id)
            assert row is not None
            return row.last_answered_at, row.missed_in_a_row, row.next_due

    async with services.sessionmaker() as session:
        first_due = await session.scalar(
            select(func.min(Checkin.due_at)).where(
                Checkin.client_id == client_id, Checkin.status == CheckinStatus.scheduled
            )
        )
    assert await figures() == (None, 0, first_due)  # enrolment planned the taper
    async with services.sessionmaker.begin() as session:
        rows = [
            Checkin(
                client_id=client_id,
                due_at=now - timedelta(days=d),
                kind=CheckinKind.taper,
                status=CheckinStatus.sent,
            )
            for d in (30, 20, 10)
        ]
        session.add_all(rows)
    async with services.sessionmaker.begin() as session:
        oldest, middle, newest = [await session.get(Checkin, r.id) for r in rows]
        assert oldest and middle and newest
        oldest.status, oldest.answered_at = CheckinStatus.answered, now - timedelta(days=29)
        middle.status = newest.status = CheckinStatus.missed
    assert (await figures())[:2] == (now - timedelta(days=29), 2)
    async with services.sessionmaker.begin() as session:
        newest = await session.get(Checkin, rows[2].id)
        assert newest is not None
        newest.status, newest.answered_at = CheckinStatus.answered, now - timedelta(days=9)
    assert (await figures())[:2] == (now - timedelta(days=9), 0)
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        await schedule.cancel_upcoming(session, client_id=client_id)
        await session.execute(delete(Checkin).where(Checkin.id == rows[2].id))
    assert await figures() == (now - timedelta(days=29), 1, None)


async def test_a_clients_language_is_shown_beside_their_name(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    shown = '<abbr class="lang" title="Writes in {}">{}</abbr>'
    # No language of their own: the clinic's default.
    assert shown.format("English", "EN") in (await ana.get("/clients")).text
    async with services.sessionmaker.begin() as session:
        client = await session.get(Client, worlds.home.client_id)
        assert client is not None
        await actions.change_language(session, client=client, language="es", now=services.now())
    assert shown.format("Spanish", "ES") in (await ana.get("/clients")).text
    assert shown.format("Spanish", "ES") in (await ana.get(f"/clients/{client.id}")).text
