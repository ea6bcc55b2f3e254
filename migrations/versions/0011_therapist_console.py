"""the therapist console: plan versions, dated triggers, staff notes

Revision ID: 0011
Revises: 0010

Plan versions (every saved plan, the current one included; existing plans become version 1),
client events (what changed in a client's aftercare and who changed it), staff notes on the
timeline, colleagues who follow a client, and a caring check-in's occasion on the check-in.
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


def downgrade() -> None:
    with op.batch_alter_table("checkins", recreate="never") as batch:
        batch.drop_column("occasion")
    op.drop_table("client_followers")
    op.drop_table("staff_notes")
    op.drop_table("client_events")
    op.drop_table("plan_versions")
