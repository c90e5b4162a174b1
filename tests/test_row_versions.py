"""Every record two officers can change is guarded like a case: remedies, outstanding actions,
adjustments, restrictions and officer records carry a version (``services.base.claim_row``).

Of two changes made from the same version exactly one is stored; the other raises
ConcurrentChange naming who changed the record and when, in UK local time, and
nothing of it is written. Races run on SQLite and, when CASEWORKER_TEST_PG_URL is set, on
PostgreSQL: threads with their own connections, and two real processes.
"""

from __future__ import annotations

import multiprocessing
import re
from datetime import UTC, date, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from helpers import make_store, officer_names, race
from sqlmodel import Session, SQLModel, select

from caseworker.clock import Clock
from caseworker.rules.facts import RemedyKind, RemedyState
from caseworker.rules.lifecycle import CaseType, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.migrate import upgrade
from caseworker.store.models import Action, ActionUpdate, AuditEvent, Officer, Remedy

TODAY = date(2025, 11, 14)
CHANGED = re.compile(
    r"was changed by (.+?) at (\d\d:\d\d on \d\d \w\w\w \d{4}) after you opened it; your change was not saved"
)


@pytest.fixture
def world(engine, db_url):
    """Officers admin, alice and bob; one case with a financial remedy and an outstanding action."""
    store = make_store(db_url, TODAY, engine)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    resident = sv.add_resident(store, "admin", "Mrs Jane Smith")
    ref = sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp", "Mould")
    )
    return store, resident, ref


def new_remedy(store: Store, case_id: int) -> int:
    return sv.offer_remedy(
        store, "alice", case_id, RemedyKind.FINANCIAL, "£50 for the delay", date(2025, 12, 1), amount_pence=5000
    )


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
            for t in SQLModel.metadata.sorted_tables
        }


def remedy(engine: sa.Engine, remedy_id: int) -> Remedy:
    with Session(engine) as session:
        return session.get(Remedy, remedy_id)


# -- deterministic: both read version v, one saves first ----------------------------------


def test_a_remedy_moved_by_someone_else_is_refused_naming_them(world, engine):
    store, _, ref = world
    rid = new_remedy(store, ref.id)
    v = remedy(engine, rid).version
    assert v == 1

    assert sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED, version=v) == 2
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as exc:
        sv.move_remedy(store, "bob", rid, RemedyState.DECLINED, version=v)
    error = exc.value
    assert (error.code_ref, error.refusal.field) == ("5.12", "version")
    assert error.message.startswith(f"The financial remedy on {ref.reference} was changed by Alice Able at ")
    assert dump(engine) == before, "nothing of bob's change was written"
    row = remedy(engine, rid)
    assert (row.state, row.version, row.updated_by, row.declined_on) == ("accepted", 2, "alice", None)


def test_every_record_changing_service_checks_the_version(world, engine):
    store, resident, ref = world
    rid = new_remedy(store, ref.id)
    aid = sv.add_action(store, "alice", ref.id, "Treat the mould", "alice", date(2025, 11, 28))
    adj = sv.add_adjustment(store, "admin", resident, "large print", date(2026, 2, 1))
    res = sv.add_restriction(
        store, "admin", resident, "Email only", "abusive calls on 3 and 4 Nov", "admin", date(2026, 1, 15)
    )
    # alice changes each record first (each from version 1) ...
    sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED, version=1)
    sv.update_action(store, "alice", aid, "contractor booked", version=1)
    sv.record_review(store, "admin", "adjustment", adj, "still needed", date(2026, 5, 1), version=1)
    sv.record_review(store, "admin", "restriction", res, "still needed", date(2026, 4, 1), version=1)
    sv.set_officer(store, "admin", "bob", role=Role.SUPERVISOR, version=1)
    before = dump(engine)
    # ... and every second change made from version 1 is refused, naming who and what.
    attempts = {
        "move_remedy": (
            lambda: sv.move_remedy(store, "bob", rid, RemedyState.DECLINED, version=1),
            f"The financial remedy on {ref.reference}",
            "alice",
        ),
        "update_action": (
            lambda: sv.update_action(store, "bob", aid, "done it", done=True, version=1),
            f"The action \u201cTreat the mould\u201d on {ref.reference}",
            "alice",
        ),
        "review adjustment": (
            lambda: sv.record_review(store, "admin", "adjustment", adj, "end it", None, end=True, version=1),
            "The adjustment \u201clarge print\u201d of Mrs Jane Smith",
            "admin",
        ),
        "review restriction": (
            lambda: sv.record_review(store, "admin", "restriction", res, "end", None, end=True, version=1),
            "The restriction \u201cEmail only\u201d of Mrs Jane Smith",
            "admin",
        ),
        "set_officer": (
            lambda: sv.set_officer(store, "admin", "bob", active=False, version=1),
            "The officer record of Bob Baker",
            "admin",
        ),
    }
    for name, (attempt, what, who) in attempts.items():
        with pytest.raises(sv.ConcurrentChange) as exc:
            attempt()
        message = exc.value.message
        assert message.startswith(what), (name, message)
        match = CHANGED.search(message)
        assert match and match.group(1) == officer_names(engine)[who], (name, message)
        assert dump(engine) == before, f"{name} wrote something despite the stale version"


