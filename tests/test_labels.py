"""Stored codes in words, in one module (caseworker.labels), and never a code on screen or in the CLI.

- every status, case type and decision the rules know has words, none hyphenated;
- how a complaint came in reads as the end of "received 3 Dec 2025 ..." ("in person", not "by in person");
- `caseworker case` and `caseworker due` print words; a refusal names the status in words;
- no screen, command, letter or case-file module keeps its own table of status or type words.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_what_happened import cli_db, run_cli  # noqa: F401 - fixture

import caseworker
from caseworker import labels
from caseworker.rules.facts import CaseType, Decision, Status

CODES = [s.value for s in Status] + [t.value for t in CaseType] + [d.value for d in Decision]


def test_every_code_has_words_and_no_words_are_a_code() -> None:
    for status in Status:
        assert status.value in labels.STATUS and status.value in labels.STATUS_PHRASE
        assert "-" not in labels.status(status.value) and "-" not in labels.status_phrase(status.value)
    for case_type in CaseType:
        assert case_type.value in labels.CASE_TYPE and "-" not in labels.case_type(case_type.value)
    for decision in Decision:
        assert "-" not in labels.decision(decision.value)
    assert labels.status("awaiting-acknowledgement") == "to acknowledge"
    assert labels.case_type("mp-enquiry") == "MP enquiry"
    assert labels.decision("partly-upheld") == "Partly upheld"
    assert labels.status("on-hold") == "on hold"  # a code the table does not know yet: words, not the code


def test_how_it_came_in_reads_after_received() -> None:
    assert labels.received_by("in person") == "in person"
    assert labels.received_by("phone") == "by phone"
    assert labels.received_by("online form") == "through the online form"
    assert labels.received_by("MP") == "through an MP"
    assert labels.received_by("Fax") == "by Fax"
    # a blank channel, and what old tracker imports stored for one: nothing to say
    assert labels.received_by("  ") == labels.received_by("Not recorded") == ""
    assert labels.received_by("by post") == "by post"
    assert labels.received_by("  ") == ""


def test_listed_status_says_actions_open_for_a_case_listed_for_its_actions() -> None:
    assert labels.listed_status("responded", "action") == "actions open"
    assert labels.listed_status("open", "action") == "investigating"
    assert labels.listed_status("awaiting-acknowledgement", "acknowledge") == "to acknowledge"


def test_a_refusal_names_the_status_in_words() -> None:
    from types import SimpleNamespace

    from caseworker.rules.guards import status_in

    facts = SimpleNamespace(status=Status.AWAITING_ACK, stage=1)  # the two facts the guard reads
    refusal = status_in(facts, [Status.OPEN], "respond", "6.3")
    assert refusal is not None
    assert refusal.message == "cannot respond: the case is awaiting acknowledgement at Stage 1"


def test_the_cli_prints_words_not_codes(cli_db, capsys) -> None:  # noqa: F811
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.rules.facts import Role
    from caseworker.rules.lifecycle import NewCase
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{cli_db}"
    store = Store(open_store(url), Settings(database_url=url, config_path=Path("x")), Clock.at(date(2024, 7, 1)))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    person = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Street")
    ref = sv.log_case(
        store,
        "alice",
        person,
        NewCase(CaseType.MP_ENQUIRY, date(2024, 6, 28), "in person", "Repairs", "Damp", "Mould"),
    )
    store.engine.dispose()

    status, out, _err = run_cli(capsys, "case", ref.reference)
    assert status == 0
    assert "MP enquiry" in out and "to acknowledge" in out and "received 28 Jun 2024 in person" in out
    status, due, _err = run_cli(capsys, "due")
    assert status == 0 and "to acknowledge" in due
    for code in ("awaiting-acknowledgement", "mp-enquiry", "by in person"):
        assert code not in out and code not in due


@pytest.mark.parametrize("folder", ["screens", "commands", "casefile", "letters", "widgets"])
def test_no_module_keeps_its_own_status_or_type_words(folder: str) -> None:
    root = Path(caseworker.__file__).parent / folder
    # a status or decision table keys on these codes; a case-type table maps "complaint" to "Complaint"
    own_table = re.compile(r'"(awaiting-acknowledgement|partly-upheld)"\s*:|"complaint"\s*:\s*"Complaint"')
    for path in root.rglob("*.py"):
        assert not own_table.search(path.read_text(encoding="utf-8")), path
