"""Two officers saving the same case at once, and a database locked by another program.

The version guard (``services.base.claim_case``) bumps the case's version first, in the same
transaction as the change, so of two saves made from the same version exactly one is stored
and the other is told who changed the case and when (``ConcurrentChange``); nothing of the
losing change is written. Runs on SQLite and, when CASEWORKER_TEST_PG_URL is set, on
PostgreSQL; the locked-database test is SQLite only (a file locked by another process).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from helpers import make_store, officer_names, race
from sqlalchemy import event
from sqlmodel import Session, SQLModel, select

from caseworker.rules.lifecycle import CaseType, Definition, Extension, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.db import make_engine
from caseworker.store.migrate import open_store, upgrade
from caseworker.store.models import AuditEvent, Case, Stage
from caseworker.store.services import base as services_base

TODAY = date(2025, 11, 14)
RECEIVED = date(2025, 11, 3)
ALICE_DEF = Definition("mould in the bedroom", "mould treated", "repairs")
BOB_DEF = Definition("broken fence", "fence mended", "grounds maintenance")
CHANGED_BY = re.compile(
    r"was changed by (.+?) at \d\d:\d\d on 14 Nov 2025 after you opened it; your change was not saved"
)


def populate(store: Store) -> int:
    """Officers admin, alice, bob and sue, and one resident; returns the resident's id."""
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    sv.add_officer(store, "admin", "sue", "Sue Senior", Role.SUPERVISOR)
    return sv.add_resident(store, "admin", "Mrs Jane Smith")


def log(store: Store, resident: int) -> sv.CaseRef:
    return sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, RECEIVED, "phone", "Repairs", "Damp", "Mould")
    )


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
            for t in SQLModel.metadata.sorted_tables
        }


def case_history(engine: sa.Engine, case_id: int) -> list[tuple[str, str]]:
    with Session(engine) as session:
        stmt = select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
        return [(e.actor, e.action) for e in session.exec(stmt).all()]


def stored(engine: sa.Engine, case_id: int) -> tuple[Case, Stage]:
    with Session(engine) as session:
        case = session.get(Case, case_id)
        stage = session.exec(select(Stage).where(Stage.case_id == case_id, Stage.number == 1)).one()
        return case, stage


@pytest.fixture
def world(engine, db_url):
    store = make_store(db_url, TODAY, engine)
    return store, populate(store)


# -- (a) deterministic: both read version v, one saves first ------------------------------


def test_second_save_from_the_same_version_is_refused_naming_the_first_officer(world, engine):
    store, resident = world
    ref = log(store, resident)
    v = sv.current_version(store, ref.id)  # both officers open the case at version v
    assert v == ref.version

    first = sv.acknowledge(store, "alice", ref.id, v, date(2025, 11, 5), ALICE_DEF)
    assert first.version == v + 1
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as exc:
        sv.acknowledge(store, "bob", ref.id, v, date(2025, 11, 6), BOB_DEF)
    error = exc.value
    assert isinstance(error, sv.DomainError) and error.code_ref == "5.12" and error.refusal.field == "version"
    match = CHANGED_BY.search(error.message)
    assert match and match.group(1) == "Alice Able", error.message
    assert error.message.startswith(ref.reference)

    assert dump(engine) == before, "nothing of bob's change was written"
    case, stage = stored(engine, ref.id)
    assert (case.version, case.updated_by, case.status) == (v + 1, "alice", "open")
    assert (stage.acknowledged, stage.issues, stage.outcomes) == (
        date(2025, 11, 5),
        ALICE_DEF.issues,
        ALICE_DEF.outcomes,
    )
    assert case_history(engine, ref.id) == [("alice", "logged"), ("alice", "acknowledged")]

    # Bob reopens the case (new version) and his next change is stored on top of alice's.
    again = sv.extend(store, "bob", ref.id, sv.current_version(store, ref.id), Extension(2, "survey", TODAY))
    assert again.version == v + 2
    assert case_history(engine, ref.id)[-1] == ("bob", "extended")


