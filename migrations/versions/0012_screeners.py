"""screeners: PHQ and GAD administrations and answers, the client's screener plan

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "planned",
    "offered",
    "answering",
    "asking",
    "held",
    "finished",
    "skipped",
    "expired",
)


def upgrade() -> None:
    # Existing clients get no row: screeners stay off for them until a therapist sets a plan.
    op.create_table(
        "screener_plans",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("families", sa.String(length=100), nullable=False),
        sa.Column("audit_c_cutoff", sa.String(length=10), nullable=True),
        sa.Column("ending_totals", sa.JSON(), nullable=False),
        sa.Column("updated_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_screener_plans_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_screener_plans")),
    )
    op.create_table(
        "clinic_screener_settings",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("families_for_new_clients", sa.String(length=100), nullable=False),
        sa.Column("item9_any_positive_urgent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_clinic_screener_settings_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", name=op.f("pk_clinic_screener_settings")),
    )
    op.create_table(
        "screener_administrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="administrationstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("asked_item", sa.String(length=20), nullable=True),
        sa.Column("created_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.database.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", bot.database.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", bot.database.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("short_total", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=40), nullable=True),
        sa.Column("positive", sa.Boolean(), nullable=True),
        sa.Column("reference_total", sa.Integer(), nullable=True),
        sa.Column("reference_kind", sa.String(length=20), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_screener_administrations_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_screener_administrations_checkin_id_checkins"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_screener_administrations_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["direct_questions.id"],
            name=op.f("fk_screener_administrations_question_id_direct_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screener_administrations")),
    )
    with op.batch_alter_table("screener_administrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screener_administrations_client_family_sent",
            ["client_id", "family", "sent_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_screener_administrations_status_sent", ["status", "sent_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_screener_administrations_checkin_id"), ["checkin_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_screener_administrations_question_id"), ["question_id"], unique=False
        )
    op.create_table(
        "screener_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("answered_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["screener_administrations.id"],
            name=op.f("fk_screener_answers_administration_id_screener_administrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_screener_answers_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_screener_answers_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screener_answers")),
        sa.UniqueConstraint(
            "administration_id", "item", name=op.f("uq_screener_answers_administration_id")
        ),
    )
    with op.batch_alter_table("screener_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screener_answers_alert_id"), ["alert_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_screener_answers_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("screener_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screener_answers_client_id"))
        batch_op.drop_index(batch_op.f("ix_screener_answers_alert_id"))
    op.drop_table("screener_answers")
    with op.batch_alter_table("screener_administrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screener_administrations_question_id"))
        batch_op.drop_index(batch_op.f("ix_screener_administrations_checkin_id"))
        batch_op.drop_index("ix_screener_administrations_status_sent")
        batch_op.drop_index("ix_screener_administrations_client_family_sent")
    op.drop_table("screener_administrations")
    op.drop_table("clinic_screener_settings")
    op.drop_table("screener_plans")
