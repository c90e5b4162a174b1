"""What every service shares: the one domain error, who is acting, the audit, the version guard.

Each service runs in one transaction: it checks the rules, writes the change and its
audit event, and either all of it is stored or none of it.
"""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import ScalarSelect, Update, event, func, inspect, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from caseworker import inert
from caseworker.rules.deadlines import next_due, next_update_due, stage_deadlines
from caseworker.rules.facts import LIVE_STATUSES, Actor, Refusal, Refused, Role, Status
from caseworker.store import extra_deadlines
from caseworker.store.context import Store
from caseworker.store.db import BUSY_TIMEOUT_MS
from caseworker.store.mapping import deadline_facts
from caseworker.store.models import AuditEvent, Case, Officer, ResidentUpdate, UpdateInterval, Versioned

R = TypeVar("R", bound=Versioned)
P = ParamSpec("P")
T = TypeVar("T")


class DomainError(Exception):
    """The one error the services raise: a plain-English message, the Code paragraph, the field."""

    def __init__(self, message: str, code_ref: str = "", field: str = "") -> None:
        self.refusal = Refusal(message, code_ref, field)
        super().__init__(str(self.refusal))

    @property
    def message(self) -> str:
        """The plain-English message without the Code reference."""
        return self.refusal.message

    @property
    def code_ref(self) -> str:
        """The Code paragraph, or "" where the refusal is not a Code rule."""
        return self.refusal.code_ref

    @classmethod
    def from_refused(cls, exc: Refused) -> DomainError:
        """Wrap a rules refusal."""
        r = exc.refusal
        return cls(r.message, r.code_ref, r.field)


def refuse(*refusals: Refusal | None) -> None:
    """Raise :class:`DomainError` for the first refusal given, if any (guards checked before a transaction)."""
    for refusal in refusals:
        if refusal is not None:
            raise DomainError(refusal.message, refusal.code_ref, refusal.field)


class ConcurrentChange(DomainError):
    """Someone else saved the case since it was read; nothing of this change was stored."""


class StoreBusy(DomainError):
    """The database stayed locked by other writers for the whole busy timeout; nothing was saved."""


#: How long a service keeps retrying a save that found the database busy (seconds): the
#: busy timeout, so an officer is told "busy" only when it stayed locked that long.
RETRY_BUDGET_S = BUSY_TIMEOUT_MS / 1000


def retry_when_busy(fn: Callable[P, T]) -> Callable[P, T]:
    """``fn`` (one service: one transaction, all or nothing) run again while the database is busy.

    A save that finds the database locked (SQLite: another writer past the busy timeout, or
    a lock SQLite cannot wait for; PostgreSQL: a deadlock it broke) is retried from the start
    after a jittered, doubling pause (10 ms up to 320 ms), until :data:`RETRY_BUDGET_S` has
    passed since the first try; only then does :class:`StoreBusy` reach the officer.
    Nothing is half-stored in between: each try is its own transaction.
    """

    @functools.wraps(fn)
    def retrying(*args: P.args, **kwargs: P.kwargs) -> T:
        deadline = time.monotonic() + RETRY_BUDGET_S
        pause = 0.01
        while True:
            try:
                return fn(*args, **kwargs)
            except StoreBusy:
                wait = pause * random.uniform(0.5, 1.5)
                if time.monotonic() + wait >= deadline:
                    raise
                time.sleep(wait)
                pause = min(pause * 2, 0.32)

    return retrying


@dataclass(frozen=True)
class CaseRef:
    """A case's id, reference and version after a change."""

    id: int
    reference: str
    version: int


def utcnow(store: Store) -> datetime:
    """Now, in UTC (timezone-aware), from the store's clock."""
    return store.clock.now().astimezone(UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON text for the audit's before/after columns ("" for None)."""
    return "" if value is None else json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)


def audit(
    session: Session,
    store: Store,
    actor: str,
    action: str,
    *,
    case_id: int | None = None,
    detail: str = "",
    before: Any = None,
    after: Any = None,
    resident_id: int | None = None,
) -> None:
    """Append one event to the case history. The only way the audit is ever written.

    The case (or, with ``resident_id``, every case of that resident: an adjustment or a
    restriction shows on each) is noted in ``session.info["changed_cases"]``, so the store can
    say which cases a committed transaction changed (``Store.session``)."""
    changed = session.info.setdefault("changed_cases", set())
    if case_id is not None:
        changed.add(case_id)
    if resident_id is not None:
        changed.update(session.exec(select(Case.id).where(Case.resident_id == resident_id)).all())
    session.add(
        AuditEvent(
            at=utcnow(store),
            actor=actor,
            case_id=case_id,
            action=action,
            detail=detail,
            before=to_json(before),
            after=to_json(after),
        )
    )


