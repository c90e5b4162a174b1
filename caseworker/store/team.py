"""Team mode on PostgreSQL: the group roles of a database and officers' login roles.

Roles are cluster-wide, so each database has its own groups, named after it when the
migrations first run (``<database>_officer``, ``<database>_supervisor``,
``<database>_administrator`` and the owner ``<database>_owner``): a council's training and
live databases can share one server. The names are kept in the ``setting`` row
``team_roles`` (written by migration 0004b) and read back from there, so renaming the
database later changes nothing.

An officer's login role is a member of exactly one group (supervisor includes officer,
administrator includes supervisor); a deactivated officer is in none. ``sync_login_role``
keeps that in step with the ``officer`` table when the administrator's own role may create
roles; otherwise :func:`login_role_note` says what the database administrator must run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from caseworker.rules.facts import Role

#: The ``setting`` key holding the group role names (JSON).
SETTING_KEY = "team_roles"


@dataclass(frozen=True)
class TeamRoles:
    """The owner and group role names of one database."""

    owner: str
    officer: str
    supervisor: str
    administrator: str

    def group(self, role: Role) -> str:
        """The group role for an officer's role."""
        return {Role.OFFICER: self.officer, Role.SUPERVISOR: self.supervisor, Role.ADMINISTRATOR: self.administrator}[
            role
        ]

    @property
    def groups(self) -> tuple[str, str, str]:
        """The three groups, officer first."""
        return (self.officer, self.supervisor, self.administrator)


def role_names_for(database: str) -> TeamRoles:
    """The role names the migrations give a database's groups (prefix cut so names fit in 63 bytes)."""
    prefix = database[:40]
    return TeamRoles(f"{prefix}_owner", f"{prefix}_officer", f"{prefix}_supervisor", f"{prefix}_administrator")


def team_roles(session: Session) -> TeamRoles | None:
    """This database's group roles, or None (SQLite, or a database whose roles were never made)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    value = session.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": SETTING_KEY}).scalar()
    if not value:
        return None
    return TeamRoles(**json.loads(value))


def quote(name: str) -> str:
    """A role name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _may_manage_roles(session: Session) -> bool:
    """An officer's own session whose role may create roles (an administrator given CREATEROLE).

    A superuser's or the owner's maintenance session never creates officers' login roles:
    the database administrator does that deliberately (README: team set-up).
    """
    return bool(
        session.execute(
            text(
                "SELECT r.rolcreaterole AND NOT r.rolsuper AND NOT caseworker_privileged() "
                "FROM pg_roles r WHERE r.rolname = session_user"
            )
        ).scalar()
    )


def _role_exists(session: Session, name: str) -> bool:
    return bool(session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def sync_login_role(
    session: Session,
    login: str,
    role: Role,
    active: bool,
    *,
    created: bool,
    role_changed: bool = False,
    active_changed: bool = False,
) -> None:
    """Create the officer's login role if needed and put it in the right group (team mode only).

    Does nothing on a database without team roles, or when the current role may not create
    roles (then :func:`login_role_note` says what to run). Runs in the caller's transaction.
    """
    roles = team_roles(session)
    if roles is None or not _may_manage_roles(session):
        return
    if not (created or role_changed or active_changed):
        return
    if not _role_exists(session, login):
        session.execute(text(f"CREATE ROLE {quote(login)} LOGIN"))
    for group in roles.groups:
        session.execute(text(f"REVOKE {quote(group)} FROM {quote(login)}"))
    if active:
        session.execute(text(f"GRANT {quote(roles.group(role))} TO {quote(login)}"))


def login_role_note(session: Session, login: str, role: Role, active: bool = True) -> str | None:
    """What a database administrator must still run for this officer's login role, or None when in step."""
    roles = team_roles(session)
    if roles is None:
        return None
    if not _role_exists(session, login):
        return (
            f"the PostgreSQL role {login} does not exist yet: a database administrator runs "
            f"CREATE ROLE {quote(login)} LOGIN IN ROLE {quote(roles.group(role))};"
        )
    member = session.execute(
        text("SELECT pg_has_role(:u, :g, 'MEMBER')"), {"u": login, "g": roles.group(role)}
    ).scalar()
    if active and not member:
        return (
            f"the PostgreSQL role {login} is not in the group {roles.group(role)}: a database administrator runs "
            f"GRANT {quote(roles.group(role))} TO {quote(login)};"
        )
    return None