def test_without_a_version_the_current_one_is_used(world, engine):
    """Callers that did not read a version still go through the guard (and bump the version)."""
    store, _, ref = world
    rid = new_remedy(store, ref.id)
    assert sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED) == 2
    assert sv.move_remedy(store, "alice", rid, RemedyState.PAID, payment_reference="BACS 77") == 3
    with pytest.raises(sv.DomainError, match="no remedy with id 999"):
        sv.move_remedy(store, "alice", 999, RemedyState.ACCEPTED)


def test_the_loser_is_told_when_in_uk_time_whatever_the_machines_zone(world, engine, db_url, tokyo):
    """Saved at 23:30 UTC on 14 Nov 2025: 23:30 in the UK (GMT), though 08:30 on 15 Nov 2025 in
    Tokyo, where the machine is set (summer time, BST, is in tests/test_guarded_records.py)."""
    _, _, ref = world
    store = make_store(db_url, Clock(fixed=TODAY, fixed_time=time(23, 30)), engine)
    rid = new_remedy(store, ref.id)
    sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED, version=1)
    with pytest.raises(sv.ConcurrentChange, match=r"changed by Alice Able at 23:30 on 14 Nov 2025 after you opened it"):
        sv.move_remedy(store, "bob", rid, RemedyState.DECLINED, version=1)
    # Cases say it the same way.
    sv.withdraw(store, "alice", ref.id, ref.version, "resident withdrew")
    with pytest.raises(sv.ConcurrentChange, match=r"changed by Alice Able at 23:30 on 14 Nov 2025 after you opened it"):
        sv.withdraw(store, "bob", ref.id, ref.version, "resident withdrew")


# -- real races: threads with their own connections ---------------------------------------


def test_accepted_and_declined_at_the_same_moment_exactly_one_succeeds(world, engine):
    store, _, ref = world
    for _ in range(10):
        rid = new_remedy(store, ref.id)
        # both officers have the remedy on screen at version 1 (RemedyRow.version)
        outcome = list(
            race(
                {
                    "alice": lambda rid=rid: sv.move_remedy(store, "alice", rid, RemedyState.ACCEPTED, version=1),
                    "bob": lambda rid=rid: sv.move_remedy(store, "bob", rid, RemedyState.DECLINED, version=1),
                }
            ).values()
        )
        winners = [i for i, o in enumerate(outcome) if o == 2]
        assert len(winners) == 1, outcome
        loser = outcome[1 - winners[0]]
        assert isinstance(loser, sv.ConcurrentChange), f"{type(loser).__name__}: {loser}"
        winner_login, state = ("alice", "accepted") if winners == [0] else ("bob", "declined")
        assert CHANGED.search(loser.message).group(1) == officer_names(engine)[winner_login]
        row = remedy(engine, rid)
        assert (row.state, row.version, row.updated_by) == (state, 2, winner_login)
        assert (row.accepted_on is None, row.declined_on is None) == (state != "accepted", state != "declined")
        with Session(engine) as session:
            moves = session.exec(
                select(AuditEvent.action).where(
                    AuditEvent.action.in_(["remedy accepted", "remedy declined"]),
                    AuditEvent.detail == "£50 for the delay",
                )
            ).all()
        assert moves.count("remedy accepted") + moves.count("remedy declined") == _ + 1  # one per trial


