"""Officers and roles (SPEC rule 14, 15): who is acting, and administrators adding, naming,
changing and deactivating officers.

Who is acting is never taken from the environment: on SQLite it is the operating-system
account (:func:`caseworker.identity.os_account`), in team mode (PostgreSQL) the server's
``session_user``. See :func:`acting_login`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, func, select

from caseworker.rules import officers as rules
from caseworker.rules.facts import Refusal, Role
from caseworker.store.context import Store
from caseworker.store.models import Case, Officer
from caseworker.store.services.base import DomainError, actor_for, audit, claim_row, refuse, utcnow
from caseworker.store.services.cases import transaction


@dataclass(frozen=True)
class CurrentOfficer:
    """Who is working: login, full name, role and job title."""

    id: int
    login: str
    name: str
    role: Role
    title: str = ""

    @property
    def supervises(self) -> bool:
        """Supervisors and administrators see the team and allocate Stage 2."""
        return self.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)

    @property
    def display_name(self) -> str:
        """The full name as screens show it."""
        return self.name or self.login


def system_login() -> str:
    """The operating-system account running this process (never an environment variable).

    Raises:
        DomainError: the system cannot name the account (field ``officer``).
    """
    from caseworker.identity import UnknownAccount, os_account

    try:
        return os_account()
    except UnknownAccount as exc:
        raise DomainError(f"{exc}: caseworker cannot tell who you are", "", "officer") from None


def _session_identity(session: Session) -> tuple[str, bool]:
    """PostgreSQL's ``session_user`` and whether that role is privileged (superuser or owner of the tables)."""
    row = session.execute(
        text(
            "SELECT session_user::text, r.rolsuper OR pg_has_role(session_user, t.tableowner, 'MEMBER') "
            "FROM pg_roles r, pg_tables t WHERE r.rolname = session_user AND t.tablename = 'officer' "
            "AND t.schemaname = current_schema()"
        )
    ).one()
    return row[0], bool(row[1])


def acting_login(store: Store, login: str | None = None) -> str:
    """Who is acting on this store.

    SQLite (laptop mode): ``login`` when the calling code names one (tests, and the demo
    database's ``--as``), otherwise the operating-system account. PostgreSQL (team mode): the
    server's ``session_user``, whatever the client says; only a privileged connection (the
    tables' owner or a superuser, used for maintenance and tests) may name another login.

    Raises:
        DomainError: a team-mode connection names someone other than its own role.
    """
    if store.engine.dialect.name != "postgresql":
        return login or system_login()
    with store.session() as session:
        user, privileged = _session_identity(session)
    if privileged:
        return login or user
    if login and login != user:
        raise DomainError(f"you are connected to the database as {user}, not {login}", "", "officer")
    return user


def current_officer(store: Store, login: str | None = None, name: str | None = None) -> CurrentOfficer:
    """The officer who is acting (see :func:`acting_login`); on a database with no officers yet
    the first one to open it becomes its administrator.

    Raises:
        DomainError: the login is not an officer, or no longer active (one line naming the
            login and how an administrator adds them; field ``officer``).
    """
    login = acting_login(store, login)
    with transaction(store) as session:
        officer = session.exec(select(Officer).where(Officer.login == login)).first()
        if officer is None:
            if session.exec(select(func.count()).select_from(Officer)).one():
                raise DomainError(
                    f"{login!r} is not an officer on this database: an administrator adds you with "
                    f'`caseworker officer add {login} --name "YOUR NAME"`',
                    "",
                    "officer",
                )
            officer = Officer(login=login, name=name or login, role=Role.ADMINISTRATOR.value, created_at=utcnow(store))
            session.add(officer)
            session.flush()
            audit(session, store, login, "officer added", detail=f"{login} became the first administrator")
        if not officer.active:
            raise DomainError(
                f"{login} is no longer an active officer on this database: an administrator reactivates you with "
                f"`caseworker officer activate {login}`",
                "",
                "officer",
            )
        return CurrentOfficer(officer.id, officer.login, officer.name, Role(officer.role), officer.title)


def _role(value: Role | str | None) -> Role:
    parsed = rules.parse_role(value)
    if isinstance(parsed, Refusal):
        refuse(parsed)
    return parsed


def _admin(session: Session, login: str) -> None:
    actor, _ = actor_for(session, login)
    refuse(rules.check_manages_officers(actor.role))


def add_officer(
    store: Store,
    login: str,
    new_login: str,
    name: str,
    role: Role | str = Role.OFFICER,
    email: str = "",
    *,
    title: str = "",
    phone: str = "",
) -> int:
    """An administrator adds an officer: login, full name, role, job title and contact line.

    Returns the new officer's id. In team mode the PostgreSQL login role is created in the
    role's group too, when the administrator's own role may create roles.

    Raises:
        DomainError: the caller is not an administrator (field ``role``), the login is
            unusable or already an officer (``login``), no full name (``name``), unknown role.
    """
    new_login = (new_login or "").strip()
    refuse(rules.check_login(new_login), rules.check_full_name(name or ""), rules.check_contact(email, phone))
    role = _role(role)
    with transaction(store) as session:
        _admin(session, login)
        if session.exec(select(Officer).where(Officer.login == new_login)).first():
            raise DomainError(f"there is already an officer with the login {new_login!r}", "", "login")
        officer = Officer(
            login=new_login,
            name=name.strip(),
            title=title.strip(),
            role=role.value,
            email=email.strip(),
            phone=phone.strip(),
            created_at=utcnow(store),
        )
        session.add(officer)
        session.flush()
        _after_officer_change(session, new_login, role, True, created=True)
        audit(
            session,
            store,
            login,
            "officer added",
            detail=f"{officer.name} ({new_login}), {role.value}",
            after=_snapshot(officer),
        )
        return officer.id


