"""PostgreSQL: the team-mode privilege checks ``caseworker_privileged()`` and
``caseworker_member(grp)`` in PL/pgSQL, the same expressions (issue 17: a tracker import of
200,000 rows toward 20,000 rows a second).

Revision 0004c made them SQL functions with their own ``search_path``. PostgreSQL cannot
inline a SQL function that sets a parameter, so each call runs it as a function of its own,
and PostgreSQL 15 parses and plans a SQL function's statement again at every call (its plan
is not kept between calls). The audit actor trigger asks ``caseworker_privileged()`` for every
audit event whose actor is not ``session_user`` (every imported case's "imported" event when
the importer's login is not the database role), and the Stage 2 guards ask
``caseworker_member`` for every Stage 2 row: ``perf`` on the server during a 200,000-row
import put 28% of its time under ``fmgr_sql``, most of it planning the query on ``pg_roles``.
A PL/pgSQL function keeps its statements' plans for the session (a statement without
parameters is always run on its one generic plan), so each call only runs them.

The expressions are taken from the functions as stored (their text after ``SELECT``: the
owner role named there is the one 0004c wrote) and returned by PL/pgSQL unchanged, with the
same ``search_path``; who is privileged and who is a member is decided exactly as before.
Nothing on SQLite (no such functions), nor on a database without them.

Revision ID: 0013h
Revises: 0013g
Create Date: 2026-11-30
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0013h"
down_revision: str | Sequence[str] | None = "0013g"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (the function's signature, its name) for the two checks.
FUNCTIONS = (
    ("caseworker_privileged()", "caseworker_privileged"),
    ("caseworker_member(grp text)", "caseworker_member"),
)

_SQL_BODY = re.compile(r"^\s*SELECT\s+(?P<expr>.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_PLPGSQL_BODY = re.compile(r"^\s*BEGIN\s+RETURN\s+(?P<expr>.*?)\s*;\s*END\s*;?\s*$", re.IGNORECASE | re.DOTALL)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _redefine(to_plpgsql: bool) -> None:
    bind = op.get_bind()
    schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    path = f"SET search_path = pg_catalog, {_q(schema)}"
    for signature, name in FUNCTIONS:
        found = bind.execute(
            text(
                "SELECT p.prosrc, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
                "WHERE p.proname = :n AND p.pronamespace = to_regnamespace(:s)"
            ),
            {"n": name, "s": schema},
        ).one_or_none()
        if found is None:  # (0004c makes them on every PostgreSQL database; nothing to change otherwise)
            continue
        body, language = found
        if language == ("plpgsql" if to_plpgsql else "sql"):
            continue
        match = (_SQL_BODY if to_plpgsql else _PLPGSQL_BODY).match(body)
        if match is None:
            raise RuntimeError(f"{name}: its stored text is not the one expression this revision expects: {body!r}")
        expr = match.group("expr")
        if to_plpgsql:
            source, lang = f"BEGIN RETURN {expr}; END", "plpgsql"
        else:
            source, lang = f"SELECT {expr}", "sql"
        quote = "$cw$"
        if quote in source:
            raise RuntimeError(f"{name}: its text holds {quote}")
        op.execute(
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS boolean LANGUAGE {lang} STABLE {path} "
            f"AS {quote}{source}{quote}"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _redefine(to_plpgsql=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _redefine(to_plpgsql=False)
