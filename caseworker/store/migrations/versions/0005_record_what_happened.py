"""Record what really happened: a logged date apart from received, the profile a stage is
worked under, the date promised in an issued letter, extensions told late, and the date a
piece of correspondence (a chaser) was made.

Existing rows get sensible defaults: no logged date (the same as received), the case's
profile, no promise, extensions told in time (they were refused otherwise), no date of
their own on correspondence (the day it was recorded).

Revision ID: 0005
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_case") as batch:
        batch.add_column(sa.Column("logged", sa.Date(), nullable=True))
    with op.batch_alter_table("stage") as batch:
        batch.add_column(sa.Column("policy_key", sa.String(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("promised_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("promised_ext_days", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("promised_in", sa.String(30), nullable=False, server_default=""))
    with op.batch_alter_table("extension") as batch:
        batch.add_column(sa.Column("told_late", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("correspondence") as batch:
        batch.add_column(sa.Column("dated", sa.Date(), nullable=True))


def _drop_column(table: str, column: str) -> None:
    """Drop a column in place. On SQLite (3.35+) ALTER TABLE DROP COLUMN, not a batch copy: a
    batch copy drops and re-creates the table, which the foreign keys pointing at
    ``complaint_case`` refuse while there is data."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    else:
        op.drop_column(table, column)


def downgrade() -> None:
    _drop_column("correspondence", "dated")
    _drop_column("extension", "told_late")
    for name in ("promised_in", "promised_ext_days", "promised_due", "policy_key"):
        _drop_column("stage", name)
    _drop_column("complaint_case", "logged")
