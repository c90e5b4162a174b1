"""Matching the officer names a tracker gives to officers on the database (an import takes no
one in silently).

A name matches an officer by login or by full name, ignoring case and spacing. Names that
match nobody are listed; the import stores nothing unless it is asked to create them
(``--create-officers``), and then they become plain officers with the names as written and
logins derived from them without collisions (:func:`caseworker.rules.officers.derive_login`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from caseworker.rules.officers import derive_login
from caseworker.store.context import Store
from caseworker.store.models import Officer


def fold_name(text: str) -> str:
    """A name or login as matched: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class OfficerMatch:
    """How a tracker's officer names match: the known ones (name -> login), and the unknown
    ones with the logins they would be created with (name -> login), in first-seen order."""

    known: dict[str, str]
    unknown: dict[str, str]

    def unknown_sentence(self) -> str:
        """One line listing the unknown names (for a refusal)."""
        names = list(self.unknown)
        shown = ", ".join(repr(n) for n in names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        return f"{len(names)} officer name(s) in the tracker are not officers on this database: {shown}"


def match_officers(store: Store, names: Iterable[str]) -> OfficerMatch:
    """Match tracker officer names (blank ones ignored) to officers by login or full name.

    Returns:
        An :class:`OfficerMatch`; the logins planned for unknown names collide neither with
        existing logins nor with each other.
    """
    with store.session() as s:
        rows = s.execute(select(Officer.login, Officer.name)).all()
    by_key: dict[str, str] = {}
    for login, _name in rows:
        by_key[fold_name(login)] = login
    for login, name in rows:
        by_key.setdefault(fold_name(name or ""), login)
    taken = {login for login, _ in rows}
    known: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for raw in names:
        name = " ".join((raw or "").split())
        if not name or name in known or name in unknown:
            continue
        found = by_key.get(fold_name(name))
        if found is not None:
            known[name] = found
            continue
        login = derive_login(name, taken)
        taken.add(login)
        by_key[fold_name(name)] = login
        unknown[name] = login
    return OfficerMatch(known, unknown)
