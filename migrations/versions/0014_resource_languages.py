"""crisis resources per language: each entry's languages, and each line's on the clinic

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crisis_resource_entries") as batch:
        batch.add_column(
            sa.Column("languages", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("clinics") as batch:
        batch.add_column(sa.Column("crisis_resource_languages", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clinics", recreate="never") as batch:
        batch.drop_column("crisis_resource_languages")
    with op.batch_alter_table("crisis_resource_entries", recreate="never") as batch:
        batch.drop_column("languages")
