"""Services for what follows a decision: outstanding actions (6.6, 6.17), notes and
correspondence, issued letters (5.12), and due dates after closure days change. Remedies
(section 7) are :mod:`caseworker.store.services.remedies`."""

from __future__ import annotations

from datetime import date

from sqlmodel import func, select

from caseworker.rules import registers
from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    ActionUpdate,
    Case,
    Correspondence,
    Stage,
)
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.services.base import (
    DomainError,
    actor_for,
    audit,
    claim_row,
    refresh_deadlines,
    refuse,
    utcnow,
)
from caseworker.store.services.cases import transaction
from caseworker.store.services.due_dates import (  # noqa: F401  (MovedDate re-exported)
    MovedDate,
    due_inputs,
    due_inputs_changed,
    recompute_open_cases,
    stored_due_inputs,
    why_changed,
)


def _enum(enum_type, value, field: str, what: str):
    """``enum_type(value)``, or a DomainError listing the allowed values (never a bare ValueError)."""
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum_type)
        raise DomainError(f"unknown {what} {value!r}: use one of {allowed}", "7.3", field) from None


def _case(session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise DomainError(f"no case with id {case_id}", "", "case")
    return case


def _action_name(session, row: Action) -> str:
    return f"The action \u201c{row.description[:60]}\u201d on {_case(session, row.case_id).reference}"


# -- outstanding actions -----------------------------------------------------------------


def add_action(store: Store, login: str, case_id: int, description: str, owner: str, due: date | None) -> int:
    """Record an outstanding action to be tracked after the response (6.6, 6.17)."""
    refuse(registers.check_action(description, owner, due, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        case = _case(session, case_id)
        row = Action(
            case_id=case_id,
            stage_number=case.stage,
            description=description,
            owner=owner,
            due=due,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        refresh_deadlines(session, store, case)  # the case stays listed while the action is open
        audit(
            session,
            store,
            login,
            "action added",
            case_id=case_id,
            detail=f"{description} (owner {owner}, due {due})",
            after={"description": description, "owner": owner, "due": due},
        )
        return row.id


def update_action(
    store: Store,
    login: str,
    action_id: int,
    text: str,
    *,
    resident_told: bool = False,
    done: bool = False,
    version: int | None = None,
) -> int:
    """Record progress on an action, whether the resident was told, and whether it is done (6.6).

    Args:
        version: the action's version as the officer saw it (``ActionInfo.version``); None
            checks against the version read now.

    Returns:
        The new update's id.

    Raises:
        ConcurrentChange: another officer changed the action since ``version`` (5.12).
        DomainError: empty text, or the action is already complete.
    """
    if not text.strip():
        raise DomainError("say what has happened", "6.6", "text")
    with transaction(store) as session:
        actor_for(session, login)
        action = claim_row(session, store, Action, action_id, version, login, _action_name)
        if action.done:
            raise DomainError("this action is already complete", "6.6", "done")
        update = ActionUpdate(
            action_id=action_id,
            on=store.today(),
            text=text,
            resident_told=resident_told,
            by=login,
            created_at=utcnow(store),
        )
        session.add(update)
        if done:
            action.done, action.completed_on = True, store.today()
            session.add(action)
        session.flush()
        if done:
            refresh_deadlines(session, store, _case(session, action.case_id))
        audit(
            session,
            store,
            login,
            "action completed" if done else "action updated",
            case_id=action.case_id,
            detail=text,
            after={"resident_told": resident_told, "done": done},
        )
        return update.id


# -- notes, correspondence, letters ------------------------------------------------------

CORRESPONDENCE_KINDS = ("note", "letter", "email", "phone", "visit", "chaser", "escalation-request")


def add_correspondence(
    store: Store,
    login: str,
    case_id: int,
    kind: str,
    body: str,
    *,
    direction: str = "internal",
    subject: str = "",
    letter_kind: str = "",
    dated: date | None = None,
    letter_date: date | None = None,
    letter_format: str = "",
) -> int:
    """Add a note or a piece of correspondence to the case record (5.12).

    ``dated`` is the day it was made or sent when that is not today (a chaser the resident
    sent last week, a call taken yesterday): never in the future, never before the case
    was received. ``kind`` "chaser" is the resident chasing a response; "escalation-request"
    a request to escalate repeated after the first.
    """
    if kind not in CORRESPONDENCE_KINDS:
        raise DomainError(f"unknown kind {kind!r}: use one of {', '.join(CORRESPONDENCE_KINDS)}", "", "kind")
    if direction not in ("in", "out", "internal"):
        raise DomainError("direction must be in, out or internal", "", "direction")
    if not body.strip():
        raise DomainError("the text is empty", "5.12", "body")
    if dated is not None and dated > store.today():
        raise DomainError(
            f"the date {dated:%d %b %Y} is in the future: record correspondence once it has happened", "5.12", "dated"
        )
    with transaction(store) as session:
        actor_for(session, login)
        case = _case(session, case_id)
        if dated is not None and dated < case.received:
            raise DomainError(
                f"the date {dated:%d %b %Y} is before the complaint was received ({case.received:%d %b %Y})",
                "5.12",
                "dated",
            )
        row_id = _correspondence_in(
            session,
            store,
            login,
            case_id,
            kind,
            body,
            direction,
            subject,
            letter_kind,
            dated,
            letter_date,
            letter_format,
        )
        if letter_kind in PROMISING_LETTERS:
            _promise(session, store, login, case, letter_kind)
        return row_id


def _correspondence_in(
    session,
    store: Store,
    login: str,
    case_id: int,
    kind: str,
    body: str,
    direction: str,
    subject: str,
    letter_kind: str,
    dated: date | None,
    letter_date: date | None = None,
    letter_format: str = "",
) -> int:
    row = Correspondence(
        case_id=case_id,
        kind=kind,
        direction=direction,
        subject=subject,
        body=body,
        letter_kind=letter_kind,
        dated=dated,
        at=utcnow(store),
        by=login,
        letter_date=letter_date,
        letter_format=letter_format,
    )
    session.add(row)
    session.flush()
    when = f" dated {dated:%d %b %Y}" if dated else ""
    audit(
        session,
        store,
        login,
        "letter issued" if letter_kind else f"{kind} added",
        case_id=case_id,
        detail=(subject or body[:120]) + when,
        after={"correspondence_id": row.id, "letter_kind": letter_kind, "dated": dated},
    )
    return row.id


#: Letters that tell the resident when the response will come: that date becomes a promise.
PROMISING_LETTERS = ("acknowledgement", "extension")


def _promise(session, store: Store, login: str, case: Case, letter_kind: str) -> None:
    """The current stage's response date, as the letter states it, stays its deadline (a calendar
    change never moves a date promised to the resident)."""
    stage = session.exec(select(Stage).where(Stage.case_id == case.id, Stage.number == case.stage)).first()
    if stage is None or stage.response_due is None or stage.responded is not None:
        return
    counted = session.exec(
        select(func.coalesce(func.sum(ExtensionRow.working_days), 0)).where(
            ExtensionRow.stage_id == stage.id, ExtensionRow.told_late == False
        )  # noqa: E712
    ).one()
    before = stage.promised_due
    stage.promised_due, stage.promised_ext_days, stage.promised_in = stage.response_due, int(counted), letter_kind
    session.add(stage)
    audit(
        session,
        store,
        login,
        "response date promised",
        case_id=case.id,
        detail=f"the {letter_kind} letter told the resident the Stage {stage.number} response will come by "
        f"{stage.response_due:%a %d %b %Y}: that date stays the deadline",
        before={"promised": before},
        after={"promised": stage.response_due},
    )


def issue_letter(
    store: Store,
    login: str,
    case_id: int,
    letter_kind: str,
    subject: str,
    body: str,
    *,
    letter_date: date | None = None,
    letter_format: str = "",
) -> int:
    """Store an issued letter as sent: its rendered text, the date printed on it (default: today)
    and its print choices (``letter_format``, JSON from :func:`caseworker.letters.format_record`),
    so a reprint reproduces it (5.12). Returns the correspondence id. Issued letters are never
    altered. An acknowledgement or extension letter makes the response date it states a promise
    that stays the stage's deadline."""
    return add_correspondence(
        store,
        login,
        case_id,
        "letter",
        body,
        direction="out",
        subject=subject,
        letter_kind=letter_kind,
        letter_date=letter_date or store.today(),
        letter_format=letter_format,
    )


# -- due dates after the calendar changes ------------------------------------------------


def recompute_due_dates(store: Store, login: str) -> list[MovedDate]:
    """Recompute every open case's due dates from the inputs in force (an officer's request); say which moved.

    The work is :func:`services.due_dates.recompute_open_cases` (bulk, each moved date noted
    on its case's timeline with why).
    """
    with store.session() as session:
        actor_for(session, login)
    old = stored_due_inputs(store)
    new = due_inputs(store)
    why = why_changed(old, new) if old != new else "they were recomputed on request"
    return list(recompute_open_cases(store, login, why, new).moved)


def calendar_changed(store: Store) -> bool:
    """True when the inputs of the stored due dates (bank holidays, closure days, region,
    policy files) differ from those in force, or none are recorded yet."""
    return due_inputs_changed(store)