def test_every_case_changing_service_checks_the_version(world, engine):
    store, resident = world
    ref = log(store, resident)
    stale = ref.version
    sv.acknowledge(store, "alice", ref.id, stale, date(2025, 11, 5), ALICE_DEF)
    before = dump(engine)
    attempts = {
        "acknowledge": lambda: sv.acknowledge(store, "bob", ref.id, stale, date(2025, 11, 5), BOB_DEF),
        "extend": lambda: sv.extend(store, "bob", ref.id, stale, Extension(2, "survey", TODAY)),
        "assign": lambda: sv.assign(store, "sue", ref.id, stale, "bob"),
        "bulk_assign": lambda: sv.bulk_assign(store, "sue", [(ref.id, stale)], "bob"),
        "withdraw": lambda: sv.withdraw(store, "bob", ref.id, stale, "resident withdrew"),
        "add_related_issue": lambda: sv.add_related_issue(store, "bob", ref.id, stale, "fence", related=False),
    }
    for name, attempt in attempts.items():
        with pytest.raises(sv.DomainError) as exc:
            attempt()
        assert CHANGED_BY.search(str(exc.value)), (name, str(exc.value))
        assert isinstance(exc.value, sv.ConcurrentChange), name  # bulk_assign too: every problem was a stale case
        assert dump(engine) == before, f"{name} wrote something despite the stale version"


# -- (b) a real race between two threads -------------------------------------------------


def both_acknowledge(store: Store, case_id: int, version: int) -> dict[str, object]:
    """Alice and bob acknowledge the same case from the same version at the same moment."""
    return race(
        {
            login: lambda login=login, definition=definition: sv.acknowledge(
                store, login, case_id, version, date(2025, 11, 5), definition
            )
            for login, definition in (("alice", ALICE_DEF), ("bob", BOB_DEF))
        }
    )


def check_one_winner(engine: sa.Engine, case_id: int, version: int, outcome: dict[str, object]) -> None:
    winners = [login for login, result in outcome.items() if isinstance(result, sv.CaseRef)]
    losers = [login for login, result in outcome.items() if not isinstance(result, sv.CaseRef)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    (winner,), (loser,) = winners, losers
    error = outcome[loser]
    # On SQLite a "database is busy" DomainError here would mean a lost save, not a conflict.
    assert isinstance(error, sv.ConcurrentChange), f"{type(error).__name__}: {error}"
    match = CHANGED_BY.search(error.message)
    assert match and match.group(1) == officer_names(engine)[winner], error.message
    assert outcome[winner].version == version + 1

    case, stage = stored(engine, case_id)
    definition = ALICE_DEF if winner == "alice" else BOB_DEF
    assert (case.version, case.updated_by) == (version + 1, winner)
    assert (stage.issues, stage.outcomes, stage.responsible) == (
        definition.issues,
        definition.outcomes,
        definition.responsible,
    )
    assert case_history(engine, case_id) == [("alice", "logged"), (winner, "acknowledged")]


def test_two_threads_saving_the_same_version_one_wins_one_conflicts(world, engine):
    store, resident = world
    for _ in range(8):
        ref = log(store, resident)
        check_one_winner(engine, ref.id, ref.version, both_acknowledge(store, ref.id, ref.version))


def test_two_threads_overlapping_inside_the_transaction(world, engine):
    """The first writer to claim the case keeps its transaction open until the second writer has
    sent its own claim (on PostgreSQL, until the second is seen waiting for the row lock): the
    second must wait for the first's commit and then see the version moved, not fail. A
    handshake between the two threads; the order of what happened is then checked."""
    store, resident = world
    refs = [log(store, resident) for _ in range(3)]
    steps: list[tuple[str, str]] = []  # ("sent" | "claimed" | "commit", officer), in order
    guard = threading.Lock()
    both_sent = threading.Event()

    def officer() -> str | None:
        name = threading.current_thread().name
        return name if name in ("alice", "bob") else None

    def is_claim(statement: str) -> bool:
        return statement.lstrip().upper().startswith("UPDATE COMPLAINT_CASE SET VERSION")

    def claim_sent(conn, cursor, statement, parameters, context, executemany):
        if officer() and is_claim(statement):
            with guard:
                steps.append(("sent", officer()))
                if sum(step == "sent" for step, _ in steps) == 2:
                    both_sent.set()

    def claimed(conn, cursor, statement, parameters, context, executemany):
        if not (officer() and is_claim(statement)):
            return
        with guard:
            first = not any(step == "claimed" for step, _ in steps)
            steps.append(("claimed", officer()))
        if first:  # hold the transaction open until the other writer is trying
            assert both_sent.wait(60), "the second writer never sent its claim"
            wait_until_a_writer_waits_for_a_lock(engine)

    def committed(conn):
        if officer():
            with guard:
                steps.append(("commit", officer()))

    event.listen(engine, "before_cursor_execute", claim_sent)
    event.listen(engine, "after_cursor_execute", claimed)
    event.listen(engine, "commit", committed)
    try:
        for ref in refs:
            steps.clear()
            both_sent.clear()
            outcome = both_acknowledge(store, ref.id, ref.version)
            check_one_winner(engine, ref.id, ref.version, outcome)
            winner = next(login for login, result in outcome.items() if isinstance(result, sv.CaseRef))
            loser = "bob" if winner == "alice" else "alice"
            # The loser's claim went out before the winner committed and came back after it.
            assert steps.index(("sent", loser)) < steps.index(("commit", winner)) < steps.index(("claimed", loser)), (
                steps
            )
    finally:
        event.remove(engine, "before_cursor_execute", claim_sent)
        event.remove(engine, "after_cursor_execute", claimed)
        event.remove(engine, "commit", committed)


def wait_until_a_writer_waits_for_a_lock(engine: sa.Engine) -> None:
    """PostgreSQL: return once a session of this database is waiting for a lock (the other
    writer, blocked on the case's row). SQLite keeps no such list: a writer waits inside its
    own call, which the order of steps above shows."""
    if engine.dialect.name != "postgresql":
        return
    looked = threading.Event()
    with engine.connect() as connection:
        for _ in range(6000):
            waiting = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).scalar()
            if waiting:
                return
            looked.wait(0.01)
    raise AssertionError("the second writer never waited for the case's row lock")


