"""Read models for officers: who an officer is by login, and the list of officers for pickers
and the allocation screen.

Split out of :mod:`caseworker.store.queries` (which re-exports it) so the inbox, board and
allocation can look officers up without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from caseworker.store.context import Store
from caseworker.store.models import Officer


@dataclass(frozen=True)
class OfficerInfo:
    """An officer, supervisor or administrator: login, full name, job title, role and contact line."""

    id: int
    login: str
    name: str
    role: str
    active: bool
    email: str = ""
    title: str = ""
    phone: str = ""

    @property
    def display_name(self) -> str:
        """The full name, as screens, boards and reports show an officer (the login only if no name)."""
        return self.name or self.login

    @property
    def signature(self) -> str:
        """Full name and job title, as a letter is signed ("Jo Smith, Complaints Officer")."""
        return f"{self.display_name}, {self.title}" if self.title else self.display_name


def _officer_info(o: Officer) -> OfficerInfo:
    return OfficerInfo(
        id=o.id, login=o.login, name=o.name, role=o.role, active=o.active, email=o.email, title=o.title, phone=o.phone
    )


def officer_by_login(store: Store, login: str) -> OfficerInfo | None:
    """The officer with ``login``, or None."""
    with store.session() as s:
        o = s.exec(select(Officer).where(Officer.login == login)).scalar_one_or_none()
        return None if o is None else _officer_info(o)


def officers(store: Store, active_only: bool = True) -> list[OfficerInfo]:
    """Officers by name (active ones only unless ``active_only`` is False)."""
    with store.session() as s:
        q = select(Officer).order_by(Officer.name, Officer.login)
        if active_only:
            q = q.where(Officer.active == True)
        return [_officer_info(o) for o in s.exec(q).scalars()]


def _officer_id(s: Session, login: str) -> int | None:
    return s.exec(select(Officer.id).where(Officer.login == login)).scalar_one_or_none()


@dataclass(frozen=True)
class OfficerRow:
    """One line of the officers list: the officer and how many open cases they hold."""

    officer: OfficerInfo
    open_cases: int


def officer_list(store: Store) -> list[OfficerRow]:
    """Every officer, active first then by full name, with their open-case counts (the Officers screen, ``officer list``)."""
    from sqlalchemy import func

    from caseworker.store.models import Case

    with store.session() as s:
        counts = dict(
            s.exec(
                select(Case.officer_id, func.count())
                .where(Case.closed == False)  # noqa: E712
                .group_by(Case.officer_id)
            ).all()
        )
        rows = s.exec(select(Officer).order_by(Officer.active.desc(), Officer.name, Officer.login)).scalars()
        return [OfficerRow(_officer_info(o), counts.get(o.id, 0)) for o in rows]