def set_officer(
    store: Store,
    login: str,
    target: str,
    *,
    name: str | None = None,
    title: str | None = None,
    role: Role | str | None = None,
    email: str | None = None,
    phone: str | None = None,
    active: bool | None = None,
    version: int | None = None,
) -> None:
    """An administrator changes an officer's name, title, role, contact line or active flag.

    The last active administrator can never be demoted or deactivated, and an officer holding
    open cases is deactivated only once they are reassigned. ``version`` is the officer
    record's version as read (None: as read now); a change made since raises ConcurrentChange
    naming who made it and when.

    Raises:
        DomainError: naming the field (``officer`` unknown, ``role``, ``name``, ``active``,
            ``email`` or ``phone`` not an email address or phone number).
    """
    new_role = _role(role) if role is not None else None
    if name is not None:
        refuse(rules.check_full_name(name))
    refuse(rules.check_contact(email, phone))
    with transaction(store) as session:
        _admin(session, login)
        found = session.exec(select(Officer.id).where(Officer.login == target)).first()
        if found is None:
            raise DomainError(f"unknown officer {target!r}: `caseworker officer list` shows the logins", "", "officer")
        officer = claim_row(
            session,
            store,
            Officer,
            found,
            version,
            login,
            lambda _s, o: f"The officer record of {o.name or o.login}",
            code_ref="",
        )
        before = _snapshot(officer)
        refuse(
            rules.check_officer_change(
                current_role=Role(officer.role),
                currently_active=officer.active,
                new_role=new_role or Role(officer.role),
                new_active=officer.active if active is None else active,
                active_administrators=session.exec(
                    select(func.count())
                    .select_from(Officer)
                    .where(Officer.role == Role.ADMINISTRATOR.value, Officer.active == True)
                ).one(),  # noqa: E712
                open_cases=open_case_count(session, officer.id),
            )
        )
        for field, value in (("name", name), ("title", title), ("email", email), ("phone", phone)):
            if value is not None:
                setattr(officer, field, value.strip())
        if new_role is not None:
            officer.role = new_role.value
        if active is not None:
            officer.active = active
        session.add(officer)
        after = _snapshot(officer)
        if after == before:
            return
        _after_officer_change(
            session,
            officer.login,
            Role(officer.role),
            officer.active,
            created=False,
            role_changed=before["role"] != after["role"],
            active_changed=before["active"] != after["active"],
        )
        changed = ", ".join(f"{k} {before[k]!r} to {after[k]!r}" for k in after if after[k] != before[k])
        action = (
            "officer deactivated"
            if active is False and before["active"]
            else "officer activated"
            if active and not before["active"]
            else "officer changed"
        )
        audit(
            session,
            store,
            login,
            action,
            detail=f"{officer.name} ({officer.login}): {changed}",
            before=before,
            after=after,
        )


def deactivate_officer(store: Store, login: str, target: str) -> None:
    """An administrator deactivates an officer (their history stays; they can no longer act).

    Raises:
        DomainError: last active administrator, open cases still held, unknown login.
    """
    set_officer(store, login, target, active=False)


def activate_officer(store: Store, login: str, target: str) -> None:
    """An administrator makes a deactivated officer active again."""
    set_officer(store, login, target, active=True)


def reassign_open_cases(store: Store, login: str, from_login: str, to_login: str, reason: str) -> list:
    """An administrator hands all of an officer's open cases to another, with a reason (so the
    first can be deactivated). All or none: each case goes through the same rules as a single
    reassignment (at Stage 2 never anyone who considered Stage 1, 6.13), refusals listed.

    Returns the changed cases (:class:`~caseworker.store.services.base.CaseRef`).

    Raises:
        DomainError: not an administrator, unknown officer, or any case refused.
    """
    from caseworker.store.services.cases import bulk_assign

    with transaction(store) as session:
        _admin(session, login)
        officer = session.exec(select(Officer).where(Officer.login == from_login)).first()
        if officer is None:
            raise DomainError(f"unknown officer {from_login!r}", "", "officer")
        cases = [
            (cid, None)
            for cid in session.exec(
                select(Case.id).where(Case.officer_id == officer.id, Case.closed == False).order_by(Case.id)
            ).all()
        ]  # noqa: E712
    if not cases:
        return []
    return bulk_assign(store, login, cases, to_login, reason)


def open_case_count(session: Session, officer_id: int) -> int:
    """How many live cases an officer holds now."""
    return session.exec(
        select(func.count()).select_from(Case).where(Case.officer_id == officer_id, Case.closed == False)
    ).one()  # noqa: E712


def _snapshot(officer: Officer) -> dict:
    return {
        "login": officer.login,
        "name": officer.name,
        "title": officer.title,
        "role": officer.role,
        "email": officer.email,
        "phone": officer.phone,
        "active": officer.active,
    }


def _after_officer_change(
    session: Session,
    login: str,
    role: Role,
    active: bool,
    *,
    created: bool,
    role_changed: bool = False,
    active_changed: bool = False,
) -> None:
    """Team mode: keep the PostgreSQL login role in step (see :mod:`caseworker.store.team`)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from caseworker.store import team

    team.sync_login_role(
        session, login, role, active, created=created, role_changed=role_changed, active_changed=active_changed
    )
