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
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("emergency_contact", sa.String(length=300), nullable=True))
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alerts_clinic_id_resolved_at", ["clinic_id", "resolved_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_clinic_id_resolved_at")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("emergency_contact")
        batch_op.drop_column("phone")
