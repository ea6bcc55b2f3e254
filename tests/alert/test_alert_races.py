"""Alerts with two processes on one database: one alert per crisis, each reminder sent once.

Each "process" has its own engine (its own connection pool) on the same database, as two
`aftercare run` would; every race is run for many rounds.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.alert import actions, overdue
from bot.alert import service as alerts
from bot.alert.models import Alert, AlertAction, AlertEvent, AlertStatus, AlertType, Severity
from bot.client import service as clients
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from bot.outbox import drain
from bot.outbox.models import Delivery, OutboxMessage, Outcome, Purpose
from bot.services import Services
from bot.staff.models import Staff
from scheduler import jobs
from tests.alert.conftest import NOW, World, raise_crisis, staff_rows
from tests.factories import make_client

ROUNDS = 30
EVERY = timedelta(minutes=15)


@pytest.fixture
async def second(database_url: str, engine: AsyncEngine) -> AsyncIterator[SessionMaker]:
    """The other process: its own engine on the same (already migrated) database."""
    other = make_engine(database_url)
    try:
        yield make_sessionmaker(other)
    finally:
        await other.dispose()


async def new_clients(sessionmaker: SessionMaker, world: World, count: int) -> list[int]:
    async with sessionmaker.begin() as session:
        therapist = await session.get(Staff, world.therapist_id)
        assert therapist is not None
        made = [
            await make_client(session, therapist=therapist, now=NOW, name=f"Client {n}")
            for n in range(count)
        ]
        return [client.id for client in made]


async def raise_one(
    sessionmaker: SessionMaker,
    client_id: int,
    *,
    severity: Severity = Severity.elevated,
    type: AlertType = AlertType.crisis,
    at: datetime = NOW,
) -> tuple[int, bool]:
    async with sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client_id)
        alert, created = await alerts.raise_alert(
            session,
            client=client,
            type=type,
            severity=severity,
            evidence=f"{severity} signal",
            now=at,
        )
        return alert.id, created


async def unresolved_per_client_and_type(sessionmaker: SessionMaker) -> Counter[tuple[int, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Alert.client_id, Alert.type, func.count())
            .where(Alert.status != AlertStatus.resolved)
            .group_by(Alert.client_id, Alert.type)
        )
        return Counter({(client_id, str(type)): n for client_id, type, n in rows.tuples()})


async def actions_of(sessionmaker: SessionMaker, alert_id: int) -> Counter[AlertAction]:
    async with sessionmaker() as session:
        return Counter(e.action for e in await alerts.events(session, alert_id=alert_id))


async def test_concurrent_raises_make_one_alert_and_merge_the_rest(
    sessionmaker: SessionMaker, second: SessionMaker, world: World
) -> None:
    """Four raises at once (two per process) for one crisis: one alert, three merges."""
    client_ids = await new_clients(sessionmaker, world, ROUNDS)
    for client_id in client_ids:
        results = await asyncio.gather(
            raise_one(sessionmaker, client_id, severity=Severity.elevated),
            raise_one(second, client_id, severity=Severity.urgent),
            raise_one(sessionmaker, client_id, severity=Severity.routine),
            raise_one(second, client_id, severity=Severity.elevated),
        )
        ids = {alert_id for alert_id, _ in results}
        assert len(ids) == 1, results
        assert sorted(created for _, created in results) == [False, False, False, True]
        [alert_id] = ids
        async with sessionmaker() as session:
            alert = await alerts.get(session, alert_id=alert_id)
            # However the four interleaved: every repeat counted, severity at the highest.
            assert (alert.count, alert.severity) == (4, Severity.urgent)
        assert await actions_of(sessionmaker, alert_id) == Counter(
            {AlertAction.created: 1, AlertAction.merged: 3}
        )
    per_key = await unresolved_per_client_and_type(sessionmaker)
    assert set(per_key.values()) == {1} and len(per_key) == ROUNDS


async def test_concurrent_raises_through_the_flow_never_fail(
    sessionmaker: SessionMaker, second: SessionMaker, world: World
) -> None:
    """The product's raise (alert and staff rows in one transaction): both get the one alert."""
    client_ids = await new_clients(sessionmaker, world, ROUNDS)
    for client_id in client_ids:

        async def flow(maker: SessionMaker, client_id: int = client_id) -> int:
            return await raise_crisis(
                maker,
                world,
                client_id=client_id,
                type=AlertType.warning_signs,
                severity=Severity.elevated,
            )

        first_id, second_id = await asyncio.gather(flow(sessionmaker), flow(second))
        assert first_id == second_id
    per_key = await unresolved_per_client_and_type(sessionmaker)
    assert set(per_key.values()) == {1} and len(per_key) == ROUNDS


CLI = actions.Actor(None, actions.Door.cli)


