"""``caseworker document add|list|save|withdraw`` (Code 5.12): a case's documents from
the command line, on a real SQLite file, acting as the officer at the keyboard (the OS account).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from caseworker.cli import main
from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.identity import os_account
from caseworker.rules.lifecycle import CaseType, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.migrate import open_store
from caseworker.store.queries.documents import case_documents, document_content

TODAY = date(2025, 11, 14)


@pytest.fixture
def case(tmp_path: Path, monkeypatch) -> tuple[Store, int, str]:
    url = f"sqlite:///{tmp_path / 'documents.db'}"
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", url)
    monkeypatch.setenv("CASEWORKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("CASEWORKER_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("document_size_limit_mb = 1\n", encoding="utf-8")
    store = Store(open_store(url), Settings(database_url=url, config_path=tmp_path / "config.toml"), Clock.at(TODAY))
    me = os_account()
    sv.current_officer(store, me)  # the first officer: an administrator
    if me != "alice":
        sv.add_officer(store, me, "alice", "Alice Able", Role.OFFICER)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    new = NewCase(CaseType.COMPLAINT, date(2025, 11, 10), "phone", "Repairs", "Damp", "Mould in the bedroom")
    ref = sv.log_case(store, "alice", resident, new)
    yield store, ref.id, ref.reference
    store.engine.dispose()


def test_attach_list_save_and_withdraw_from_the_command_line(case, tmp_path: Path, capsys) -> None:
    store, case_id, ref = case
    email = tmp_path / "complaint.eml"
    email.write_bytes("From: Mrs Smith\nThe mould is back — ½ the wall.\n".encode())
    photo = tmp_path / "wall.jpg"
    photo.write_bytes(bytes(range(256)) * 8)

    assert main(["document", "add", ref.lower(), str(email), str(photo), "--description", "from the resident"]) == 0
    out = capsys.readouterr().out
    assert "as document 1: complaint.eml" in out and hashlib.sha256(email.read_bytes()).hexdigest() in out
    assert "as document 2: wall.jpg (2 KB" in out
    docs = case_documents(store, case_id)
    assert [(d.name, d.size, d.description) for d in docs] == [
        ("complaint.eml", email.stat().st_size, "from the resident"),
        ("wall.jpg", 2048, "from the resident"),
    ]
    assert document_content(store, docs[1].id) == photo.read_bytes()

    assert main(["document", "save", ref, "2", "--out", str(tmp_path / "copies") + "/"]) == 0
    assert (tmp_path / "copies" / "wall.jpg").read_bytes() == photo.read_bytes()
    capsys.readouterr()
    assert main(["document", "save", ref, "2", "--out", str(tmp_path / "copies")]) == 1
    assert "already exists" in capsys.readouterr().err  # nothing overwritten

    assert main(["document", "withdraw", ref, "2", "--reason", "another resident's photo"]) == 0
    assert main(["document", "withdraw", ref, "2", "--reason", "again"]) == 1
    assert re.search(
        r"wall.jpg was already withdrawn by \w+ at \d\d:\d\d on \d\d \w{3} \d{4} \(Code 5.12\)", capsys.readouterr().err
    )
    assert main(["document", "list", ref]) == 0
    listing = capsys.readouterr().out
    line = next(x for x in listing.splitlines() if x.startswith("2 "))
    assert "wall.jpg" in line and "withdrawn" in line and "another resident's photo" in line
    assert "2 document(s) on" in listing and "1 withdrawn" in listing
    assert len(case_documents(store, case_id)) == 2  # withdrawn, never deleted


def test_bad_input_names_the_cause_and_stores_nothing(case, tmp_path: Path, capsys) -> None:
    store, case_id, ref = case
    good = tmp_path / "letter.pdf"
    good.write_bytes(b"%PDF-1.4 letter")
    big = tmp_path / "survey.pdf"
    big.write_bytes(b"x" * (1024 * 1024 + 1))

    assert main(["document", "add", ref, str(good), str(tmp_path / "missing.pdf"), str(big)]) == 2
    err = capsys.readouterr().err
    assert "there is no file" in err and "missing.pdf" in err
    assert "survey.pdf is 1,048,577 bytes, above the limit of 1,048,576 bytes (1 MB" in err
    assert "nothing was attached" in err
    assert case_documents(store, case_id) == ()

    assert main(["document", "list", "CMP-999999"]) == 2
    assert "no case with reference 'CMP-999999'" in capsys.readouterr().err
    assert main(["document", "save", ref, "1", "--out", str(tmp_path)]) == 2
    assert "the case has no documents" in capsys.readouterr().err
    assert main(["document", "add", ref, str(good)]) == 0
    assert main(["document", "withdraw", ref, "3", "--reason", "x"]) == 2
    assert "numbers: 1 to 1" in capsys.readouterr().err
    assert main(["document", "withdraw", ref, "1", "--reason", "  "]) == 1
    assert "say why the document is withdrawn (Code 5.12)" in capsys.readouterr().err
    assert not case_documents(store, case_id)[0].withdrawn
