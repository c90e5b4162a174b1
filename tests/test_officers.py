"""Officers are people (SPEC rule 14/15): administrators add, name, change, deactivate
and activate officers through the services; the last administrator stays; an officer with open
cases is deactivated only after reassignment; logins derived from names never collide.

Service tests run on SQLite and, with CASEWORKER_TEST_PG_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import refused

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules import officers as rules
from caseworker.rules.facts import Refusal, Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.case import case_detail
from caseworker.store.queries.officers import officer_by_login, officers

TODAY = date(2025, 11, 14)


@pytest.fixture
def store(engine: sa.Engine, db_url: str) -> Store:
    s = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(TODAY))
    sv.current_officer(s, "admin")
    return s


def test_an_officer_has_a_name_title_contact_line_role_and_active_flag(store: Store) -> None:
    sv.add_officer(
        store,
        "admin",
        "jsmith",
        "Jo Smith",
        "supervisor",
        "jo.smith@example.gov.uk",
        title="Complaints Officer",
        phone="01632 960001",
    )

    jo = officer_by_login(store, "jsmith")
    assert (jo.name, jo.title, jo.role, jo.email, jo.phone, jo.active) == (
        "Jo Smith",
        "Complaints Officer",
        "supervisor",
        "jo.smith@example.gov.uk",
        "01632 960001",
        True,
    )
    assert jo.display_name == "Jo Smith"
    assert jo.signature == "Jo Smith, Complaints Officer"

    sv.set_officer(store, "admin", "jsmith", title="Complaints Team Manager", phone="01632 960002")
    jo = officer_by_login(store, "jsmith")
    assert (jo.title, jo.phone, jo.name) == ("Complaints Team Manager", "01632 960002", "Jo Smith")

    # Letters sign with the name and title of the case's officer: the case read model carries both.
    resident = sv.add_resident(store, "admin", "Mrs Jane Smith")
    new = NewCase(
        case_type=CaseType.COMPLAINT,
        received=TODAY,
        channel="email",
        service_area="Repairs",
        category="damp",
        summary="mould",
    )
    ref = sv.log_case(store, "admin", resident, new, officer_login="jsmith")
    detail = case_detail(store, ref.id)
    assert (detail.header.officer_name, detail.header.officer_title) == ("Jo Smith", "Complaints Team Manager")
    assert (detail.stages[0].officer_name, detail.stages[0].officer_title) == ("Jo Smith", "Complaints Team Manager")


def test_bad_officer_input_names_the_field(store: Store) -> None:
    sv.add_officer(store, "admin", "jsmith", "Jo Smith")
    refused(lambda: sv.add_officer(store, "admin", "jsmith", "Jo Other"), "login", "'jsmith'")
    refused(lambda: sv.add_officer(store, "admin", "new one", "Someone"), "login", "'new one'")
    refused(lambda: sv.add_officer(store, "admin", "nn", "  "), "name", "full name")
    refused(lambda: sv.add_officer(store, "admin", "nn", "N N", "boss"), "role", "'boss'")
    refused(lambda: sv.add_officer(store, "jsmith", "nn", "N N"), "role", "administrator")
    refused(lambda: sv.set_officer(store, "admin", "nobody", title="x"), "officer", "'nobody'")
    refused(lambda: sv.set_officer(store, "jsmith", "jsmith", role="administrator"), "role", "administrator")
    assert sorted(o.login for o in officers(store, active_only=False)) == ["admin", "jsmith"]


def test_the_last_active_administrator_can_never_be_demoted_or_deactivated(store: Store) -> None:
    refused(lambda: sv.set_officer(store, "admin", "admin", role="supervisor"), "role", "last active administrator")
    refused(lambda: sv.deactivate_officer(store, "admin", "admin"), "active", "last active administrator")

    sv.add_officer(store, "admin", "second", "Second Admin", "administrator")
    sv.deactivate_officer(store, "second", "admin")  # another administrator exists: allowed
    refused(lambda: sv.set_officer(store, "second", "second", role="officer"), "role", "last active administrator")
    sv.activate_officer(store, "second", "admin")
    sv.set_officer(store, "admin", "second", role="officer")
    assert officer_by_login(store, "second").role == "officer"


def test_an_officer_holding_open_cases_is_deactivated_only_after_reassignment(store: Store) -> None:
    sv.add_officer(store, "admin", "alice", "Alice Able")
    sv.add_officer(store, "admin", "bob", "Bob Baker")
    resident = sv.add_resident(store, "admin", "Mrs Jane Smith")
    new = NewCase(
        case_type=CaseType.COMPLAINT,
        received=TODAY,
        channel="email",
        service_area="Repairs",
        category="damp",
        summary="mould",
    )
    ref = sv.log_case(store, "admin", resident, new, officer_login="alice")

    refused(lambda: sv.deactivate_officer(store, "admin", "alice"), "active", "holds 1 open case")
    assert officer_by_login(store, "alice").active

    sv.assign(store, "admin", ref.id, ref.version, "bob", reason="Alice is leaving")
    sv.deactivate_officer(store, "admin", "alice")
    assert not officer_by_login(store, "alice").active
    refused(lambda: sv.current_officer(store, "alice"), "officer", "caseworker officer activate alice")
    sv.activate_officer(store, "admin", "alice")
    assert sv.current_officer(store, "alice").name == "Alice Able"


def test_an_unknown_login_is_told_how_an_administrator_adds_them(store: Store) -> None:
    refused(lambda: sv.current_officer(store, "mallory"), "officer", "caseworker officer add mallory")


def test_parse_role_accepts_the_three_roles_only() -> None:
    assert rules.parse_role(" Supervisor ") is Role.SUPERVISOR
    refusal = rules.parse_role("manager")
    assert (
        isinstance(refusal, Refusal)
        and refusal.field == "role"
        and "officer, supervisor, administrator" in refusal.message
    )


def test_logins_derived_from_names_never_collide() -> None:
    assert rules.derive_login("Jo Smith", set()) == "jsmith"
    assert rules.derive_login("Jo Smith", {"JSMITH"}) == "jsmith2"
    assert rules.derive_login("Jane Smith", {"jsmith", "jsmith2"}) == "jsmith3"
    assert rules.derive_login("Siobhán Ó Néill-Murphy", set()) == "smurphy"
    assert rules.derive_login("Officer 1", set()) == "o1"
    assert rules.derive_login("Cher", set()) == "cher"
    assert rules.derive_login("---", {"officer"}) == "officer2"
