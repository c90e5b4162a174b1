"""Deadlines on a case beyond the Code's stage clocks: one mechanism for all of them.

The inbox and the deadline board read one indexed column, ``complaint_case.next_due``, kept by
:func:`caseworker.store.services.base.refresh_deadlines`. That function takes the earliest of
the stage deadline (acknowledge, respond) and every *extra deadline* listed here, and a case
with an extra deadline still to meet stays open in the inbox (``closed`` is False) even after
its last response: an Ombudsman order due next week shows in the officer's inbox like any
other deadline.

Each source is a function ``case_id -> scalar subquery`` giving the earliest due date of its
kind still to meet, read through an index; :func:`earliest` asks every source in one query (one
round trip on every save). To add a kind (outstanding actions, agreed update intervals, ...),
write a source and add it to :data:`SOURCES` with its kind; any service that changes what a
source reads calls ``refresh_deadlines`` on the case in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ScalarSelect, false, func, select
from sqlmodel import Session

from caseworker.store.models import Action
from caseworker.store.models_account import OmbudsmanOrder


@dataclass(frozen=True)
class ExtraDeadline:
    """A deadline beyond the stage clocks: when, and its kind as the inbox shows it (at most 20 characters)."""

    due: date
    kind: str


def ombudsman_orders(case_id: int) -> ScalarSelect:
    """The earliest due date of an Ombudsman order or recommendation on the case not yet completed."""
    return (
        select(func.min(OmbudsmanOrder.due))
        .where(OmbudsmanOrder.case_id == case_id, OmbudsmanOrder.completed_on.is_(None))
        .scalar_subquery()
    )


def open_actions(case_id: int) -> ScalarSelect:
    """The earliest due date of an outstanding action on the case not yet done (6.6, 6.17): a case
    keeps it in its officer's inbox (and the action owner's) until it is done."""
    return select(func.min(Action.due)).where(Action.case_id == case_id, Action.done == false()).scalar_subquery()


#: Every source of extra deadlines with the kind the inbox shows, consulted in this order (the
#: first wins a tie).
SOURCES: tuple[tuple[str, Callable[[int], ScalarSelect]], ...] = (
    ("ombudsman order", ombudsman_orders),
    ("action", open_actions),
)


def earliest(session: Session, case_id: int) -> ExtraDeadline | None:
    """The earliest extra deadline of the case still to meet, or None (every source in one query)."""
    return earliest_and(session, case_id)[0]


def earliest_and(
    session: Session, case_id: int, also: Sequence[ScalarSelect] = ()
) -> tuple[ExtraDeadline | None, tuple]:
    """:func:`earliest`, and the values of the scalar subqueries ``also`` asked in the same query
    (the due-date refresh asks for the agreed update interval with them: one round trip)."""
    values = session.execute(select(*(source(case_id) for _kind, source in SOURCES), *also)).one()
    dues, more = values[: len(SOURCES)], tuple(values[len(SOURCES) :])
    found = [ExtraDeadline(due, kind) for (kind, _source), due in zip(SOURCES, dues, strict=True) if due is not None]
    return (min(found, key=lambda d: d.due) if found else None), more
