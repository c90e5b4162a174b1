"""Deadlines on a case beyond the Code's stage clocks: one mechanism for all of them.

The inbox and the deadline board read one indexed column, ``complaint_case.next_due``, kept by
:func:`caseworker.store.services.base.refresh_deadlines`. That function takes the earliest of
the stage deadline (acknowledge, respond) and every *extra deadline* listed here, and a case
with an extra deadline still to meet stays open in the inbox (``closed`` is False) even after
its last response: an Ombudsman order due next week shows in the officer's inbox like any
other deadline.

Each source is a function ``(session, case_id) -> ExtraDeadline | None`` giving the earliest
deadline of its kind still to meet, read through an index. To add a kind (outstanding actions,
agreed update intervals, ...), write a source and add it to :data:`SOURCES`; any service that
changes what a source reads calls ``refresh_deadlines`` on the case in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, select
from sqlmodel import Session

from caseworker.store.models import Action
from caseworker.store.models_account import OmbudsmanOrder


@dataclass(frozen=True)
class ExtraDeadline:
    """A deadline beyond the stage clocks: when, and its kind as the inbox shows it (at most 20 characters)."""

    due: date
    kind: str


def ombudsman_orders(session: Session, case_id: int) -> ExtraDeadline | None:
    """The earliest Ombudsman order or recommendation on the case not yet completed."""
    due = session.execute(
        select(func.min(OmbudsmanOrder.due)).where(
            OmbudsmanOrder.case_id == case_id, OmbudsmanOrder.completed_on.is_(None)
        )
    ).scalar()
    return ExtraDeadline(due, "ombudsman order") if due is not None else None


def open_actions(session: Session, case_id: int) -> ExtraDeadline | None:
    """The earliest outstanding action on the case not yet done (6.6, 6.17): a case keeps it in its
    officer's inbox (and the action owner's) until it is done."""
    due = session.execute(
        select(func.min(Action.due)).where(Action.case_id == case_id, Action.done == false())
    ).scalar()
    return ExtraDeadline(due, "action") if due is not None else None


#: Every source of extra deadlines, consulted in this order (the first wins a tie).
SOURCES: tuple[Callable[[Session, int], ExtraDeadline | None], ...] = (ombudsman_orders, open_actions)


def earliest(session: Session, case_id: int) -> ExtraDeadline | None:
    """The earliest extra deadline of the case still to meet, or None."""
    found = [d for d in (source(session, case_id) for source in SOURCES) if d is not None]
    return min(found, key=lambda d: d.due) if found else None
