"""PostgreSQL: ``caseworker_privileged()`` answers a member of the owner role without running
its query on ``pg_roles`` (issue 17: a tracker import of 200,000 rows toward 20,000 rows a second).

After 0013h the function is ``RETURN <superuser> OR <member of the owner role>``: an expression
holding a sub-select, so every call starts and ends an executor for it. The audit actor trigger
calls it for every audit event whose actor is not ``session_user`` (every imported case's event
when the importer's login is not the database role), and the privileged sessions that write
such events are the owner's (a superuser is a member of every role too). The membership test
alone is a plain function call, which PL/pgSQL evaluates without an executor; so it is asked
first, and the whole stored expression after it, unchanged, for a session that is not a member:

    BEGIN IF <member of the owner role> THEN RETURN true; END IF; RETURN <the expression>; END

The answer is the same for every session: a member gets true, which the expression also gives
(``x OR true``; the owner role always exists, since it owns this function), and anyone else
gets the expression itself. Server CPU of a 200,000-row tracker import 14.1, 13.7 s -> 11.6,
11.2 s (``audit_event`` COPY 3.0, 2.7 s -> 1.4, 1.1 s). Nothing on SQLite.

Revision ID: 0013h2
Revises: 0013h
Create Date: 2026-11-30
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0013h2"
down_revision: str | Sequence[str] | None = "0013h"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: 0013h's body: one RETURN of the stored expression.
_RETURN = re.compile(r"^\s*BEGIN\s+RETURN\s+(?P<expr>.*?)\s*;\s*END\s*;?\s*$", re.IGNORECASE | re.DOTALL)
#: The membership of the owner role in that expression (the role as 0004c wrote it).
_MEMBER = re.compile(r"pg_has_role\(session_user, '(?:[^']|'')*', 'MEMBER'\)")
#: This revision's body.
_FIRST = re.compile(r"^BEGIN IF (?P<member>.*?) THEN RETURN true; END IF; RETURN (?P<expr>.*); END$", re.DOTALL)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _redefine(membership_first: bool) -> None:
    bind = op.get_bind()
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    found = bind.execute(
        text(
            "SELECT p.prosrc, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
            "WHERE p.proname = 'caseworker_privileged' AND p.pronamespace = to_regnamespace(:s)"
        ),
        {"s": schema},
    ).one_or_none()
    if found is None or found[1] != "plpgsql":  # (made by 0004c, PL/pgSQL since 0013h)
        return
    body = found[0]
    if membership_first:
        if _FIRST.match(body):
            return
        returned = _RETURN.match(body)
        members = _MEMBER.findall(returned.group("expr")) if returned else []
        if len(members) != 1:
            raise RuntimeError(f"caseworker_privileged: its stored text is not the one this revision expects: {body!r}")
        source = f"BEGIN IF {members[0]} THEN RETURN true; END IF; RETURN {returned.group('expr')}; END"
    else:
        first = _FIRST.match(body)
        if first is None:
            return
        source = f"BEGIN RETURN {first.group('expr')}; END"
    quote = "$cw$"
    if quote in source:
        raise RuntimeError(f"caseworker_privileged: its text holds {quote}")
    op.execute(
        "CREATE OR REPLACE FUNCTION caseworker_privileged() RETURNS boolean LANGUAGE plpgsql STABLE "
        f"SET search_path = pg_catalog, {_q(schema)} AS {quote}{source}{quote}"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _redefine(membership_first=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _redefine(membership_first=False)
