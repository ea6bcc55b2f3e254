"""one door: outbox rows carry files, reply options and sent parts; staff-group health

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("options", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("filename", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("clinics") as batch:
        batch.add_column(
            sa.Column(
                "staff_group_failing_since",
                bot.database.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("staff_group_error", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clinics", recreate="never") as batch:
        batch.drop_column("staff_group_error")
        batch.drop_column("staff_group_failing_since")
    with op.batch_alter_table("outbox", recreate="never") as batch:
        batch.drop_column("parts_sent")
        batch.drop_column("filename")
        batch.drop_column("document")
        batch.drop_column("options")