async def test_a_raise_racing_a_resolve_leaves_at_most_one_open(
    sessionmaker: SessionMaker, second: SessionMaker, world: World
) -> None:
    client_ids = await new_clients(sessionmaker, world, ROUNDS)
    for client_id in client_ids:
        alert_id, _ = await raise_one(sessionmaker, client_id)

        async def resolve(alert_id: int = alert_id) -> None:
            async with sessionmaker.begin() as session:
                await actions.resolve(
                    session, alert_id=alert_id, actor=CLI, note="ok", reason=None, now=NOW
                )

        results = await asyncio.gather(
            resolve(),
            raise_one(second, client_id, at=NOW + timedelta(minutes=1)),
            raise_one(second, client_id, at=NOW + timedelta(minutes=1)),
        )
        raised = [r for r in results if r is not None]
        assert sum(created for _, created in raised) <= 1
    per_key = await unresolved_per_client_and_type(sessionmaker)
    assert set(per_key.values()) <= {1}
    async with sessionmaker() as session:
        # Every raise was either merged or created an alert: none was lost.
        total = await session.scalar(select(func.sum(Alert.count)))
    assert total == 3 * ROUNDS


async def _overdue_alerts(sessionmaker: SessionMaker, world: World, count: int) -> set[int]:
    """`count` urgent alerts (15 min deadline), each for its own client, raised at NOW."""
    ids = set()
    for client_id in await new_clients(sessionmaker, world, count):
        alert_id, _ = await raise_one(sessionmaker, client_id, severity=Severity.urgent)
        ids.add(alert_id)
    return ids


async def test_concurrent_claims_take_each_overdue_alert_once(
    sessionmaker: SessionMaker, second: SessionMaker, world: World
) -> None:
    due = await _overdue_alerts(sessionmaker, world, 8)

    async def claim(maker: SessionMaker, at: datetime) -> list[tuple[int, bool]]:
        async with maker.begin() as session:
            claims = await overdue.claim_overdue(session, now=at, remind_every=EVERY)
            return [(c.alert.id, c.escalate) for c in claims]

    assert await claim(sessionmaker, NOW + timedelta(minutes=14)) == []
    escalated: list[int] = []
    for round in range(ROUNDS):
        at = NOW + timedelta(minutes=16) + round * EVERY
        a, b = await asyncio.gather(claim(sessionmaker, at), claim(second, at))
        claimed = [alert_id for alert_id, _ in a + b]
        assert sorted(claimed) == sorted(due), (round, a, b)
        escalated += [alert_id for alert_id, escalate in a + b if escalate]
        # Nothing left to claim until `remind_every` has passed.
        assert await claim(second, at + EVERY - timedelta(seconds=1)) == []
    assert sorted(escalated) == sorted(due)
    async with sessionmaker() as session:
        for alert_id in due:
            alert = await alerts.get(session, alert_id=alert_id)
            assert alert.reminders_sent == ROUNDS
            assert alert.escalated_at == NOW + timedelta(minutes=16)
            assert alert.last_notified_at == NOW + timedelta(minutes=16) + (ROUNDS - 1) * EVERY


async def test_two_processes_remind_and_escalate_each_overdue_alert_once(
    sessionmaker: SessionMaker, second: SessionMaker, world: World
) -> None:
    """The overdue job itself, run by two processes at each tick."""
    due = await _overdue_alerts(sessionmaker, world, 5)
    rounds = ROUNDS // 2
    for round in range(rounds):
        at = NOW + timedelta(minutes=16) + round * EVERY
        counts = await asyncio.gather(
            jobs.remind_overdue_alerts(clock_only(sessionmaker, at), remind_every=EVERY),
            jobs.remind_overdue_alerts(clock_only(second, at), remind_every=EVERY),
        )
        assert sum(counts) == len(due), (round, counts)
    reminded = Counter(r.alert_id for r in await staff_rows(sessionmaker, Purpose.alert_remind))
    assert reminded == Counter({alert_id: rounds for alert_id in due})
    escalated = Counter(r.alert_id for r in await staff_rows(sessionmaker, Purpose.alert_escalate))
    # Each escalation: one private message to the linked admin and one line in the group.
    assert escalated == Counter({alert_id: 2 for alert_id in due})
    await deliver_everything(sessionmaker)
    async with sessionmaker() as session:
        trail = Counter(
            (event.alert_id, event.action)
            for event in await session.scalars(
                select(AlertEvent).where(
                    AlertEvent.action.in_([AlertAction.reminded, AlertAction.escalated])
                )
            )
        )
        assert all(trail[(i, AlertAction.reminded)] == rounds for i in due)
        # One event per delivered escalation message: the admin's and the group's line.
        assert all(trail[(i, AlertAction.escalated)] == 2 for i in due)
        for alert_id in due:
            assert (await alerts.get(session, alert_id=alert_id)).reminders_sent == rounds