def actor_for(session: Session, login: str) -> tuple[Actor, Officer]:
    """The acting officer, refused if unknown or inactive."""
    officer = session.exec(select(Officer).where(Officer.login == login)).first()
    if officer is None:
        raise DomainError(
            f"{login!r} is not an officer on this database: ask an administrator to add you", "", "officer"
        )
    if not officer.active:
        raise DomainError(f"{login} is no longer an active officer", "", "officer")
    return Actor(officer.login, Role(officer.role)), officer


def officer_named(session: Session, login: str) -> Officer:
    """An officer by login, or a DomainError naming the unknown login."""
    officer = session.exec(select(Officer).where(Officer.login == login)).first()
    if officer is None:
        raise DomainError(f"unknown officer {login!r}", "", "officer")
    return officer


def claim_case(session: Session, store: Store, case_id: int, expected_version: int | None, actor: str) -> Case:
    """Take the case for this change, refusing if someone else saved it since it was read.

    The version is bumped first, in the same transaction as the change, so two officers
    saving at once cannot both succeed: the second finds the version moved and is told
    who changed the case and when.
    """
    now = utcnow(store)
    stmt = update(Case).where(Case.id == case_id)
    if expected_version is not None:
        stmt = stmt.where(Case.version == expected_version)
    case = _claimed(session, stmt.values(version=Case.version + 1, updated_at=now, updated_by=actor), Case, case_id)
    if case is None:
        current = session.get(Case, case_id)
        if current is None:
            raise DomainError(f"no case with id {case_id}", "", "case")
        session.refresh(current)
        raise ConcurrentChange(
            f"{current.reference} was changed by {officer_name(session, current.updated_by)} at {local_time(current.updated_at)} "
            "after you opened it; your change was not saved. Reopen the case to see theirs, then try again",
            "5.12",
            "version",
        )
    return case


#: Execution options for an ORM ``UPDATE ... RETURNING`` of a whole row: the row returned
#: replaces what the session held (another officer may have changed it since it was loaded).
_RETURNING = {"populate_existing": True, "synchronize_session": False}


def _claimed(session: Session, stmt: Update, model: type[T], row_id: int | tuple) -> T | None:
    """Run the version claim ``stmt`` (an UPDATE of one row by its key); the row as it now stands,
    or None when the claim matched nothing. One round trip where the database can return the
    updated row (PostgreSQL; SQLite 3.35 and later), else the UPDATE and a fresh read."""
    if session.get_bind().dialect.update_returning:
        return session.execute(stmt.returning(model), _RETURNING).scalar()
    if session.execute(stmt).rowcount == 0:
        return None
    row = session.get(model, row_id)
    session.refresh(row)
    return row


def officer_name(session: Session, login: str | None) -> str:
    """The officer's full name for a message (their login if they have none or are unknown)."""
    if not login:
        return "someone else"
    name = session.exec(select(Officer.name).where(Officer.login == login)).first()
    return name or login


def local_time(at: datetime | None) -> str:
    """A stored UTC timestamp as UK local time, e.g. "14:05 on 14 Nov 2025" (GMT or BST as it
    was then, whatever zone the machine is in: :func:`caseworker.clock.local`)."""
    if at is None:
        return "an earlier time"
    from caseworker.clock import local

    return f"{local(at):%H:%M on %d %b %Y}"


