"""Cases taken to the Ombudsman: findings, orders as deadlines in the officer's inbox and on the
board, completion, and refusals naming the field. Dates worked out by hand:

  Complaint X (Repairs, so the Housing Ombudsman): received Mon 2 Jun 2025, acknowledged Tue 3 Jun,
  Stage 1 answered Fri 13 Jun by alice; Stage 2 requested Mon 16 Jun, given to bob, acknowledged
  Tue 17 Jun, answered Fri 11 Jul 2025: the case is closed. Referred to the Ombudsman Mon 1 Dec 2025,
  determination Mon 2 Mar 2026: maladministration on the repair, service failure on complaint
  handling. Today is Mon 2 Mar 2026; the order is due Mon 9 Mar 2026 (next week: 5 working days
  left), the recommendation Wed 1 Apr 2026.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.board import deadline_board
from caseworker.store.queries.inbox import InboxFilter, inbox_page

DEF = Definition("the issues", "the outcomes sought", "what we are responsible for")
TODAY = date(2026, 3, 2)


def at(engine, url: str, day: date) -> Store:
    return Store(engine, Settings(database_url=url, config_path=Path("unused.toml")), Clock.at(day))


def closed_case(engine, url: str, area: str = "Repairs") -> tuple[int, str]:
    s = at(engine, url, date(2025, 6, 2))
    sv.current_officer(s, "admin")
    sv.add_officer(s, "admin", "alice", "Alice A", Role.OFFICER)
    sv.add_officer(s, "admin", "bob", "Bob B", Role.OFFICER)
    sv.add_officer(s, "admin", "sue", "Sue S", Role.SUPERVISOR)
    resident = sv.add_resident(s, "alice", "Mrs Jane Smith")
    ref = sv.log_case(s, "alice", resident, NewCase(CaseType.COMPLAINT, date(2025, 6, 2), "phone", area, "Damp", "x"))
    cid = ref.id
    sv.acknowledge(at(engine, url, date(2025, 6, 3)), "alice", cid, None, date(2025, 6, 3), DEF)
    sv.respond(
        at(engine, url, date(2025, 6, 13)),
        "alice",
        cid,
        None,
        date(2025, 6, 13),
        Decision.NOT_UPHELD,
        "reasons",
        no_remedy=True,
        no_actions=True,
    )
    sv.request_stage2(at(engine, url, date(2025, 6, 16)), "alice", cid, None, date(2025, 6, 16))
    sv.assign(at(engine, url, date(2025, 6, 16)), "sue", cid, None, "bob")
    sv.acknowledge(at(engine, url, date(2025, 6, 17)), "bob", cid, None, date(2025, 6, 17), DEF)
    sv.respond(
        at(engine, url, date(2025, 7, 11)),
        "bob",
        cid,
        None,
        date(2025, 7, 11),
        Decision.NOT_UPHELD,
        "reasons",
        no_remedy=True,
        no_actions=True,
    )
    return cid, ref.reference


def test_an_order_due_next_week_is_in_the_officers_inbox_until_complied_with(engine, db_url):
    cid, ref = closed_case(engine, db_url)
    store = at(engine, db_url, TODAY)
    assert [r.reference for r in inbox_page(store, InboxFilter(officer_login="bob")).rows] == []

    om = sv.record_ombudsman_case(store, "bob", cid, "202512345", date(2025, 12, 1), determined_on=TODAY)
    sv.record_finding(store, "bob", om, "the repair of the damp", "maladministration")
    sv.record_finding(store, "bob", om, "complaint handling", "service-failure")
    order = sv.add_order(store, "bob", om, "order", "pay £300 and apologise", date(2026, 3, 9))
    sv.add_order(store, "bob", om, "recommendation", "review the damp policy", date(2026, 4, 1))

    rows = inbox_page(store, InboxFilter(officer_login="bob")).rows
    assert [(r.reference, r.next_due, r.due_kind, r.days_left, r.status) for r in rows] == [
        (ref, date(2026, 3, 9), "ombudsman order", 5, "responded")
    ]
    assert inbox_page(store, InboxFilter(officer_login="alice")).rows == ()
    board = deadline_board(store)
    later = {g.name: [r.reference for r in g.rows] for g in board.groups}
    assert ref in later["later"]  # Mon 9 Mar: after this week (Fri 6 Mar)

    from caseworker.reporting.assessment import year_report
    from caseworker.reporting.period import Period
    from caseworker.reporting.render_account import year_markdown

    md = year_markdown(year_report(store, Period.financial_year(2025)))
    findings = md[md.index("## Findings of non-compliance") : md.index("## Service improvements")]
    assert f"| {ref} | the repair of the damp | Maladministration |" in findings
    assert f"| {ref} | complaint handling | Service failure |" in findings
    assert "Order due 9 Mar 2026: pay £300 and apologise (not yet complied with)" in md

    sv.complete_order(at(engine, db_url, date(2026, 3, 6)), "bob", order, date(2026, 3, 6), "payment record sent")
    rows = inbox_page(store, InboxFilter(officer_login="bob")).rows
    assert [(r.reference, r.next_due) for r in rows] == [(ref, date(2026, 4, 1))]  # the recommendation is left


def test_the_ombudsman_follows_the_service_area(engine, db_url):
    cid, _ = closed_case(engine, db_url, area="Council Tax")
    store = at(engine, db_url, TODAY)
    sv.record_ombudsman_case(store, "bob", cid, "25 000 111", date(2025, 12, 1))
    from caseworker.store.queries.account import ombudsman_cases_of

    (om,) = ombudsman_cases_of(store, cid)
    assert om.ombudsman == "lgsco"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reference": " "}, "reference"),
        ({"referred_on": date(2026, 3, 3)}, "referred_on"),  # tomorrow
        ({"determined_on": date(2025, 11, 30)}, "determined_on"),  # before the referral
        ({"ombudsman": "fos"}, "ombudsman"),
    ],
)
def test_bad_ombudsman_details_are_refused_naming_the_field(engine, db_url, kwargs, field):
    cid, _ = closed_case(engine, db_url)
    store = at(engine, db_url, TODAY)
    args = {"reference": "202512345", "referred_on": date(2025, 12, 1)} | kwargs
    with pytest.raises(sv.DomainError) as caught:
        sv.record_ombudsman_case(store, "bob", cid, args.pop("reference"), args.pop("referred_on"), **args)
    assert caught.value.refusal.field == field


def test_orders_findings_and_completion_are_checked(engine, db_url):
    cid, _ = closed_case(engine, db_url)
    store = at(engine, db_url, TODAY)
    om = sv.record_ombudsman_case(store, "bob", cid, "202512345", date(2025, 12, 1))
    with pytest.raises(sv.DomainError, match="unknown finding") as caught:
        sv.record_finding(store, "bob", om, "repairs", "partial-maladministration-ish")
    assert caught.value.refusal.field == "finding"
    with pytest.raises(sv.DomainError) as caught:
        sv.add_order(store, "bob", om, "order", "", date(2026, 3, 9))
    assert caught.value.refusal.field == "description"
    order = sv.add_order(store, "bob", om, "order", "apologise", date(2026, 2, 20))  # already overdue: recordable
    with pytest.raises(sv.DomainError) as caught:
        sv.complete_order(store, "bob", order, date(2026, 3, 3), "letter")  # tomorrow
    assert caught.value.refusal.field == "completed_on"
    with pytest.raises(sv.DomainError) as caught:
        sv.complete_order(store, "bob", order, date(2026, 3, 2), "  ")
    assert caught.value.refusal.field == "evidence"
    row = inbox_page(store, InboxFilter(officer_login="bob")).rows[0]
    assert (row.next_due, row.days_left, row.rag) == (date(2026, 2, 20), -6, "red")