async def test_upgrading_merges_the_duplicates_earlier_races_left(database_url: str) -> None:
    """Migration 0005 on a database with duplicates: one unresolved alert each, none lost."""
    from alembic import command

    from bot.database.migrate import alembic_config, upgrade
    from tests.alert.conftest import build_world

    engine = make_engine(database_url)

    async def downgrade_to(revision: str) -> None:
        def run(connection: object) -> None:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, revision)

        async with engine.begin() as connection:
            await connection.run_sync(run)

    try:
        await upgrade(engine)
        sessionmaker = make_sessionmaker(engine)
        world = await build_world(sessionmaker)
        [other_client] = await new_clients(sessionmaker, world, 1)
        await downgrade_to("0004")  # as it was before: nothing stopped a second open alert

        def alert(
            client_id: int,
            type: AlertType,
            severity: Severity,
            hours: int,
            *,
            status: AlertStatus = AlertStatus.open,
            count: int = 1,
            deadline_at: datetime | None = None,
        ) -> Alert:
            seen = NOW + timedelta(hours=hours)
            return Alert(
                clinic_id=world.clinic_id,
                client_id=client_id,
                type=type,
                severity=severity,
                status=status,
                evidence="e",
                count=count,
                first_seen_at=seen,
                last_seen_at=seen,
                deadline_at=deadline_at or seen + timedelta(hours=4),
                reminders_sent=0,
            )

        async with sessionmaker.begin() as session:
            old_urgent = alert(
                world.client_id,
                AlertType.crisis,
                Severity.urgent,
                0,
                count=2,
                deadline_at=NOW + timedelta(minutes=15),
            )
            newer = alert(
                world.client_id,
                AlertType.crisis,
                Severity.routine,
                30,
                status=AlertStatus.acknowledged,
            )
            closed = alert(
                world.client_id, AlertType.crisis, Severity.routine, 40, status=AlertStatus.resolved
            )
            single = alert(world.client_id, AlertType.lapse, Severity.elevated, 1)
            triple = [
                alert(other_client, AlertType.warning_signs, Severity.elevated, h)
                for h in (1, 2, 3)
            ]
            session.add_all([old_urgent, newer, closed, single, *triple])
        await upgrade(engine)

        per_key = await unresolved_per_client_and_type(sessionmaker)
        assert per_key == Counter(
            {
                (world.client_id, "crisis"): 1,
                (world.client_id, "lapse"): 1,
                (other_client, "warning_signs"): 1,
            }
        )
        async with sessionmaker() as session:
            kept = await alerts.get(session, alert_id=newer.id)
            # The one seen last stays, with the worst severity, earliest deadline, every sighting.
            assert kept.status is AlertStatus.acknowledged
            assert (kept.severity, kept.count) == (Severity.urgent, 3)
            assert kept.deadline_at == NOW + timedelta(minutes=15)
            assert kept.first_seen_at == NOW
            merged = await alerts.get(session, alert_id=old_urgent.id)
            assert merged.status is AlertStatus.resolved
            assert (
                merged.resolution_note
                == f"merged into alert {newer.id}: one open alert per client and type"
            )
            assert [e.action for e in await alerts.events(session, alert_id=old_urgent.id)] == [
                AlertAction.resolved
            ]
            assert [e.action for e in await alerts.events(session, alert_id=newer.id)] == [
                AlertAction.merged
            ]
            assert (await alerts.get(session, alert_id=closed.id)).resolved_by is None
            assert (await alerts.get(session, alert_id=triple[2].id)).count == 3
            assert (await alerts.get(session, alert_id=single.id)).count == 1
        # From now on a repeat merges into the survivor.
        assert await raise_one(sessionmaker, world.client_id) == (newer.id, False)
    finally:
        await engine.dispose()


def clock_only(sessionmaker: SessionMaker, at: datetime) -> Services:
    """What the alert job needs of a running process: its database and the time."""
    services = Services(
        settings=None,  # type: ignore[arg-type]
        engine=None,  # type: ignore[arg-type]
        sessionmaker=sessionmaker,
        understander=None,  # type: ignore[arg-type]
    )
    services.now = lambda: at
    return services


async def deliver_everything(sessionmaker: SessionMaker) -> None:
    """Telegram accepts every queued staff message (so each lands on the alert's trail)."""

    async def accept(row: OutboxMessage) -> Delivery:
        return Delivery(Outcome.sent, message_id=row.id)

    later = NOW + timedelta(days=1)
    while await drain.drain_once(sessionmaker, accept, worker="t", now=lambda: later, limit=100):
        pass