def claim_row(
    session: Session,
    store: Store,
    model: type[R],
    row_id: int | tuple,
    expected_version: int | None,
    actor: str,
    describe: Callable[[Session, R], str],
    *,
    code_ref: str = "5.12",
) -> R:
    """Take one versioned record (remedy, action, adjustment, ...) for a change, as ``claim_case`` does.

    Args:
        session: the service's transaction.
        store: the store (for the clock).
        model: the table, a :class:`~caseworker.store.models.Versioned` model.
        row_id: the record's id (a tuple of its key's values for a table keyed by several
            columns, e.g. a self-assessment answer's (year, provision)).
        expected_version: the version the officer read; None means "the version read now",
            which still lets only one of two simultaneous changes through.
        actor: the acting officer's login, stored as ``updated_by``.
        describe: names the record for the refusal, e.g. "The financial remedy on CMP-000012".
        code_ref: the Code paragraph the record serves, cited in the refusal (5.12, the full
            record of a complaint, by default; "" for none).

    Returns:
        The record, refreshed after its version was bumped (check the rules on this).

    Raises:
        DomainError: there is no such record.
        ConcurrentChange: someone else changed it since ``expected_version`` (Code 5.12): the
            message names who (by name) and when, in UK local time; nothing of this change is stored.
    """
    noun = model.__name__.lower()
    key = row_id if isinstance(row_id, tuple) else (row_id,)
    is_row = [column == value for column, value in zip(inspect(model).primary_key, key, strict=True)]
    if expected_version is None:
        expected_version = session.execute(select(model.version).where(*is_row)).scalar()
        if expected_version is None:
            raise DomainError(f"no {noun} with id {row_id}", "", noun)
    row = _claimed(
        session,
        update(model)
        .where(*is_row, model.version == expected_version)
        .values(version=model.version + 1, updated_at=utcnow(store), updated_by=actor),
        model,
        row_id,
    )
    if row is not None:
        return row
    row = session.get(model, row_id)
    if row is None:
        raise DomainError(f"no {noun} with id {row_id}", "", noun)
    session.refresh(row)
    raise changed_meanwhile(session, describe(session, row), row.updated_by, row.updated_at, code_ref)


def add_first(session: Session, row: SQLModel, key: object, what: str, code_ref: str) -> None:
    """Insert ``row``, the first record of its ``key`` (a versioned record no one has saved yet).

    Raises:
        ConcurrentChange: another officer's first record of that key went in at the same
            moment (the unique key refused this one): named as :func:`changed_meanwhile` names
            them, ``what`` the record, ``code_ref`` its Code paragraph; this transaction is rolled back.
    """
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # nothing of this save; read theirs to say who and when
        theirs = session.get(type(row), key)
        if theirs is None:
            raise
        raise changed_meanwhile(session, what, theirs.updated_by, theirs.updated_at, code_ref) from None


def changed_meanwhile(
    session: Session, what: str, by: str | None, at: datetime | None, code_ref: str = "5.12"
) -> ConcurrentChange:
    """The refusal of a change to ``what`` ("The record of the resident Mrs Jane Smith") that
    the officer with login ``by`` changed at ``at`` (UTC) after this officer opened it.

    The message names the officer by name (screens show names, never logins: their login only
    if they have no name) and the time in UK local time. ``code_ref``: the Code paragraph the
    record serves (5.12, the full record of a complaint, for case records; "" for none).
    """
    return ConcurrentChange(
        f"{what} was changed by {officer_name(session, by)} at {local_time(at)} "
        "after you opened it; your change was not saved. Reopen it to see theirs, then try again",
        code_ref,
        "version",
    )


def refresh_deadlines(session: Session, store: Store, case: Case) -> None:
    """Recompute the stored due dates of a case (denormalised for the inbox and board): the
    earliest of the live stage deadline and the case's extra deadlines
    (:mod:`caseworker.store.extra_deadlines`) and agreed updates (5.9).

    Every stage date comes from :func:`rules.deadlines.stage_deadlines`, the one place due
    dates are computed (the bulk recompute in ``services.due_dates`` uses it too).
    """
    session.flush()
    stages, facts = deadline_facts(session, case, store.policy)
    policy = store.policy(case.policy_key)
    cal = store.calendar
    for number, row in stages.items():
        stage = facts[number]
        due = stage_deadlines(
            stage.policy or policy,
            cal,
            number,
            case.received,
            stage.requested,
            stage.acknowledged,
            stage.extended_days,
            stage.promised,
            stage.promised_ext_days,
        )
        row.ack_due, row.response_due = due.ack_due, due.response_due
        session.add(row)
    status, number = Status(case.status), 2 if 2 in stages else 1
    current = stages[number]
    due, kind = next_due(status.value, current.ack_due, current.response_due)
    due, kind, has_extra = with_extra_deadlines(session, store, case.id, status.value, number, due, kind)
    case.next_due = due
    case.next_due_kind = kind
    # open in the inbox while a Code stage is live or an extra deadline (an Ombudsman order, an open action, ...)
    # is still to meet
    case.closed = status not in LIVE_STATUSES and not has_extra
    case.officer_id = current.officer_id
    case.stage = number
    session.add(case)


