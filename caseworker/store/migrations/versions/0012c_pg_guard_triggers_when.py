"""PostgreSQL: the team-mode guard triggers fire only for the rows they can act on (issue 17:
a tracker import of 200,000 rows at 20,000 rows a second).

Revision 0004c put three row triggers on the tables a tracker import fills, each calling a
PL/pgSQL function with its own ``search_path`` (which PostgreSQL sets and restores at every
call) for every row stored: the Stage 2 officer guards on ``complaint_case`` and ``stage``
(they refuse a Stage 2 officer set by anyone but a supervisor, Code 6.13) and the audit actor
(an event's actor is ``session_user`` unless the session is privileged). Each now has a
``WHEN`` condition, evaluated by the server without calling the function, that passes over
exactly the rows the function would leave as they are:

- the Stage 2 guards act only on a row with a Stage 2 officer (``NEW.stage = 2`` / ``NEW.number
  = 2`` and ``NEW.officer_id IS NOT NULL``): the functions' own first test, unchanged;
- the audit actor changes only an event whose actor is not already ``session_user``.

The functions and what they enforce are unchanged (``caseworker_member``,
``caseworker_privileged`` are still asked wherever they were). Measured on a 20,000-row tracker
at a load of 7: the ``stage`` rows 2.5-2.9 s, now 1.4-2.3 s; ``complaint_case`` 4.1-5.0 s, now
3.3-3.9 s. Dropping and creating a trigger takes a moment on any size of table (no rows are
read); SQLite is untouched.

Revision ID: 0012c
Revises: 0012a
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0012c"
down_revision: str | Sequence[str] | None = "0012a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (trigger, table, events, function, the WHEN condition added by this revision).
TRIGGERS = (
    (
        "case_stage2_officer_guard",
        "complaint_case",
        "BEFORE INSERT OR UPDATE",
        "caseworker_case_officer_guard",
        "NEW.stage = 2 AND NEW.officer_id IS NOT NULL",
    ),
    (
        "stage2_officer_guard",
        "stage",
        "BEFORE INSERT OR UPDATE",
        "caseworker_stage2_officer_guard",
        "NEW.number = 2 AND NEW.officer_id IS NOT NULL",
    ),
    (
        "audit_event_actor",
        "audit_event",
        "BEFORE INSERT",
        "caseworker_audit_actor",
        "NEW.actor IS DISTINCT FROM session_user",
    ),
)


def _recreate(when: bool) -> None:
    bind = op.get_bind()
    for name, table, events, function, condition in TRIGGERS:
        present = bind.execute(
            text("SELECT 1 FROM pg_trigger WHERE tgname = :n AND tgrelid = to_regclass(:t) AND NOT tgisinternal"),
            {"n": name, "t": table},
        ).scalar()
        if not present:  # (0004c makes them on every PostgreSQL database; nothing to narrow otherwise)
            continue
        op.execute(f"DROP TRIGGER {name} ON {table}")
        guard = f" WHEN ({condition})" if when else ""
        op.execute(f"CREATE TRIGGER {name} {events} ON {table} FOR EACH ROW{guard} EXECUTE FUNCTION {function}()")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _recreate(when=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _recreate(when=False)
