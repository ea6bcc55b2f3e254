"""the duty shift: how to reach a client (phone and emergency contact), the resolved list

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # recreate="never": rebuilding clients on SQLite would drop the table others point at,
    # and their rows with it; adding and dropping columns in place is enough (SQLite 3.35+).
    with op.batch_alter_table("clients", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("emergency_contact", sa.String(length=300), nullable=True))
    op.create_index(
        "ix_alerts_clinic_id_resolved_at", "alerts", ["clinic_id", "resolved_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_alerts_clinic_id_resolved_at", table_name="alerts")
    with op.batch_alter_table("clients", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("emergency_contact")
        batch_op.drop_column("phone")
