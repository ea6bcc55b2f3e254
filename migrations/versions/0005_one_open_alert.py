"""one unresolved alert per client and type

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00.000000

Before the partial unique index can exist, duplicates must go: for each client and type with
more than one unresolved alert, the one seen most recently stays (taking the highest severity,
the earliest deadline and the summed count of the others, by the same rules as a merge) and
the others are resolved with a note pointing at it. Both are written to the audit trail.
Downgrade only drops the index: the duplicates stay resolved.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_alerts_client_type_unresolved"
UNRESOLVED = "status <> 'resolved'"
ACTOR = "migration 0005"
RANK = {"routine": 0, "elevated": 1, "urgent": 2}

# The columns this migration reads and writes, as they are at this revision.
alerts = sa.table(
    "alerts",
    sa.column("id", sa.Integer()),
    sa.column("client_id", sa.Integer()),
    sa.column("type", sa.String(20)),
    sa.column("severity", sa.String(20)),
    sa.column("status", sa.String(20)),
    sa.column("count", sa.Integer()),
    sa.column("first_seen_at", bot.database.base.UTCDateTime(timezone=True)),
    sa.column("last_seen_at", bot.database.base.UTCDateTime(timezone=True)),
    sa.column("deadline_at", bot.database.base.UTCDateTime(timezone=True)),
    sa.column("resolved_at", bot.database.base.UTCDateTime(timezone=True)),
    sa.column("resolved_by", sa.String(200)),
    sa.column("resolution_note", sa.Text()),
)
alert_events = sa.table(
    "alert_events",
    sa.column("alert_id", sa.Integer()),
    sa.column("at", bot.database.base.UTCDateTime(timezone=True)),
    sa.column("actor_label", sa.String(200)),
    sa.column("action", sa.String(20)),
    sa.column("detail", sa.String(500)),
)


def _merge_duplicates(connection: sa.Connection) -> None:
    now = datetime.now(UTC)
    rows = connection.execute(
        sa.select(
            alerts.c.id,
            alerts.c.client_id,
            alerts.c.type,
            alerts.c.severity,
            alerts.c.count,
            alerts.c.first_seen_at,
            alerts.c.last_seen_at,
            alerts.c.deadline_at,
        )
        .where(alerts.c.status != "resolved")
        .order_by(alerts.c.client_id, alerts.c.type, alerts.c.last_seen_at, alerts.c.id)
    ).mappings()
    groups: dict[tuple[int, str], list[sa.RowMapping]] = defaultdict(list)
    for row in rows:
        groups[(row["client_id"], row["type"])].append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        *others, keep = group  # the one seen most recently stays open
        severity = max((row["severity"] for row in group), key=lambda s: RANK.get(s, 0))
        deadline = min(row["deadline_at"] for row in group)
        first_seen = min(row["first_seen_at"] for row in group)
        count = sum(row["count"] for row in group)
        other_ids = ", ".join(str(row["id"]) for row in others)
        connection.execute(
            alerts.update()
            .where(alerts.c.id == keep["id"])
            .values(severity=severity, deadline_at=deadline, first_seen_at=first_seen, count=count)
        )
        connection.execute(
            alert_events.insert().values(
                alert_id=keep["id"],
                at=now,
                actor_label=ACTOR,
                action="merged",
                detail=f"one open alert per client and type: merged alerts {other_ids}"[:500],
            )
        )
        note = f"merged into alert {keep['id']}: one open alert per client and type"
        for row in others:
            connection.execute(
                alerts.update()
                .where(alerts.c.id == row["id"])
                .values(status="resolved", resolved_at=now, resolved_by=ACTOR, resolution_note=note)
            )
            connection.execute(
                alert_events.insert().values(
                    alert_id=row["id"], at=now, actor_label=ACTOR, action="resolved", detail=note
                )
            )


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        # A process still on the old code must not add a duplicate between merge and index.
        op.execute("LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE")
    _merge_duplicates(connection)
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(
            INDEX,
            ["client_id", "type"],
            unique=True,
            postgresql_where=sa.text(UNRESOLVED),
            sqlite_where=sa.text(UNRESOLVED),
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