def with_extra_deadlines(
    session: Session,
    store: Store,
    case_id: int,
    status: str,
    stage: int,
    due: date | None,
    kind: str,
) -> tuple[date | None, str, bool]:
    """(next due, its kind, whether an extra deadline is still to meet): the stage deadline
    ``due``/``kind`` against the case's extra deadlines (Ombudsman orders, open actions, ...)
    and the next update agreed with the resident (5.9) while the response is awaited.

    One query asks for all of them (each an indexed subquery): this runs on every save."""
    live = status in {s.value for s in LIVE_STATUSES}
    # Ombudsman orders, open actions (6.6, 6.17), ...; the agreed update interval (5.9)
    extra, agreed = extra_deadlines.earliest_and(session, case_id, _agreed_update(case_id, stage) if live else ())
    if extra is not None and (due is None or extra.due < due):
        due, kind = extra.due, extra.kind
    update_due = None
    if live and agreed[0] is not None:
        agreed_on, every_days, last = agreed
        update_due = next_update_due(store.calendar, agreed_on, every_days, last)
    if update_due is not None and (due is None or update_due < due):
        due, kind = update_due, "update"
    return due, kind, extra is not None


def _agreed_update(case_id: int, stage: int) -> tuple[ScalarSelect, ScalarSelect, ScalarSelect]:
    """Subqueries for the latest update interval agreed at ``stage`` (5.9): the day it was agreed,
    its working days between updates, and the last update given since (all None when none was agreed)."""
    latest = (
        select(UpdateInterval.id)
        .where(UpdateInterval.case_id == case_id, UpdateInterval.stage_number == stage)
        .order_by(UpdateInterval.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    agreed_on = select(UpdateInterval.agreed_on).where(UpdateInterval.id == latest).scalar_subquery()
    every_days = select(UpdateInterval.every_days).where(UpdateInterval.id == latest).scalar_subquery()
    last = (
        select(func.max(ResidentUpdate.given_on))
        .where(ResidentUpdate.case_id == case_id, ResidentUpdate.given_on >= agreed_on)
        .scalar_subquery()
    )
    return agreed_on, every_days, last


def friendly_store_error(exc: Exception) -> DomainError:
    """A readable DomainError for a database error (locked, read-only, disk full, damaged,
    unreachable, constraint), never quoting the driver (its message can carry the row's data).
    The transaction was rolled back, so nothing of the change was saved. A busy database is
    ``StoreBusy`` (the services retry it); the others are logged with their traceback."""
    from caseworker.failures import describe, log_exception

    if isinstance(exc, IntegrityError):
        log_exception(exc, "a change refused by the database")
        refused = DomainError(
            "the database refused the change (it would break a link between records or a unique "
            "value); nothing was saved"
        )
        refused.constraint = True  # a service may say better what happened (see withdraw_document)
        return refused
    failure = describe(exc, rolled_back=True)
    if failure.cause == "busy":
        error: DomainError = StoreBusy(
            "the database is busy (locked by another program or user); nothing was saved, try again in a moment"
        )
    elif failure.cause == "unexpected":
        log_exception(exc, "a change refused by the database")
        error = DomainError(
            f"the database could not make the change ({type(exc).__name__}); nothing was saved, "
            "what was already stored is unchanged"
        )
    else:  # in the services' own style: "the database is read-only: ...; nothing was saved; ..."
        log_exception(exc, "a change refused by the database")
        message = failure.message.replace(" Nothing was saved;", " nothing was saved;").replace(
            ". nothing", "; nothing"
        )
        error = DomainError(message[:1].lower() + message[1:])
    error.store_failure = failure.cause  # not a rule's refusal: the app titles it "Not saved"
    return error


@event.listens_for(Session, "before_flush")
def _clean_text(session: Session, _flush_context, _instances) -> None:
    """The services' input boundary: every text column of every row written is cleaned of the
    characters a letter cannot hold (``inert.clean``: the C0 controls XML 1.0 forbids), whatever
    screen, form or import supplied it. Forms clean first and tell the officer which field
    changed; this makes sure nothing written by any service can break a Word letter later."""
    for obj in (*session.new, *session.dirty):
        state = inspect(obj, raiseerr=False)
        if state is None:
            continue
        for attr in state.mapper.column_attrs:
            value = state.dict.get(attr.key)
            if isinstance(value, str):
                cleaned = inert.clean(value)
                if cleaned != value:
                    setattr(obj, attr.key, cleaned)
