"""A save talks to the database as few times as it can, and still guards every change.

In team mode each round trip to the server costs a save more than any statement's own work:
the client waits for the server, then for its turn on a busy machine (issue 17, Deliver 6).
So: the version claim brings the changed row back in the same statement (``UPDATE ...
RETURNING``); refreshing a case's due dates reads only what deadlines depend on (not the
record again); the extra deadlines come in one query; and a pooled PostgreSQL connection is
pinged only after lying idle, a dropped one being replaced before the save starts.
Runs on SQLite and, when CASEWORKER_TEST_PG_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import BACKENDS
from helpers import make_store
from sqlalchemy import event
from sqlmodel import Session

from caseworker.rules.facts import RemedyKind, RemedyState
from caseworker.rules.lifecycle import CaseType, Definition, NewCase, Role
from caseworker.store import db as store_db
from caseworker.store import services as sv
from caseworker.store.models import Case, Remedy
from caseworker.store.services import base

TODAY = date(2025, 11, 14)
RECEIVED = date(2025, 11, 3)
CHANGED_BY = re.compile(r"was changed by (.+?) at \d\d:\d\d on 14 Nov 2025 after you opened it")


@pytest.fixture
def world(engine, db_url):
    store = make_store(db_url, TODAY, engine)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    resident = sv.add_resident(store, "admin", "Mrs Jane Smith")
    ref = sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, RECEIVED, "phone", "Repairs", "Damp", "Mould")
    )
    sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), Definition("mould", "treated", "repairs"))
    return store, ref.id


class Statements(Counter):
    """Statements the engine sends: ``"SELECT audit_event"`` counts the SELECTs that read
    ``audit_event`` (in any FROM or JOIN); ``"all"`` counts every statement."""

    def __init__(self, engine: sa.Engine) -> None:
        super().__init__()
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement: str, *_args) -> None:
        verb = statement.split(None, 1)[0].upper()
        self["all"] += 1
        for table in set(re.findall(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+(\w+)", statement, re.IGNORECASE)):
            self[f"{verb} {table}"] += 1

    def stop(self) -> Statements:
        event.remove(self.engine, "before_cursor_execute", self._seen)
        return self


def test_a_case_change_claims_the_case_in_one_statement_and_reads_the_record_once(world, engine):
    store, case_id = world
    version = sv.current_version(store, case_id)
    with Session(engine) as session:
        due_before = session.get(Case, case_id).next_due
    seen = Statements(engine)
    ref = sv.assign(store, "alice", case_id, version, "bob", "alice is on leave")
    seen.stop()

    assert ref.version == version + 1
    # the claim's UPDATE brings the case back: nothing selects the case row again
    assert seen["UPDATE complaint_case"] == 2, seen  # the claim, then the refreshed officer and due date
    assert seen["SELECT complaint_case"] == 0, seen
    # the record is read once, for the different-officer rule (6.13), not again for the due dates
    assert seen["SELECT audit_event"] == 1, seen
    # the stages come with their extensions (and, for the rules, officers and the count of open
    # actions) in one query; read again for the due dates after the change
    assert seen["SELECT extension"] == 2, seen
    # the open actions: counted for the rules, then the earliest due with the Ombudsman orders'
    # in the one query that asks every extra deadline
    assert seen["SELECT action"] == 2 and seen["SELECT ombudsman_order"] == 1, seen
    assert seen["all"] == 11, seen  # 26 before issue 17
    with Session(engine) as session:
        case = session.get(Case, case_id)
        assert (case.next_due, case.updated_by, case.version) == (due_before, "alice", version + 1)
        assert case.officer_id is not None and case.officer_id != 0


def test_the_loser_is_told_who_changed_the_case_even_from_a_session_that_had_read_it(world, engine):
    store, case_id = world
    version = sv.current_version(store, case_id)
    with Session(engine, expire_on_commit=False) as session:
        stale = session.get(Case, case_id)  # read before bob saves: updated_by "alice"
        assert stale.updated_by == "alice"
        session.commit()
        sv.add_correspondence(store, "bob", case_id, "note", "called the resident")
        sv.assign(store, "bob", case_id, version, "bob", "taking it over")
        with pytest.raises(sv.ConcurrentChange) as exc:
            base.claim_case(session, store, case_id, version, "alice")
    match = CHANGED_BY.search(exc.value.message)
    assert match and match.group(1) == "Bob Baker", exc.value.message


def test_a_remedy_move_claims_the_remedy_in_one_statement(world, engine):
    store, case_id = world
    rid = sv.offer_remedy(store, "alice", case_id, RemedyKind.APOLOGY, "apology for the delay", date(2025, 11, 28))
    seen = Statements(engine)
    version = sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED)
    seen.stop()
    assert seen["SELECT remedy"] == 1, seen  # the version read now (none given)
    assert seen["UPDATE remedy"] == 2, seen  # the claim (RETURNING the row), then the new state
    with Session(engine) as session:
        remedy = session.get(Remedy, rid)
        assert (remedy.state, remedy.version, remedy.updated_by) == ("accepted", version, "alice")
    # a stale version is still refused, naming who changed it
    with pytest.raises(sv.ConcurrentChange) as exc:
        sv.move_remedy(store, "bob", rid, RemedyState.DECLINED, version=version - 1)
    match = CHANGED_BY.search(exc.value.message)
    assert match and match.group(1) == "Alice Able", exc.value.message


def test_where_the_database_cannot_return_updated_rows_the_claim_reads_the_row_after(world, engine, monkeypatch):
    """SQLite before 3.35 has no ``UPDATE ... RETURNING``: the claim updates, then reads the row."""
    store, case_id = world
    monkeypatch.setattr(engine.dialect, "update_returning", False)
    updates: list[str] = []
    event.listen(
        engine, "before_cursor_execute", lambda _c, _cu, sql, *_a: updates.append(sql) if "UPDATE" in sql else None
    )
    version = sv.current_version(store, case_id)
    assert sv.assign(store, "alice", case_id, version, "bob", "alice is on leave").version == version + 1
    assert updates and not [u for u in updates if "RETURNING" in u], updates
    with pytest.raises(sv.ConcurrentChange) as exc:
        sv.assign(store, "bob", case_id, version, "alice", "back from leave")
    match = CHANGED_BY.search(exc.value.message)
    assert match and match.group(1) == "Alice Able", exc.value.message
    rid = sv.offer_remedy(store, "alice", case_id, RemedyKind.APOLOGY, "apology for the delay", date(2025, 11, 28))
    assert sv.move_remedy(store, "bob", rid, RemedyState.ACCEPTED) == 2
    with Session(engine) as session:
        assert (session.get(Case, case_id).updated_by, session.get(Remedy, rid).state) == ("alice", "accepted")


POSTGRES_ONLY = [p for p in BACKENDS if p != "sqlite"]


def _terminate_pooled_connection(engine: sa.Engine, pg_admin: sa.Engine) -> int:
    """Check a connection out and back in, then have the server drop it; returns its backend pid."""
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with pg_admin.connect() as admin:
        assert admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})").scalar() is True
    return pid


@pytest.mark.parametrize("db_url", POSTGRES_ONLY, indirect=True)
def test_an_idle_connection_the_server_dropped_is_replaced_before_the_save(world, engine, pg_admin, monkeypatch):
    store, case_id = world
    monkeypatch.setattr(store_db, "PING_AFTER_S", 0.0)  # every pooled connection counts as idle
    dropped = _terminate_pooled_connection(engine, pg_admin)
    note = sv.add_correspondence(store, "alice", case_id, "note", "called the resident")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != dropped
        assert connection.exec_driver_sql(f"SELECT body FROM correspondence WHERE id = {note}").scalar() == (
            "called the resident"
        )


@pytest.mark.parametrize("db_url", POSTGRES_ONLY, indirect=True)
def test_a_connection_used_moments_ago_is_not_pinged(world, engine, monkeypatch):
    store, case_id = world
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    sv.add_correspondence(store, "alice", case_id, "note", "first")
    sv.add_correspondence(store, "alice", case_id, "note", "second")
    assert pings == []
    monkeypatch.setattr(store_db, "PING_AFTER_S", 0.0)
    sv.add_correspondence(store, "alice", case_id, "note", "third")
    assert len(pings) == 1
