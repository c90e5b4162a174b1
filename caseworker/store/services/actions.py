"""Outstanding actions where officers look (6.6, 6.17): moving an action's due date with a
reason and the update given to the resident, and listing again every case that still holds
an open action (for the bulk writers: the demo builder; the 0008 migration does the same).

A case with an open action is never "closed" for the lists: it stays in its officer's
inbox (and its action owner's) with the earliest open action as its next deadline when
that comes first (``store.extra_deadlines``, read by ``refresh_deadlines``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, case, false, func, or_, select

from caseworker.rules.calendar import short_date
from caseworker.store.context import Store
from caseworker.store.models import Action, ActionUpdate, Case, ResidentUpdate
from caseworker.store.services.base import DomainError, actor_for, audit, claim_row, refresh_deadlines, utcnow
from caseworker.store.services.cases import transaction
from caseworker.store.services.outcomes import _action_name


def move_action_due(
    store: Store,
    login: str,
    action_id: int,
    new_due: date | None,
    reason: str,
    resident_update: str,
    *,
    how: str = "",
    told_on: date | None = None,
    version: int | None = None,
) -> int:
    """Move an open action's due date, with why and what the resident was told (6.6, 6.17, 5.9).

    Args:
        store: the store.
        login: the officer making the change.
        action_id: the action.
        new_due: the new due date (today or later).
        reason: why the date moves.
        resident_update: what the resident was told about the new date (and how).
        how: how they were told (phone, email, letter, ...).
        told_on: when they were told (default today; never in the future).
        version: the action's version as the officer saw it; None checks against the version read now.

    Returns:
        The id of the action update recorded.

    Raises:
        DomainError: a missing or wrong field (named), an unknown or completed action.
        ConcurrentChange: another officer changed the action since ``version`` (5.12).
    """
    told_on = told_on or store.today()
    problems = []
    if new_due is None:
        problems.append(("new_due", "give the new due date"))
    elif new_due < store.today():
        problems.append(("new_due", f"the new due date ({short_date(new_due)}) is in the past"))
    if not reason.strip():
        problems.append(("reason", "say why the due date moves"))
    if not resident_update.strip():
        problems.append(("resident_update", "say what the resident was told about the new date"))
    if told_on > store.today():
        problems.append(("told_on", f"the date the resident was told ({short_date(told_on)}) is in the future"))
    if problems:
        raise DomainError("; ".join(m for _, m in problems), "6.6", problems[0][0])
    with transaction(store) as session:
        actor_for(session, login)
        action = claim_row(session, store, Action, action_id, version, login, _action_name)
        if action.done:
            raise DomainError("this action is already complete: its due date no longer moves", "6.6", "new_due")
        before = action.due
        if new_due == before:
            raise DomainError(f"the action is already due on {short_date(before)}", "6.6", "new_due")
        action.due = new_due
        session.add(action)
        text = f"Due date moved from {short_date(before)} to {short_date(new_due)}: {reason.strip()}"
        update = ActionUpdate(
            action_id=action_id, on=store.today(), text=text, resident_told=True, by=login, created_at=utcnow(store)
        )
        session.add(update)
        session.add(
            ResidentUpdate(
                case_id=action.case_id,
                given_on=told_on,
                how=how,
                summary=f"Action “{action.description}”: {resident_update.strip()}",
                by=login,
                created_at=utcnow(store),
            )
        )
        session.flush()
        case_row = session.get(Case, action.case_id)
        refresh_deadlines(session, store, case_row)
        audit(
            session,
            store,
            login,
            "action due date moved",
            case_id=action.case_id,
            detail=f"{action.description}: {text}; resident told {short_date(told_on)}: {resident_update.strip()}",
            before={"due": before},
            after={
                "due": new_due,
                "reason": reason,
                "resident_update": resident_update,
                "told_on": told_on,
                "how": how,
            },
        )
        return update.id


def relist_cases_with_open_actions(conn: Connection) -> int:
    """Bulk: every case holding an open action is listed (``closed`` false), due at its earliest
    open action when that comes before its Code deadline. Returns how many cases were touched.

    For the bulk writers (demo builder), which write cases and actions as plain rows.
    """
    c, a = Case.__table__, Action.__table__
    # One pass over the open actions, grouped by case, joined to the cases (UPDATE ... FROM):
    # a correlated subquery per case ran for minutes on a freshly loaded million-case
    # PostgreSQL demo, whose tables have no statistics yet.
    open_by_case = (
        select(a.c.case_id, func.min(a.c.due).label("earliest")).where(a.c.done == false()).group_by(a.c.case_id)
    ).subquery()
    earliest = open_by_case.c.earliest
    sooner = or_(c.c.next_due.is_(None), earliest < c.c.next_due)
    result = conn.execute(
        c.update()
        .where(c.c.id == open_by_case.c.case_id)
        .values(
            closed=False,
            next_due=case((sooner, earliest), else_=c.c.next_due),
            next_due_kind=case((sooner, "action"), else_=c.c.next_due_kind),
        )
    )
    return result.rowcount
