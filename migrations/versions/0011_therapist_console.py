"""the therapist console: plan versions, dated triggers, staff notes

Revision ID: 0011
Revises: 0010

Plan versions (every saved plan, the current one included; existing plans become version 1),
client events (what changed in a client's aftercare and who changed it), staff notes on the
timeline, colleagues who follow a client, a caring check-in's occasion on the check-in, and
each client's check-in figures for the client list, kept by triggers on `checkins` (a change
to a check-in's status, due time or answer time recomputes its client's row from the client's
own check-ins, on PostgreSQL and SQLite alike).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.database.base.UTCDateTime(timezone=True)

# One client's figures, from their own check-ins (:id is the client). "Missed in a row": missed
# check-ins after the last answered one.
FIGURES = """
SELECT {id},
  (SELECT max(answered_at) FROM checkins WHERE client_id = {id} AND status = 'answered'),
  (SELECT max(due_at) FROM checkins WHERE client_id = {id} AND status = 'answered'),
  (SELECT min(due_at) FROM checkins WHERE client_id = {id} AND status = 'scheduled'),
  (SELECT count(*) FROM checkins m WHERE m.client_id = {id} AND m.status = 'missed'
     AND m.due_at > coalesce((SELECT max(due_at) FROM checkins a
                              WHERE a.client_id = {id} AND a.status = 'answered'), {epoch}))
"""
COLUMNS = "client_id, last_answered_at, last_answered_due, next_due, missed_in_a_row"
UPSERT = (
    "ON CONFLICT (client_id) DO UPDATE SET last_answered_at = excluded.last_answered_at, "
    "last_answered_due = excluded.last_answered_due, next_due = excluded.next_due, "
    "missed_in_a_row = excluded.missed_in_a_row"
)
WATCHED = "status, due_at, answered_at"


def _postgres_triggers() -> None:
    # Statement triggers: one refresh per client a statement touched, in client order, so two
    # statements never lock the same figures rows in opposite orders.
    figures = FIGURES.format(id="ids.client_id", epoch="'-infinity'::timestamptz")
    op.execute(
        f"""
        CREATE FUNCTION client_figures_refresh() RETURNS trigger AS $$
        BEGIN
          INSERT INTO client_figures ({COLUMNS}) {figures}
          FROM (SELECT DISTINCT client_id FROM changed ORDER BY client_id) ids {UPSERT};
          RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
    )
    for event, table in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER checkins_client_figures_{event.lower()} AFTER {event} ON checkins "
            f"REFERENCING {table} TABLE AS changed FOR EACH STATEMENT "
            "EXECUTE FUNCTION client_figures_refresh()"
        )


def _sqlite_triggers() -> None:
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"), (f"UPDATE OF {WATCHED}", "NEW")):
        name = event.split()[0].lower()
        figures = FIGURES.format(id=f"{row}.client_id", epoch="''")
        op.execute(
            f"CREATE TRIGGER checkins_client_figures_{name} AFTER {event} ON checkins "
            f"BEGIN INSERT INTO client_figures ({COLUMNS}) {figures} WHERE true {UPSERT}; END"
        )


def upgrade() -> None:
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("saved_at", UTC, nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_plan_versions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("client_id", "number", name=op.f("uq_plan_versions_client_id")),
    )
    # Every plan stored so far becomes its client's version 1.
    op.execute(
        "INSERT INTO plan_versions (client_id, number, content, saved_at, saved_by) "
        "SELECT client_id, 1, content, updated_at, 'enrolment' FROM plans"
    )
    op.create_table(
        "client_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_events_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_events")),
    )
    with op.batch_alter_table("client_events") as batch:
        batch.create_index("ix_client_events_client_id_at", ["client_id", "at"], unique=False)
    op.create_table(
        "staff_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_staff_notes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_notes_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_notes")),
    )
    with op.batch_alter_table("staff_notes") as batch:
        batch.create_index("ix_staff_notes_client_id_at", ["client_id", "at"], unique=False)
    op.create_table(
        "client_followers",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("since", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_followers_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_client_followers_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "staff_id", name=op.f("pk_client_followers")),
    )
    with op.batch_alter_table("client_followers") as batch:
        batch.create_index(batch.f("ix_client_followers_staff_id"), ["staff_id"], unique=False)
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("occasion", sa.JSON(), nullable=True))
    with op.batch_alter_table("checkins") as batch:
        batch.create_index(
            "ix_checkins_client_id_status_due_at", ["client_id", "status", "due_at"], unique=False
        )
    op.create_table(
        "client_figures",
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_answered_at", UTC, nullable=True),
        sa.Column("last_answered_due", UTC, nullable=True),
        sa.Column("next_due", UTC, nullable=True),
        sa.Column("missed_in_a_row", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_figures")),
    )
    epoch = "''" if op.get_bind().dialect.name == "sqlite" else "'-infinity'::timestamptz"
    op.execute(
        f"INSERT INTO client_figures ({COLUMNS}) "
        + FIGURES.format(id="c.id", epoch=epoch)
        + " FROM clients c"
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in ("insert", "delete", "update"):
        on = " ON checkins" if postgres else ""
        op.execute(f"DROP TRIGGER checkins_client_figures_{name}{on}")
    if postgres:
        op.execute("DROP FUNCTION client_figures_refresh()")
    with op.batch_alter_table("checkins", recreate="never") as batch:
        batch.drop_index("ix_checkins_client_id_status_due_at")
    op.drop_table("client_figures")
    with op.batch_alter_table("checkins", recreate="never") as batch:
        batch.drop_column("occasion")
    op.drop_table("client_followers")
    op.drop_table("staff_notes")
    op.drop_table("client_events")
    op.drop_table("plan_versions")
