"""Team mode: the database itself enforces the roles (SPEC rule 14, 15; Code 5.12, 6.4, 6.13).

PostgreSQL. Group roles named after the database (roles are cluster-wide: a council's
training and live databases on one server each get their own), their names kept in the
``setting`` row ``team_roles``:

- ``<db>_owner`` (NOLOGIN) owns every table, sequence and function; no officer is a member.
  ``caseworker upgrade`` runs as a member of it (or a superuser); the app never needs it.
- ``<db>_officer`` may read everything and insert and update the case record, insert (never
  change) audit events and extensions; ``<db>_supervisor`` is an officer who also allocates
  Stage 2 and decides extension requests; ``<db>_administrator`` is a supervisor who also adds
  officers and changes their roles. No officer may DELETE or TRUNCATE anything.
- Triggers, whatever the client sends: the audit actor is ``session_user``; only an
  administrator changes an officer's role, active flag or login, or adds one; only a
  supervisor sets or changes the Stage 2 officer; only a supervisor who does not hold the case
  writes an extension past the cap (``approved_by`` is ``session_user``) or decides a request
  (``decided_by`` is ``session_user``; never the one who asked); a request is stored as asked
  by ``session_user``.

A superuser's or the owner's session (maintenance, ``caseworker upgrade``, tests) is not an
officer's and is let through: those roles could drop the triggers anyway.

SQLite (laptop mode) has no roles; this revision adds the trigger that refuses ``INSERT OR
REPLACE``/``REPLACE`` over an existing audit row (which would otherwise delete it silently).

Revision ID: 0004c
Revises: 0004b
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0004c"
down_revision: str | Sequence[str] | None = "0004b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "audit_event is append-only: the case history cannot be changed"

SQLITE_UP = f"""
CREATE TRIGGER audit_event_no_replace
BEFORE INSERT ON audit_event
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, '{APPEND_ONLY}');
END
"""

#: Tables officers insert into and update (every caseworker table but these).
_NOT_WRITABLE = {"audit_event", "officer", "extension", "alembic_version"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _postgresql_up() -> None:
    from caseworker.store.team import role_names_for

    bind = op.get_bind()
    database, schema, superuser = bind.execute(
        text("SELECT current_database(), current_schema(), rolsuper FROM pg_roles WHERE rolname = current_user")
    ).one()
    roles = role_names_for(database)
    owner, officer, supervisor, admin = (
        _q(r) for r in (roles.owner, roles.officer, roles.supervisor, roles.administrator)
    )
    s = _q(schema)
    for name in (roles.owner, roles.officer, roles.supervisor, roles.administrator):
        if not bind.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar():
            op.execute(f"CREATE ROLE {_q(name)} NOLOGIN")
    op.execute(f"GRANT {officer} TO {supervisor}")
    op.execute(f"GRANT {supervisor} TO {admin}")
    if (
        not superuser
        and not bind.execute(text("SELECT pg_has_role(current_user, :o, 'MEMBER')"), {"o": roles.owner}).scalar()
    ):
        op.execute(f"GRANT {owner} TO CURRENT_USER")
    op.execute(f"GRANT USAGE, CREATE ON SCHEMA {s} TO {owner}")
    op.execute(f"GRANT USAGE ON SCHEMA {s} TO {officer}")

    from sqlmodel import SQLModel

    tables = sorted(set(SQLModel.metadata.tables) | {"alembic_version"})
    present = set(bind.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalars())
    tables = [t for t in tables if t in present]
    for table in tables:
        op.execute(f"ALTER TABLE {_q(table)} OWNER TO {owner}")
    op.execute(f"ALTER FUNCTION audit_event_append_only() OWNER TO {owner}")
    for table in tables:
        op.execute(f"GRANT SELECT ON {_q(table)} TO {officer}")
        if table not in _NOT_WRITABLE:
            op.execute(f"GRANT INSERT, UPDATE ON {_q(table)} TO {officer}")
    op.execute(f"GRANT INSERT ON audit_event, extension TO {officer}")
    op.execute(f"GRANT INSERT, UPDATE ON officer TO {admin}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {officer}")
    # Tables and sequences later revisions make (as the owner: see migrate._migration_transaction).
    op.execute(
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE ON TABLES TO {officer}"
    )
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {officer}")

    path = f"SET search_path = pg_catalog, {s}"
    own, sup, adm = _lit(roles.owner), _lit(roles.supervisor), _lit(roles.administrator)
    functions = {
        "caseworker_privileged() RETURNS boolean LANGUAGE sql STABLE": f"""
            SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                OR pg_has_role(session_user, {own}, 'MEMBER')""",
        "caseworker_member(grp text) RETURNS boolean LANGUAGE sql STABLE": """
            SELECT caseworker_privileged() OR pg_has_role(session_user, grp, 'MEMBER')""",
        "caseworker_audit_actor() RETURNS trigger LANGUAGE plpgsql": """
            BEGIN
                IF NOT caseworker_privileged() THEN
                    NEW.actor := session_user;
                END IF;
                RETURN NEW;
            END""",
        "caseworker_officer_guard() RETURNS trigger LANGUAGE plpgsql": f"""
            BEGIN
                IF (TG_OP = 'INSERT' OR NEW.role IS DISTINCT FROM OLD.role OR NEW.active IS DISTINCT FROM OLD.active
                    OR NEW.login IS DISTINCT FROM OLD.login) AND NOT caseworker_member({adm}) THEN
                    RAISE EXCEPTION 'only an administrator adds officers or changes their roles (not %)', session_user
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END""",
        "caseworker_stage2_officer_guard() RETURNS trigger LANGUAGE plpgsql": f"""
            BEGIN
                IF NEW.number = 2 AND NEW.officer_id IS NOT NULL
                   AND (TG_OP = 'INSERT' OR NEW.officer_id IS DISTINCT FROM OLD.officer_id)
                   AND NOT caseworker_member({sup}) THEN
                    RAISE EXCEPTION 'only a supervisor allocates or reassigns a Stage 2 case (Code 6.13; not %)', session_user
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END""",
        "caseworker_case_officer_guard() RETURNS trigger LANGUAGE plpgsql": f"""
            BEGIN
                IF NEW.stage = 2 AND NEW.officer_id IS NOT NULL
                   AND (TG_OP = 'INSERT' OR NEW.officer_id IS DISTINCT FROM OLD.officer_id)
                   AND NOT caseworker_member({sup}) THEN
                    RAISE EXCEPTION 'only a supervisor allocates or reassigns a Stage 2 case (Code 6.13; not %)', session_user
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END""",
        "caseworker_extension_guard() RETURNS trigger LANGUAGE plpgsql": f"""
            BEGIN
                IF NEW.beyond_cap AND NOT caseworker_privileged() THEN
                    IF NOT pg_has_role(session_user, {sup}, 'MEMBER') THEN
                        RAISE EXCEPTION 'only a supervisor approves an extension past the cap (Code 6.4; not %)', session_user
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    IF EXISTS (SELECT 1 FROM stage s JOIN officer o ON o.id = s.officer_id
                               WHERE s.id = NEW.stage_id AND o.login = session_user) THEN
                        RAISE EXCEPTION 'nobody approves an extension past the cap on a case they hold (%)', session_user
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    NEW.approved_by := session_user;
                END IF;
                RETURN NEW;
            END""",
        "caseworker_extension_request_guard() RETURNS trigger LANGUAGE plpgsql": f"""
            BEGIN
                IF caseworker_privileged() THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'INSERT' THEN
                    NEW.requested_by := session_user;
                    NEW.state := 'pending';
                    NEW.decided_by := NULL;
                    NEW.decided_at := NULL;
                    RETURN NEW;
                END IF;
                IF (NEW.case_id, NEW.stage_id, NEW.working_days, NEW.reason, NEW.good_reason, NEW.resident_told,
                    NEW.requested_by, NEW.requested_at)
                   IS DISTINCT FROM (OLD.case_id, OLD.stage_id, OLD.working_days, OLD.reason, OLD.good_reason,
                    OLD.resident_told, OLD.requested_by, OLD.requested_at) THEN
                    RAISE EXCEPTION 'an extension request cannot be changed once asked'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF NEW.state IS DISTINCT FROM OLD.state OR NEW.decided_by IS DISTINCT FROM OLD.decided_by THEN
                    IF OLD.state <> 'pending' THEN
                        RAISE EXCEPTION 'this extension request was already decided' USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    IF NOT pg_has_role(session_user, {sup}, 'MEMBER') THEN
                        RAISE EXCEPTION 'only a supervisor approves or declines an extension past the cap (Code 6.4; not %)',
                            session_user USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    IF session_user = OLD.requested_by OR EXISTS (
                        SELECT 1 FROM complaint_case c JOIN officer o ON o.id = c.officer_id
                        WHERE c.id = NEW.case_id AND o.login = session_user) THEN
                        RAISE EXCEPTION 'nobody decides an extension request they made or on a case they hold (%)',
                            session_user USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    NEW.decided_by := session_user;
                END IF;
                RETURN NEW;
            END""",
    }
    for signature, body in functions.items():
        op.execute(f"CREATE FUNCTION {signature} {path} AS $fn${body}\n$fn$")
        op.execute(f"ALTER FUNCTION {signature.split(' RETURNS')[0]} OWNER TO {owner}")
    triggers = (
        ("audit_event_actor", "BEFORE INSERT ON audit_event", "caseworker_audit_actor"),
        ("officer_role_guard", "BEFORE INSERT OR UPDATE ON officer", "caseworker_officer_guard"),
        ("stage2_officer_guard", "BEFORE INSERT OR UPDATE ON stage", "caseworker_stage2_officer_guard"),
        ("case_stage2_officer_guard", "BEFORE INSERT OR UPDATE ON complaint_case", "caseworker_case_officer_guard"),
        ("extension_approval_guard", "BEFORE INSERT ON extension", "caseworker_extension_guard"),
        (
            "extension_request_guard",
            "BEFORE INSERT OR UPDATE ON extension_request",
            "caseworker_extension_request_guard",
        ),
    )
    for name, when, function in triggers:
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")
    value = json.dumps(
        {
            "owner": roles.owner,
            "officer": roles.officer,
            "supervisor": roles.supervisor,
            "administrator": roles.administrator,
        }
    )
    op.execute(
        text(
            "INSERT INTO setting (key, value) VALUES ('team_roles', :v) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        ).bindparams(v=value)
    )
    # Later revisions in this same upgrade make their tables as the owner (and so under the
    # default privileges above); migrate._migration_transaction does the same for later upgrades.
    op.execute(f"SET LOCAL ROLE {owner}")


_PG_TRIGGERS = (
    ("audit_event_actor", "audit_event"),
    ("officer_role_guard", "officer"),
    ("stage2_officer_guard", "stage"),
    ("case_stage2_officer_guard", "complaint_case"),
    ("extension_approval_guard", "extension"),
    ("extension_request_guard", "extension_request"),
)
_PG_FUNCTIONS = (
    "caseworker_audit_actor()",
    "caseworker_officer_guard()",
    "caseworker_stage2_officer_guard()",
    "caseworker_case_officer_guard()",
    "caseworker_extension_guard()",
    "caseworker_extension_request_guard()",
    "caseworker_member(text)",
    "caseworker_privileged()",
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_UP)
    elif dialect == "postgresql":
        _postgresql_up()


def downgrade() -> None:
    """Drop the triggers and functions; the group roles stay (they are cluster-wide and may still hold grants)."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_replace")
    elif dialect == "postgresql":
        for name, table in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in _PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute("DELETE FROM setting WHERE key = 'team_roles'")
