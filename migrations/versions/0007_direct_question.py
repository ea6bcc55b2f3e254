"""the direct question asked when a crisis reading is uncertain

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "direct_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("runner_up", sa.String(length=40), nullable=True),
        sa.Column("asked_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "yes",
                "no",
                "rather_not_say",
                "wrote",
                "unanswered",
                name="questionanswer",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("answered_at", bot.database.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_direct_questions_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_direct_questions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["client_messages.id"],
            name=op.f("fk_direct_questions_message_id_client_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_direct_questions")),
    )
    with op.batch_alter_table("direct_questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_direct_questions_answer_deadline_at", ["answer", "deadline_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_direct_questions_client_id"), ["client_id"], unique=False
        )
    # Never rebuild clinics on SQLite: dropping the old table would cascade to its clients.
    with op.batch_alter_table("clinics", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("ask_deadline_minutes", sa.Integer(), nullable=False, server_default="15")
        )


def downgrade() -> None:
    # Never rebuild clinics on SQLite: dropping the old table would cascade to its clients.
    with op.batch_alter_table("clinics", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("ask_deadline_minutes")
    with op.batch_alter_table("direct_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_direct_questions_client_id"))
        batch_op.drop_index("ix_direct_questions_answer_deadline_at")
    op.drop_table("direct_questions")