# -- (c) a database locked by another program (SQLite) -----------------------------------


def test_a_locked_sqlite_database_gives_a_plain_busy_message_and_saves_nothing(tmp_path, monkeypatch):
    """Locked for longer than the services keep retrying: the officer is told, nothing is saved."""
    monkeypatch.setattr(services_base, "RETRY_BUDGET_S", 0.6)  # the busy timeout, shortened for the test
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    setup = open_store(url)
    resident = populate(make_store(url, TODAY, setup))
    ref = log(make_store(url, TODAY, setup), resident)
    setup.dispose()

    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def short_busy_timeout(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=150")

    upgrade(engine)
    store = make_store(url, TODAY, engine)
    before = dump(engine)
    tries = []
    event.listen(engine, "handle_error", lambda context: tries.append(str(context.original_exception)))

    other = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)  # another program
    try:
        other.execute("BEGIN EXCLUSIVE")
        attempts = [
            lambda: sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), ALICE_DEF),
            lambda: log(store, resident),
            lambda: sv.add_resident(store, "alice", "Mr New"),
        ]
        for attempt in attempts:
            with pytest.raises(sv.DomainError) as exc:
                attempt()
            message = str(exc.value)
            assert not isinstance(exc.value, sv.ConcurrentChange)
            assert isinstance(exc.value, sv.StoreBusy)
            assert len(tries) >= 2 and all("locked" in t for t in tries), tries  # retried before telling the officer
            tries.clear()
            assert "busy" in message and "locked" in message and "nothing was saved" in message, message
            for noise in (
                "Traceback",
                "OperationalError",
                "sqlite3",
                "[SQL",
                "Background on this error",
                'File "',
                "\n",
            ):
                assert noise not in message, message
        assert sv.current_version(store, ref.id) == ref.version, "reading still works while another program writes"
    finally:
        if other.in_transaction:
            other.rollback()
        other.close()

    assert dump(engine) == before, "nothing was saved while the database was locked"
    done = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), ALICE_DEF)
    assert done.version == ref.version + 1
    assert case_history(engine, ref.id) == [("alice", "logged"), ("alice", "acknowledged")]
    engine.dispose()


def test_a_save_that_finds_the_database_busy_is_retried_and_stored(tmp_path):
    """Another program holds the write lock past the busy timeout of the first try; it lets go
    when that try has failed, and the retry stores the change: no "busy" reaches the officer."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    setup = open_store(url)
    resident = populate(make_store(url, TODAY, setup))
    ref = log(make_store(url, TODAY, setup), resident)
    setup.dispose()

    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def short_busy_timeout(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    store = make_store(url, TODAY, engine)
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None, check_same_thread=False)
    failures: list[str] = []

    def let_go_after_a_failed_try(context):
        failures.append(str(context.original_exception))
        if other.in_transaction:
            other.rollback()

    event.listen(engine, "handle_error", let_go_after_a_failed_try)
    try:
        other.execute("BEGIN EXCLUSIVE")
        done = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), ALICE_DEF)
    finally:
        if other.in_transaction:
            other.rollback()
        other.close()
        engine.dispose()
    assert failures and "locked" in failures[0], failures  # the first try really found it busy
    assert done.version == ref.version + 1
    assert case_history(make_engine(url), ref.id) == [("alice", "logged"), ("alice", "acknowledged")]