def test_an_action_marked_done_twice_at_once_is_stored_once(world, engine):
    store, _, ref = world
    for _ in range(6):
        aid = sv.add_action(store, "alice", ref.id, "Treat the mould", "alice", date(2025, 11, 28))
        outcome = list(
            race(
                {
                    "alice": lambda aid=aid: sv.update_action(
                        store, "alice", aid, "mould treated", done=True, version=1
                    ),
                    "bob": lambda aid=aid: sv.update_action(store, "bob", aid, "treated today", done=True, version=1),
                }
            ).values()
        )
        assert sorted(type(o).__name__ for o in outcome) == ["ConcurrentChange", "int"], outcome
        with Session(engine) as session:
            assert len(session.exec(select(ActionUpdate).where(ActionUpdate.action_id == aid)).all()) == 1
            assert session.get(Action, aid).version == 2


# -- two real processes ---------------------------------------------------------------------


def _move_in_process(url: str, login: str, remedy_id: int, target: str, barrier, results) -> None:
    """In a child process: open the store, wait for the other process, then move the remedy."""
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    store = make_store(url, TODAY, engine)
    try:
        barrier.wait(timeout=60)
        results.put((login, "ok", sv.move_remedy(store, login, remedy_id, RemedyState(target), version=1)))
    except sv.ConcurrentChange as exc:
        results.put((login, "conflict", exc.message))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put((login, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


def test_two_processes_accept_and_decline_one_remedy_exactly_one_succeeds(world, engine, db_url, tokyo):
    store, _, ref = world
    ctx = multiprocessing.get_context("spawn")
    for _ in range(2):
        rid = new_remedy(store, ref.id)
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [
            ctx.Process(target=_move_in_process, args=(db_url, login, rid, target, barrier, results))
            for login, target in (("alice", "accepted"), ("bob", "declined"))
        ]
        for p in procs:
            p.start()
        got = {login: (kind, value) for login, kind, value in (results.get(timeout=120) for _ in procs)}
        for p in procs:
            p.join(timeout=60)
        kinds = sorted(kind for kind, _ in got.values())
        assert kinds == ["conflict", "ok"], got
        winner = next(login for login, (kind, _) in got.items() if kind == "ok")
        loser_message = next(value for kind, value in got.values() if kind == "conflict")
        row = remedy(engine, rid)
        assert (row.updated_by, row.version, row.state) == (winner, 2, "accepted" if winner == "alice" else "declined")
        # who and when, in UK time (the child processes' machine zone is Tokyo)
        local = row.updated_at.replace(tzinfo=row.updated_at.tzinfo or UTC).astimezone(ZoneInfo("Europe/London"))
        assert (
            f"changed by {officer_names(engine)[winner]} at {local:%H:%M on %d %b %Y} after you opened it"
            in loser_message
        )


# -- the migration on a database that already holds data ------------------------------------


def test_existing_rows_get_version_one_when_the_database_is_upgraded(db_url):
    from caseworker.store.db import make_engine

    engine = make_engine(db_url)
    try:
        upgrade(engine, to="0003")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO officer (login, name, email, role, active, created_at) "
                    "VALUES ('jsmith', 'Jo Smith', '', 'officer', true, '2025-11-01 09:00:00')"
                )
            )
        upgrade(engine)
        with Session(engine) as session:
            officer = session.exec(select(Officer)).one()
            assert (officer.login, officer.version, officer.updated_at, officer.updated_by) == ("jsmith", 1, None, "")
        store = make_store(db_url, TODAY, engine)
        sv.current_officer(store, "jsmith")  # not the first officer: an existing one
    finally:
        engine.dispose()
