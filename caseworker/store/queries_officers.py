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
    """An officer, supervisor or administrator."""

    id: int
    login: str
    name: str
    role: str
    active: bool
    email: str = ""


def _officer_info(o: Officer) -> OfficerInfo:
    return OfficerInfo(id=o.id, login=o.login, name=o.name, role=o.role, active=o.active, email=o.email)


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
