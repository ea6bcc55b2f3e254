"""sign-in: per-address backoff, unlock, encrypted TOTP secrets

Revision ID: 0009
Revises: 0008

Secrets stored in plain text before this stay readable: each is sealed the first time it is used,
and `aftercare staff rotate-totp-key` seals them all at once (the migration has no key).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.database.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECRET_COLUMNS = (
    ("staff", "totp_secret"),
    ("staff_invites", "totp_secret"),
    ("console_sessions", "enrolment_secret"),
)


def _set_width(table: str, column: str, *, before: int, after: int) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            table, column, existing_type=sa.String(length=before), type_=sa.String(length=after)
        )
        return
    # SQLite changes a column's type only by rebuilding the table, and rebuilding staff would
    # drop the tables that point at it: the values move through a new column, in place.
    spare = f"{column}_resized"
    op.execute(f"ALTER TABLE {table} ADD COLUMN {spare} VARCHAR({after})")
    op.execute(f"UPDATE {table} SET {spare} = {column}")
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {spare} TO {column}")


def upgrade() -> None:
    # Attempts were keyed by a plain SHA-256 of the email, now by a keyed hash: the old rows
    # would never match again.
    op.execute("DELETE FROM sign_in_attempts")
    with op.batch_alter_table("sign_in_attempts") as batch:
        batch.add_column(
            sa.Column("factor", sa.String(length=10), nullable=False, server_default="password")
        )
    op.create_table(
        "sign_in_unlocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_unlocks")),
    )
    with op.batch_alter_table("sign_in_unlocks") as batch:
        batch.create_index("ix_sign_in_unlocks_account_key_at", ["account_key", "at"])
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("created_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.database.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_kept_forms_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_forms")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kept_forms_token_hash")),
    )
    with op.batch_alter_table("kept_forms") as batch:
        batch.create_index(batch.f("ix_kept_forms_staff_id"), ["staff_id"])
        batch.create_index(batch.f("ix_kept_forms_expires_at"), ["expires_at"])
    with op.batch_alter_table("console_sessions") as batch:
        batch.add_column(sa.Column("kept_form_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_console_sessions_kept_form_id_kept_forms"),
            "kept_forms",
            ["kept_form_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Secrets nobody can use any more go now rather than be sealed later.
    op.execute(
        "UPDATE staff_invites SET totp_secret = NULL "
        "WHERE used_at IS NOT NULL OR withdrawn_at IS NOT NULL"
    )
    op.execute("UPDATE console_sessions SET enrolment_secret = NULL WHERE ended_at IS NOT NULL")
    # A sealed secret is longer than the base32 one it holds.
    for table, column in SECRET_COLUMNS:
        _set_width(table, column, before=64, after=120)


def downgrade() -> None:
    for table, column in SECRET_COLUMNS:
        # Sealed secrets do not fit the old width and need the key: they are forgotten, and
        # those staff set up their authenticator again at their next sign-in.
        op.execute(sa.text(f"UPDATE {table} SET {column} = NULL WHERE length({column}) > 64"))
        _set_width(table, column, before=120, after=64)
    with op.batch_alter_table("console_sessions") as batch:
        batch.drop_constraint(
            batch.f("fk_console_sessions_kept_form_id_kept_forms"), type_="foreignkey"
        )
        batch.drop_column("kept_form_id")
    op.drop_table("kept_forms")
    op.drop_table("sign_in_unlocks")
    with op.batch_alter_table("sign_in_attempts") as batch:
        batch.drop_column("factor")
