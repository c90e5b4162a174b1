"""Read models for the deadline board: open cases with a deadline grouped overdue / today /
next 2 working days / this week / later, counts per officer, and the non-working days shown
beside it.

Counts come from one pass over a covering index; each group's rows are built exactly as
the inbox's (:mod:`caseworker.store.queries.inbox`).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from caseworker.store.context import Store
from caseworker.store.models import Case, Officer
from caseworker.store.queries.inbox import _not_closed, _row_select, _rows
from caseworker.store.queries.inbox import mine as mine_condition
from caseworker.store.queries.inbox_sql import InboxRow

#: Deadline board groups, in order.
BOARD_GROUPS = ("overdue", "today", "next 2 working days", "this week", "later")


@dataclass(frozen=True)
class BoardGroup:
    """One group of the board: its rows (capped) and how many cases it holds in all."""

    name: str
    first: date | None  # earliest due date in the group (None: open-ended)
    last: date | None  # latest due date in the group (None: open-ended)
    rows: tuple[InboxRow, ...]
    total: int


@dataclass(frozen=True)
class OfficerCounts:
    """One officer's cases per board group (login "" = unassigned)."""

    login: str
    name: str
    counts: tuple[int, ...]  # in BOARD_GROUPS order

    @property
    def total(self) -> int:
        """All the officer's open cases with a deadline."""
        return sum(self.counts)


@dataclass(frozen=True)
class DeadlineBoard:
    """The countdown board: groups in BOARD_GROUPS order, and counts per officer."""

    today: date
    groups: tuple[BoardGroup, ...]
    by_officer: tuple[OfficerCounts, ...]


def _board_bounds(store: Store) -> list[tuple[date | None, date | None]]:
    """Inclusive due-date bounds of each board group.

    "This week" runs to the Friday of the current week (on a weekend, the coming Friday)
    after the next-2-working-days group; when that Friday falls inside the 2-day group it
    is empty.
    """
    today = store.today()
    two = store.calendar.add(today, 2)
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    week_end = max(friday, two)
    one = timedelta(days=1)
    return [
        (None, today - one),
        (today, today),
        (today + one, two),
        (two + one, week_end),
        (week_end + one, None),
    ]


def _between(first: date | None, last: date | None) -> list:
    conds = []
    if first is not None:
        conds.append(Case.next_due >= first)
    if last is not None:
        conds.append(Case.next_due <= last)
    return conds


def deadline_board(store: Store, officer_login: str | None = None, limit: int = 500) -> DeadlineBoard:
    """Open cases with a deadline grouped overdue / today / next 2 WD / this week / later."""
    bounds = _board_bounds(store)
    with store.session() as s:
        mine = []
        if officer_login is not None:
            mine.append(mine_condition(s, officer_login))
        base = [_not_closed(), Case.next_due.is_not(None), *mine]
        # Counts come from one pass over the covering (officer_id, closed, next_due) index,
        # grouped in index order and bucketed here: no table row is read.
        q = (
            select(Case.officer_id, Case.closed, Case.next_due, func.count())
            .where(*mine)
            .group_by(Case.officer_id, Case.closed, Case.next_due)
        )
        counts: dict[int | None, list[int]] = {}
        for oid, closed, due, n in s.exec(q).all():
            if closed or due is None:
                continue
            group = next(i for i, (a, b) in enumerate(bounds) if (a is None or due >= a) and (b is None or due <= b))
            counts.setdefault(oid, [0] * len(BOARD_GROUPS))[group] += n
        ids = [i for i in counts if i is not None]
        names = {}
        if ids:
            names = {
                i: (login, name)
                for i, login, name in s.exec(
                    select(Officer.id, Officer.login, Officer.name).where(Officer.id.in_(ids))
                ).all()
            }
        per_officer = sorted(
            (OfficerCounts(*names.get(oid, ("", "(unassigned)")), counts=tuple(c)) for oid, c in counts.items()),
            key=lambda o: (o.login == "", o.login),
        )
        totals = [sum(o.counts[i] for o in per_officer) for i in range(len(BOARD_GROUPS))]
        groups = []
        for name, (a, b), total in zip(BOARD_GROUPS, bounds, totals, strict=False):
            raw = []
            if total:
                q = _row_select(store.today(), base + _between(a, b)).order_by(Case.next_due, Case.id).limit(limit)
                raw = s.exec(q).all()
            groups.append(BoardGroup(name=name, first=a, last=b, rows=tuple(_rows(store, raw)), total=total))
    return DeadlineBoard(today=store.today(), groups=tuple(groups), by_officer=tuple(per_officer))


def non_working_days(store: Store, months: int = 3, weekends: bool = False) -> list[tuple[date, str]]:
    """Non-working days from today for ``months`` months, with reasons (bank holidays, closures;
    weekends too when asked)."""
    today = store.today()
    y, m = divmod(today.year * 12 + today.month - 1 + months, 12)
    end = date(y, m + 1, min(today.day, monthrange(y, m + 1)[1]))
    return [(d.day, d.reason) for d in store.calendar.non_working_days(today, end) if weekends or not d.weekend]
