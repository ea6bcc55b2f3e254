"""languages: each client's own, and the clinic's default

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("clinics") as batch:
        batch.add_column(
            sa.Column("default_language", sa.String(length=8), nullable=False, server_default="en")
        )


def downgrade() -> None:
    with op.batch_alter_table("clinics", recreate="never") as batch:
        batch.drop_column("default_language")
    with op.batch_alter_table("clients", recreate="never") as batch:
        batch.drop_column("language")
