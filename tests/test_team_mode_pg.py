"""Team mode on a real PostgreSQL server: the database itself refuses what a role may
not do, whatever the client sends, and stamps who did what from ``session_user``.

Each test migrates its own database (so its group roles are ``<db>_officer`` etc.), creates
login roles named after that database (unique to the test, dropped afterwards), and connects
as them with psycopg, as an officer's own copy of caseworker (or psql) would.

Collected only when CASEWORKER_TEST_PG_URL names a server (conftest's ``collect_ignore``).
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import Definition, Extension, Role
from caseworker.rules.lifecycle import CaseType, Decision, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.migrate import open_store
from caseworker.store.team import role_names_for

PG = os.environ["CASEWORKER_TEST_PG_URL"]
APPEND_ONLY = "audit_event is append-only"
TODAY = date(2025, 11, 14)


class Team:
    """A migrated database, its groups, and login roles for an officer, a supervisor and an administrator."""

    def __init__(self, admin_engine) -> None:
        self.db = f"cw_team_{uuid.uuid4().hex[:10]}"
        self.admin_engine = admin_engine
        with admin_engine.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{self.db}"')
        base = make_url(PG)
        self.url = base.set(database=self.db).render_as_string(hide_password=False)
        self.roles = role_names_for(self.db)
        self.officer, self.supervisor, self.other_supervisor, self.admin = (
            f"{self.db}_{who}" for who in ("alice", "sue", "sam", "ada")
        )
        self.engine = open_store(self.url)  # migrated by the superuser: the groups exist now
        with admin_engine.connect() as c:
            for login, group in (
                (self.officer, self.roles.officer),
                (self.supervisor, self.roles.supervisor),
                (self.other_supervisor, self.roles.supervisor),
                (self.admin, self.roles.administrator),
            ):
                c.exec_driver_sql(f'CREATE ROLE "{login}" LOGIN IN ROLE "{group}"')
        self.store = Store(self.engine, Settings(database_url=self.url, config_path=Path("x")), Clock.at(TODAY))
        # Officers recorded as the owner's maintenance session would (superuser: names are taken as given).
        sv.current_officer(self.store, self.admin, "Ada Admin")
        sv.add_officer(self.store, self.admin, self.officer, "Alice Able", Role.OFFICER)
        sv.add_officer(self.store, self.admin, self.supervisor, "Sue Senior", Role.SUPERVISOR)
        sv.add_officer(self.store, self.admin, self.other_supervisor, "Sam Stone", Role.SUPERVISOR)

    def connect(self, login: str) -> psycopg.Connection:
        url = make_url(self.url).set(username=login, drivername="postgresql")
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def store_as(self, login: str) -> Store:
        from caseworker.store.db import make_engine

        url = make_url(self.url).set(username=login).render_as_string(hide_password=False)
        return Store(make_engine(url), self.store.settings, Clock.at(TODAY))

    def close(self) -> None:
        self.engine.dispose()
        with self.admin_engine.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            for login in (self.officer, self.supervisor, self.other_supervisor, self.admin):
                c.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
            for role in (self.roles.administrator, self.roles.supervisor, self.roles.officer, self.roles.owner):
                c.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def team(pg_admin):
    t = Team(pg_admin)
    yield t
    t.close()


def escalated_case(team: Team) -> int:
    """A case Alice handled at Stage 1, escalated; recorded through the services as Alice herself."""
    alice = team.store_as(team.officer)
    try:
        resident = sv.add_resident(alice, team.officer, "Mrs Jane Smith")
        ref = sv.log_case(
            alice,
            team.officer,
            resident,
            NewCase(CaseType.COMPLAINT, date(2025, 10, 1), "phone", "Repairs", "Damp", "Mould"),
        )
        ref = sv.acknowledge(
            alice, team.officer, ref.id, ref.version, date(2025, 10, 2), Definition("Mould", "Fix", "Repairs")
        )
        ref = sv.respond(
            alice,
            team.officer,
            ref.id,
            ref.version,
            date(2025, 10, 10),
            Decision.NOT_UPHELD,
            "on time",
            no_remedy=True,
            no_actions=True,
        )
        return sv.request_stage2(alice, team.officer, ref.id, ref.version, date(2025, 11, 3)).id
    finally:
        alice.engine.dispose()


def refused(con: psycopg.Connection, sql: str, *params, says: str = "") -> str:
    with pytest.raises(psycopg.Error) as caught:
        con.execute(sql, params or None)
    assert says in str(caught.value), caught.value
    return str(caught.value)


def test_a_plain_officer_cannot_change_the_audit_a_role_or_a_stage2_allocation(team: Team) -> None:
    case_id = escalated_case(team)
    with team.connect(team.officer) as con:
        (event,) = con.execute("SELECT id FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        refused(con, "UPDATE audit_event SET detail = 'tidied' WHERE id = %s", event)
        refused(con, "DELETE FROM audit_event WHERE id = %s", event)
        refused(con, "TRUNCATE audit_event")
        refused(con, "DROP TRIGGER audit_event_append_only ON audit_event", says="must be owner")
        refused(con, "UPDATE officer SET role = 'supervisor' WHERE login = %s", team.officer, says="permission denied")
        refused(
            con,
            "INSERT INTO officer (login, name, title, email, phone, role, active, created_at) "
            "VALUES ('mallory', 'M', '', '', '', 'administrator', true, now())",
            says="permission denied",
        )
        sue = con.execute("SELECT id FROM officer WHERE login = %s", (team.supervisor,)).fetchone()[0]
        refused(
            con,
            "UPDATE stage SET officer_id = %s WHERE case_id = %s AND number = 2",
            sue,
            case_id,
            says="only a supervisor allocates",
        )
        refused(
            con,
            "UPDATE complaint_case SET officer_id = %s WHERE id = %s",
            sue,
            case_id,
            says="only a supervisor allocates",
        )
        refused(con, "DELETE FROM complaint_case WHERE id = %s", case_id, says="permission denied")
        # The actor is whoever is connected, whatever the client writes.
        con.execute(
            "INSERT INTO audit_event (at, actor, case_id, action, detail, before, after) "
            "VALUES (now(), %s, %s, 'note', 'written as someone else', '', '')",
            (team.supervisor, case_id),
        )
        assert con.execute("SELECT actor FROM audit_event ORDER BY id DESC LIMIT 1").fetchone() == (team.officer,)
    with team.connect(team.supervisor) as con:
        refused(con, "UPDATE audit_event SET detail = 'tidied'")
        refused(
            con, "UPDATE officer SET role = 'administrator' WHERE login = %s", team.supervisor, says="permission denied"
        )
        sue = con.execute("SELECT id FROM officer WHERE login = %s", (team.supervisor,)).fetchone()[0]
        con.execute("UPDATE stage SET officer_id = %s WHERE case_id = %s AND number = 2", (sue, case_id))
    with team.connect(team.admin) as con:
        con.execute("UPDATE officer SET role = 'supervisor' WHERE login = %s", (team.officer,))
        refused(con, "DELETE FROM audit_event", says="permission denied")


def test_the_stage2_guards_and_the_audit_actor_hold_for_inserted_rows(team: Team) -> None:
    """Migration 0012c asks the guards only for the rows they act on (a WHEN condition): an
    officer's inserted Stage 2 case or stage with an officer is still refused, a Stage 1 one and
    a Stage 2 one with no officer yet go in, and an audit event is still stamped session_user."""
    case_id = escalated_case(team)
    with team.connect(team.officer) as con:
        me, resident = con.execute(
            "SELECT o.id, c.resident_id FROM officer o, complaint_case c WHERE o.login = %s AND c.id = %s",
            (team.officer, case_id),
        ).fetchone()
        copy = (
            "INSERT INTO complaint_case (reference, case_type, resident_id, channel, service_area, category, summary,"
            " received, discretion_reason, policy_key, stage, status, closed, officer_id, next_due_kind, version,"
            " created_at, updated_at, updated_by) VALUES (%s, 'complaint', %s, 'phone', '', '', '', '2025-11-03', '',"
            " 'hoc-2024', %s, 'open', false, %s, '', 1, now(), now(), %s) RETURNING id"
        )
        refused(con, copy, "G-2", resident, 2, me, team.officer, says="only a supervisor allocates")
        (stage1,) = con.execute(copy, ("G-1", resident, 1, me, team.officer)).fetchone()
        con.execute(copy, ("G-3", resident, 2, None, team.officer))
        stage = (
            "INSERT INTO stage (case_id, number, officer_id, requested, request_reason, issues, outcomes, responsible,"
            " not_responsible, decision, reasons, no_remedy, no_actions) VALUES (%s, %s, %s, '2025-11-03', '', '', '',"
            " '', '', '', '', false, false)"
        )
        refused(con, stage, stage1, 2, me, says="only a supervisor allocates")
        con.execute(stage, (stage1, 1, me))
        for actor in (team.officer, team.supervisor):
            con.execute(
                "INSERT INTO audit_event (at, actor, case_id, action, detail, before, after) "
                "VALUES (now(), %s, %s, 'note', 'guarded', '', '')",
                (actor, stage1),
            )
        assert con.execute("SELECT actor FROM audit_event WHERE detail = 'guarded'").fetchall() == [
            (team.officer,),
            (team.officer,),
        ]


def test_the_tables_are_owned_by_a_role_no_officer_has(team: Team) -> None:
    with team.connect(team.admin) as con:
        owners = {
            r[0] for r in con.execute("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()").fetchall()
        }
        assert owners == {team.roles.owner}
        for login in (team.officer, team.supervisor, team.admin):
            assert con.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (login, team.roles.owner)).fetchone() == (False,)
    owner_url = make_url(team.url)
    with psycopg.connect(
        owner_url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as con:
        con.execute(f'SET ROLE "{team.roles.owner}"')
        with pytest.raises(psycopg.Error, match=APPEND_ONLY):
            con.execute("UPDATE audit_event SET detail = 'x'")


def test_an_officers_work_keeps_the_open_case_names_though_officers_never_delete(team: Team) -> None:
    """Migration 0013g: the copy of the open cases' names is kept by triggers whose functions run
    as their owner, so an officer (who may not DELETE) logs, closes (the Stage 1 response) and
    reopens (the Stage 2 request) a case and the copy follows: the case is there once, open."""
    case_id = escalated_case(team)
    with team.connect(team.officer) as con:
        assert con.execute("SELECT case_id, name FROM open_case_name").fetchall() == [(case_id, "Mrs Jane Smith")]
        refused(con, "DELETE FROM open_case_name", says="permission denied")


def test_approving_past_the_cap_is_refused_by_the_database_for_a_non_supervisor(team: Team) -> None:
    alice = team.store_as(team.officer)
    try:
        resident = sv.add_resident(alice, team.officer, "Mr Tom Jones")
        ref = sv.log_case(
            alice,
            team.officer,
            resident,
            NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp", "Mould"),
        )
        ref = sv.acknowledge(
            alice, team.officer, ref.id, ref.version, date(2025, 11, 5), Definition("Mould", "Fix", "Repairs")
        )
        ref = sv.extend(alice, team.officer, ref.id, ref.version, Extension(10, "contractor", date(2025, 11, 13)))
        request = sv.request_extension(
            alice, team.officer, ref.id, ref.version, Extension(5, "survey", TODAY, good_reason="specialist")
        )
    finally:
        alice.engine.dispose()
    with team.connect(team.officer) as con:
        stage = con.execute("SELECT id FROM stage WHERE case_id = %s", (ref.id,)).fetchone()[0]
        refused(
            con,
            "INSERT INTO extension (stage_id, working_days, reason, good_reason, approved_by, beyond_cap, "
            "resident_told, recorded_on, recorded_by, created_at) VALUES (%s, 5, 'x', 'y', %s, true, "
            "current_date, current_date, %s, now())",
            stage,
            team.supervisor,
            team.officer,
            says="only a supervisor approves",
        )
        refused(
            con,
            "UPDATE extension_request SET state = 'approved', decided_by = %s WHERE id = %s",
            team.supervisor,
            request,
            says="only a supervisor",
        )
        assert con.execute("SELECT requested_by, state FROM extension_request").fetchone() == (team.officer, "pending")
    with team.connect(team.supervisor) as con:  # a supervisor who does not hold the case decides; stamped as them
        con.execute(
            "UPDATE extension_request SET state = 'declined', decided_by = %s, decided_at = now() WHERE id = %s",
            (team.other_supervisor, request),
        )
        assert con.execute("SELECT decided_by FROM extension_request").fetchone() == (team.supervisor,)


def test_the_app_acts_as_session_user_and_refuses_a_borrowed_name(team: Team) -> None:
    alice = team.store_as(team.officer)
    try:
        assert sv.current_officer(alice).login == team.officer  # asked of the server
        with pytest.raises(sv.DomainError, match=f"connected to the database as {team.officer}"):
            sv.current_officer(alice, team.supervisor)
        with pytest.raises(sv.DomainError) as caught:  # the app's own check, before the database's
            sv.set_officer(alice, team.officer, team.officer, role="administrator")
        assert caught.value.refusal.field == "role"
    finally:
        alice.engine.dispose()


def test_officer_add_in_team_mode_creates_the_login_role_in_the_right_group(team: Team) -> None:
    with team.admin_engine.connect() as c:
        c.exec_driver_sql(f'ALTER ROLE "{team.admin}" CREATEROLE')
    new = f"{team.db}_jo"
    ada = team.store_as(team.admin)
    try:
        sv.add_officer(ada, team.admin, new, "Jo Smith", Role.SUPERVISOR, title="Complaints Officer")
        with team.connect(team.admin) as con:
            assert con.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (new,)).fetchone() == (True,)
            assert con.execute(
                "SELECT pg_has_role(%s, %s, 'MEMBER'), pg_has_role(%s, %s, 'MEMBER')",
                (new, team.roles.supervisor, new, team.roles.administrator),
            ).fetchone() == (True, False)
        sv.deactivate_officer(ada, team.admin, new)
        with team.connect(team.admin) as con:
            assert con.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (new, team.roles.officer)).fetchone() == (False,)
    finally:
        ada.engine.dispose()
        with team.admin_engine.connect() as c:
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{new}"')


def test_the_privilege_checks_answer_for_each_kind_of_session(team: Team) -> None:
    """Migrations 0013h and 0013h2 (the checks in PL/pgSQL, the owner's membership asked first):
    an officer and a supervisor are not privileged and are members of their own groups only; a
    login in the owner role is privileged and a member of every group; and a maintenance session
    in the owner role writing an audit event keeps the actor it names, an officer's is stamped."""
    keeper = f"{team.db}_keeper"
    with team.admin_engine.connect() as c:
        c.exec_driver_sql(f'CREATE ROLE "{keeper}" LOGIN IN ROLE "{team.roles.owner}"')
    try:
        ask = "SELECT caseworker_privileged(), caseworker_member(%s), caseworker_member(%s)"
        groups = (team.roles.officer, team.roles.supervisor)
        for login, expected in (
            (team.officer, (False, True, False)),
            (team.supervisor, (False, True, True)),
            (keeper, (True, True, True)),
        ):
            with team.connect(login) as con:
                assert con.execute(ask, groups).fetchone() == expected, login
        for login in (keeper, team.officer):
            with team.connect(login) as con:
                con.execute(
                    "INSERT INTO audit_event (at, actor, case_id, action, detail, before, after) "
                    "VALUES (now(), 'someone else', NULL, 'note', %s, '', '')",
                    (f"written by {login}",),
                )
        with team.connect(keeper) as con:
            rows = con.execute("SELECT detail, actor FROM audit_event WHERE detail LIKE 'written by %' ORDER BY id")
            assert rows.fetchall() == [
                (f"written by {keeper}", "someone else"),
                (f"written by {team.officer}", team.officer),
            ]
    finally:
        with team.admin_engine.connect() as c:
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{keeper}"')
