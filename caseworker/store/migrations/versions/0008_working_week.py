"""The officer's working week: service requests get an owner and a closure,
documents are stored in the database (never altered: triggers refuse UPDATE and DELETE),
agreed update intervals (5.9) and updates given to the resident are recorded, open actions
are indexed by owner, and a case with an open action stays in its officer's list.

Existing rows get defaults: service requests have no owner and stay as they were; every
case still holding an open action is listed again (``closed`` false) with the earliest
open action as its next deadline when that is sooner (kind ``action``).

Revision ID: 0008
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "a stored document is never altered or deleted: withdraw it with a reason"

POSTGRESQL_UP = (
    f"""
    CREATE FUNCTION document_never_altered() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER document_never_altered
    BEFORE UPDATE OR DELETE ON document
    FOR EACH ROW EXECUTE FUNCTION document_never_altered()
    """,
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS document_never_altered ON document",
    "DROP FUNCTION IF EXISTS document_never_altered()",
)
SQLITE_UP = tuple(
    f"""
    CREATE TRIGGER document_no_{verb.lower()}
    BEFORE {verb} ON document
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS document_no_update", "DROP TRIGGER IF EXISTS document_no_delete")


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default="", nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("servicerequest") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=120), server_default="", nullable=False))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closed_by", sa.String(length=120), server_default="", nullable=False))
        batch.add_column(_text("outcome"))
    # the server defaults only filled the existing rows; the models give their own
    with op.batch_alter_table("servicerequest") as batch:
        batch.alter_column("owner", server_default=None)
        batch.alter_column("closed_by", server_default=None)
    op.create_index("ix_servicerequest_status", "servicerequest", ["status"])
    op.create_index("ix_action_owner_open", "action", ["owner", "done"])

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _text("description"),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_document_case_id", "document", ["case_id"])
    op.create_table(
        "documentwithdrawal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        _text("reason"),
        sa.Column("by", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_documentwithdrawal_document_id", "documentwithdrawal", ["document_id"], unique=True)
    op.create_table(
        "updateinterval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage_number", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("how", sa.String(length=40), nullable=False),
        _text("notes"),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_updateinterval_case_id", "updateinterval", ["case_id"])
    op.create_table(
        "residentupdate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("how", sa.String(length=40), nullable=False),
        _text("summary"),
        sa.Column("by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_residentupdate_case_id", "residentupdate", ["case_id"])

    dialect = op.get_context().dialect.name
    for statement in {"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}.get(dialect, ()):
        op.execute(statement)

    # Cases holding an open action stay listed, due at the earliest open action if sooner.
    case_t = sa.table(
        "complaint_case",
        sa.column("id"),
        sa.column("closed", sa.Boolean()),
        sa.column("next_due", sa.Date()),
        sa.column("next_due_kind", sa.String()),
    )
    action_t = sa.table("action", sa.column("case_id"), sa.column("done", sa.Boolean()), sa.column("due", sa.Date()))
    is_open = sa.and_(action_t.c.case_id == case_t.c.id, action_t.c.done == sa.false())
    earliest = sa.select(sa.func.min(action_t.c.due)).where(is_open).scalar_subquery()
    sooner = sa.or_(case_t.c.next_due.is_(None), earliest < case_t.c.next_due)
    op.execute(
        case_t.update()
        .where(sa.exists().where(is_open))
        .values(
            closed=False,
            next_due=sa.case((sooner, earliest), else_=case_t.c.next_due),
            next_due_kind=sa.case((sooner, "action"), else_=case_t.c.next_due_kind),
        )
    )


def downgrade() -> None:
    # Cases listed only for their actions go back to closed, as the older code expects.
    op.execute(
        "UPDATE complaint_case SET next_due = NULL, next_due_kind = '', closed = "
        + ("true" if op.get_context().dialect.name == "postgresql" else "1")
        + " WHERE status NOT IN ('awaiting-acknowledgement', 'open')"
    )
    dialect = op.get_context().dialect.name
    for statement in {"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}.get(dialect, ()):
        op.execute(statement)
    op.drop_index("ix_residentupdate_case_id", table_name="residentupdate")
    op.drop_table("residentupdate")
    op.drop_index("ix_updateinterval_case_id", table_name="updateinterval")
    op.drop_table("updateinterval")
    op.drop_index("ix_documentwithdrawal_document_id", table_name="documentwithdrawal")
    op.drop_table("documentwithdrawal")
    op.drop_index("ix_document_case_id", table_name="document")
    op.drop_table("document")
    op.drop_index("ix_action_owner_open", table_name="action")
    op.drop_index("ix_servicerequest_status", table_name="servicerequest")
    with op.batch_alter_table("servicerequest") as batch:
        batch.drop_column("outcome")
        batch.drop_column("closed_by")
        batch.drop_column("closed_on")
        batch.drop_column("owner")
