"""Letters a council can post: A4 in every format, the address in a DL window, large print at
the recorded size, PDF with every accented name, no example value goes out, and
``caseworker letter`` writing several formats (and drafts) into a folder.

One case: Siân Ŵynne-Jobs of Łódź Road, large print "16pt Arial", acknowledged at Stage 1 on
3 December 2025 (response due 10 working days later: Wednesday 17 December 2025).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.shared import Mm

from caseworker import letters
from caseworker.clock import Clock
from caseworker.config import ConfigError, Organisation, Settings, load_settings
from caseworker.rules.facts import Definition, Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.case import case_detail

NAME = "Siân Ŵynne-Jobs"
ORG_TOML = """[organisation]
name = "Cyngor Sir Ynys Môn"
address = ["Council Offices", "Llangefni", "LL77 7TW"]
phone = "01248 750057"
email = "complaints@ynysmon.example"
website = "www.ynysmon.example"
complaints_team = "Complaints Team"
footer = "Cyngor Sir Ynys Môn, Council Offices, Llangefni LL77 7TW"
"""
ORG = Organisation(
    name="Cyngor Sir Ynys Môn",
    address=("Council Offices", "Llangefni", "LL77 7TW"),
    phone="01248 750057",
    email="complaints@ynysmon.example",
    website="www.ynysmon.example",
    complaints_team="Complaints Team",
    footer="Cyngor Sir Ynys Môn, Council Offices, Llangefni LL77 7TW",
)


class One:
    def __init__(self, root: Path) -> None:
        from caseworker.store.migrate import open_store

        self.url = f"sqlite:///{root / 't.db'}"
        self.engine = open_store(self.url)
        self.settings = Settings(database_url=self.url, config_path=root / "config.toml", organisation=ORG)
        s = self.at(date(2025, 12, 1))
        sv.current_officer(s, "admin", "Ada Admin")
        sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER)
        r = sv.add_resident(s, "alice", NAME, address="4 Łódź Road, Żabbar Close, Amlwch, LL68 9AB")
        sv.add_adjustment(s, "alice", r, "Large print", date(2026, 6, 1), "16pt Arial")
        new = NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould in the bedroom")
        c = sv.log_case(s, "alice", r, new)
        c = sv.acknowledge(
            self.at(date(2025, 12, 3)),
            "alice",
            c.id,
            c.version,
            date(2025, 12, 3),
            Definition("Mould in the back bedroom", "Mould treated", "Repairs to the structure"),
        )
        self.case_id, self.today = c.id, date(2025, 12, 4)

    def at(self, day: date) -> Store:
        return Store(self.engine, self.settings, Clock.at(day))

    def detail(self):
        return case_detail(self.at(self.today), self.case_id)

    def letter(self, kind="acknowledgement", settings=None):
        return letters.render(kind, self.detail(), settings or self.settings, self.today)


@pytest.fixture(scope="module")
def one(tmp_path_factory) -> One:
    w = One(tmp_path_factory.mktemp("paper"))
    yield w
    w.engine.dispose()


def docx_text(path) -> str:
    doc = Document(path)
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(cells + [p.text for p in doc.paragraphs])


def pdf_text(path) -> str:
    """The PDF's text with runs of white space made one space (lines wrap where the page ends)."""
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages).split())


def test_word_letters_are_a4_with_margins_and_the_recorded_large_print_size(one, tmp_path):
    letter = one.letter()
    assert letter.large_print and letter.font_pt == 16.0
    doc = Document(letters.to_docx(letter, tmp_path / "a.docx"))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm, 1), round(sec.page_height.mm, 1)) == (210.0, 297.0)
    assert round(sec.left_margin.mm) == 20 and round(sec.right_margin.mm) == 20
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Arial", 16.0)
    assert doc.styles["Heading 2"].font.size.pt == 18.0
    # The address block is in the left cell, under an exact-height spacer to the window's top.
    left = doc.tables[0].rows[0].cells[0]
    spacer = left.paragraphs[0].paragraph_format.line_spacing
    assert round(Mm(15).mm + spacer.mm) == 50
    assert left.paragraphs[1].text.split("\n")[:2] == [NAME, "4 Łódź Road"]
    assert "Cyngor Sir Ynys Môn" in doc.tables[0].rows[0].cells[1].paragraphs[0].text
    assert ORG.footer in doc.sections[0].footer.paragraphs[0].text
    assert "Dear " + NAME in docx_text(tmp_path / "a.docx")


def test_large_print_without_a_size_uses_the_configured_default(one, tmp_path):
    settings = dataclasses.replace(one.settings, large_print_pt=20.0)
    detail = one.detail()
    plain = dataclasses.replace(
        detail, adjustments=tuple(dataclasses.replace(a, details="sight loss") for a in detail.adjustments)
    )
    letter = letters.render("acknowledgement", plain, settings, one.today)
    assert letter.font_pt == 20.0
    assert "font-size: 20pt" in letters.to_html(letter)
    assert letters.to_html(one.letter()).count("font-size: 16pt") == 1


def test_html_is_an_a4_page_with_the_address_in_the_window(one):
    html = letters.to_html(one.letter())
    assert "@page { size: A4;" in html
    assert 'class="address"' in html and "top: 35mm" in html  # 15 mm margin + 35 mm = 50 mm from the top
    assert "Siân Ŵynne-Jobs<br>" in html and ORG.footer in html


def test_pdf_is_a4_tagged_and_has_every_accented_name(one, tmp_path):
    path = letters.save(one.letter(), tmp_path / "new folder" / "a.pdf")
    reader = pypdf.PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = pdf_text(path)
    for s in (NAME, "4 Łódź Road", "Żabbar Close", "Cyngor Sir Ynys Môn", "Wednesday 17 December 2025"):
        assert s in text
    assert reader.trailer["/Root"]["/StructTreeRoot"] is not None and reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_address_is_placed_for_a_dl_window_in_the_pdf(one, tmp_path):
    path = letters.to_pdf(one.letter(), tmp_path / "a.pdf")
    page = pypdf.PdfReader(str(path)).pages[0]
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip() == NAME:
            found["x"], found["y"] = tm[4], tm[5]

    page.extract_text(visitor_text=visit)
    x_mm, from_top_mm = found["x"] * 25.4 / 72, 297 - found["y"] * 25.4 / 72
    assert 19 <= x_mm <= 22 and 50 <= from_top_mm <= 60  # text baseline, inside the 1 mm cell padding


def test_example_organisation_details_are_refused_naming_each_key(one):
    settings = dataclasses.replace(
        one.settings, organisation=dataclasses.replace(ORG, phone=Organisation().phone, website="")
    )
    missing = letters.check("acknowledgement", one.detail(), one.letter(settings=settings))
    assert [m.item for m in missing] == ["organisation.phone", "organisation.website"]
    assert "config.toml" in missing[0].label


def test_the_signature_defaults_to_the_team_not_an_example():
    assert "Complaints and Resolution Team" not in Organisation().signature


def test_large_print_size_must_be_a_sensible_number(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('large_print_pt = 16\n[organisation]\nlogo = "logo.png"\n', encoding="utf-8")
    s = load_settings({"CASEWORKER_CONFIG": str(cfg)})
    assert s.large_print_pt == 16.0 and s.organisation.logo == "logo.png"
    cfg.write_text("large_print_pt = 6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="large_print_pt"):
        load_settings({"CASEWORKER_CONFIG": str(cfg)})


# -- caseworker letter ----------------------------------------------------------------------------


@pytest.fixture
def cli(one, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(ORG_TOML, encoding="utf-8")
    monkeypatch.setenv("CASEWORKER_CONFIG", str(config))
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", one.url)
    monkeypatch.setenv("CASEWORKER_TODAY", one.today.isoformat())
    from caseworker.cli import main

    main.config = config  # type: ignore[attr-defined]
    return main


def test_cli_draft_writes_docx_and_pdf(cli, tmp_path, capsys):
    cli.config.write_text(ORG_TOML.replace('phone = "01248 750057"\n', ""), encoding="utf-8")
    out = tmp_path / "letters"
    assert cli(["letter", "CMP-000001", "acknowledgement", "--format", "docx,pdf", "--out", str(out), "--draft"]) == 0
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [
        "CMP-000001-acknowledgement-DRAFT.docx",
        "CMP-000001-acknowledgement-DRAFT.pdf",
    ]
    assert capsys.readouterr().out.split() == [str(p) for p in written]
    doc = Document(written[0])
    sec = doc.sections[0]
    assert (round(sec.page_width.mm, 1), round(sec.page_height.mm, 1)) == (210.0, 297.0)
    assert sec.header.paragraphs[0].text == "DRAFT: not for issue"
    assert "organisation.phone" in docx_text(written[0])
    reader = pypdf.PdfReader(str(written[1]))
    assert all("DRAFT: not for issue" in p.extract_text() for p in reader.pages)
    text = pdf_text(written[1])
    assert NAME in text and "organisation.phone" in text


def test_cli_without_an_organisation_phone_exits_1_naming_the_key_and_writes_nothing(
    cli, tmp_path, capsys, monkeypatch
):
    cli.config.write_text(ORG_TOML.replace('phone = "01248 750057"\n', ""), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli(["letter", "CMP-000001", "acknowledgement"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot issue: missing organisation.phone: set phone in the [organisation] table" in captured.err
    from caseworker.config import data_dir

    # no letter anywhere (the data folder keeps only its bank-holiday table, which any command may write)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != cli.config and data_dir() not in p.parents]
    assert written == []
    assert cli(["letter", "CMP-000001", "acknowledgement", "--format", "pdf", "--out", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()


def test_cli_prints_a_single_txt_and_writes_all_four_formats(cli, tmp_path, capsys):
    assert cli(["letter", "CMP-000001", "acknowledgement"]) == 0
    assert f"Dear {NAME}" in capsys.readouterr().out
    assert (
        cli(["letter", "CMP-000001", "acknowledgement", "--format", "txt,html,docx,pdf", "--out", str(tmp_path)]) == 0
    )
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert [p.suffix for p in paths] == [".txt", ".html", ".docx", ".pdf"]
    assert NAME in paths[0].read_text(encoding="utf-8") and NAME in pdf_text(paths[3])


# -- issued letters are kept as sent ---------------------------------------------------------------


def test_an_issued_letter_is_reprinted_as_sent_marked_as_a_copy(tmp_path, capsys, monkeypatch):
    w = One(tmp_path)
    letter = w.letter()  # dated Thursday 4 December 2025, large print 16pt
    assert letters.check("acknowledgement", w.detail(), letter) == []
    cid = sv.issue_letter(
        w.at(w.today),
        "alice",
        w.case_id,
        letter.kind,
        letter.subject,
        letters.to_text(letter),
        letter_date=letter.letter_date,
        letter_format=letters.format_record(letter),
    )
    # A new draft, later, is dated that day.
    later = date(2025, 12, 22)
    stored = next(c for c in case_detail(w.at(later), w.case_id).correspondence if c.id == cid)
    assert stored.letter_date == date(2025, 12, 4) and stored.body == letter.text
    copy = letters.reprint(stored)
    assert (
        copy.text == letter.text
        and copy.font_pt == 16.0
        and copy.mark == "COPY of the letter issued on 4 December 2025"
    )
    assert copy.address_block == letter.address_block
    new = letters.render("acknowledgement", case_detail(w.at(later), w.case_id), w.settings, later)
    assert "Date: 22 December 2025" in new.text
    # The new draft would promise Wednesday 17 December: already past, so refused with the reason.
    assert [m.item for m in letters.check("acknowledgement", case_detail(w.at(later), w.case_id), new)] == [
        "response date"
    ]

    config = tmp_path / "config.toml"
    config.write_text(ORG_TOML, encoding="utf-8")
    monkeypatch.setenv("CASEWORKER_CONFIG", str(config))
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", w.url)
    monkeypatch.setenv("CASEWORKER_TODAY", later.isoformat())
    from caseworker.cli import main

    assert (
        main(
            ["letter", "CMP-000001", "acknowledgement", "--copy", "--format", "pdf,docx", "--out", str(tmp_path / "o")]
        )
        == 0
    )
    pdf, docx = (Path(p) for p in capsys.readouterr().out.split())
    text = pdf_text(pdf)
    assert "COPY of the letter issued on 4 December 2025" in text and "Date: 4 December 2025" in text
    assert Document(docx).styles["Normal"].font.size.pt == 16.0
    assert main(["letter", "CMP-000001", "extension", "--copy"]) == 1
    assert "no extension letter has been issued on CMP-000001" in capsys.readouterr().err
    w.engine.dispose()


# -- the right people ----------------------------------------------------------------------------


def _mp_case(w: One):
    s = w.at(date(2025, 12, 1))
    r = sv.add_resident(s, "alice", "Mr Dŵr Ellis", address="9 Glan Road, Holyhead, LL65 1AA")
    sv.add_adjustment(s, "alice", r, "Large print", date(2026, 6, 1), "20pt")
    mp = sv.add_representative(
        s, "alice", r, "Ms Gwen Price MP", relationship="MP", consent_recorded=True, consent_date=date(2025, 12, 1)
    )
    new = NewCase(CaseType.MP_ENQUIRY, date(2025, 12, 1), "MP", "Repairs", "Damp", "The MP asks about the damp")
    c = sv.log_case(s, "alice", r, new, representative_id=mp)
    c = sv.acknowledge(
        w.at(date(2025, 12, 3)),
        "alice",
        c.id,
        c.version,
        date(2025, 12, 3),
        Definition("Damp in the living room", "Damp treated", "Repairs to the structure"),
    )
    return c.id, mp


def test_an_mp_enquiry_letter_goes_to_the_mp_about_the_constituent_without_their_adjustments(tmp_path):
    w = One(tmp_path)
    case_id, mp = _mp_case(w)
    detail = case_detail(w.at(w.today), case_id)
    letter = letters.render("acknowledgement", detail, w.settings, w.today)
    assert letter.addressee.name == "Ms Gwen Price MP" and letter.addressee.role == "member"
    assert not letter.large_print and letter.font_pt == 12.0
    assert "On behalf of" not in letter.text and "We are writing to you on behalf of" not in letter.text
    assert "Thank you for contacting us on behalf of your constituent, Mr Dŵr Ellis." in " ".join(letter.text.split())
    assert letter.subject.startswith("Your constituent Mr Dŵr Ellis's enquiry: acknowledgement at Stage 1")
    # No office address yet: a letter by post cannot go.
    assert [m.item for m in letters.check("acknowledgement", detail, letter)] == ["address"]
    version = sv.update_representative_contact(
        w.at(w.today),
        "alice",
        mp,
        None,
        address="House of Commons, London, SW1A 0AA",
        email="",
        phone="020 7219 3000",
        case_id=case_id,
    )
    assert version == 2
    detail = case_detail(w.at(w.today), case_id)
    assert detail.representative.phone == "020 7219 3000"
    audit = [t for t in detail.timeline if t.what == "representative contact details changed"]
    assert len(audit) == 1
    letter = letters.render("acknowledgement", detail, w.settings, w.today)
    assert letter.address_block == ("Ms Gwen Price MP", "House of Commons", "London", "SW1A 0AA")
    assert letters.check("acknowledgement", detail, letter) == []
    # The resident's own copy honours the resident's adjustments (20pt large print).
    own = letters.render("acknowledgement", detail, w.settings, w.today, recipient="resident")
    assert own.addressee.name == "Mr Dŵr Ellis" and own.large_print and own.font_pt == 20.0
    assert "This letter is in large print, as agreed with you." in own.text
    w.engine.dispose()


def test_a_representative_letter_by_post_with_no_address_is_refused(tmp_path):
    w = One(tmp_path)
    s = w.at(date(2025, 12, 1))
    resident = w.detail().resident.id
    rep = sv.add_representative(
        s,
        "alice",
        resident,
        "Ms Rhian Evans",
        relationship="daughter",
        consent_recorded=True,
        consent_date=date(2025, 12, 1),
        phone="07700 900123",
    )
    new = NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould again")
    c = sv.log_case(s, "alice", resident, new, representative_id=rep)
    c = sv.acknowledge(
        w.at(date(2025, 12, 3)),
        "alice",
        c.id,
        c.version,
        date(2025, 12, 3),
        Definition("Mould in the hall", "Mould treated", "Repairs to the structure"),
    )
    detail = case_detail(w.at(w.today), c.id)
    assert detail.representative.phone == "07700 900123"
    letter = letters.render("acknowledgement", detail, w.settings, w.today)
    assert letter.addressee.name == "Ms Rhian Evans" and letter.addressee.channel == "post"
    missing = letters.check("acknowledgement", detail, letter)
    assert [m.item for m in missing] == ["address"]
    assert "the representative's postal address is not recorded" in missing[0].label
    with pytest.raises(sv.DomainError, match="not an email address"):
        sv.update_representative_contact(s, "alice", rep, None, address="", email="rhian.example", phone="")
    sv.update_representative_contact(
        s, "alice", rep, None, address="2 Bay View, Amlwch, LL68 9AA", email="", phone="07700 900123", case_id=c.id
    )
    detail = case_detail(w.at(w.today), c.id)
    assert (
        letters.check("acknowledgement", detail, letters.render("acknowledgement", detail, w.settings, w.today)) == []
    )
    w.engine.dispose()


def test_the_configured_logo_is_on_the_first_page_and_a_missing_one_is_refused(one, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (0, 90, 160)).save(logo)
    settings = dataclasses.replace(one.settings, organisation=dataclasses.replace(ORG, logo=str(logo)))
    letter = one.letter(settings=settings)
    assert letters.check("acknowledgement", one.detail(), letter) == []
    doc = Document(letters.to_docx(letter, tmp_path / "l.docx"))
    assert len(doc.inline_shapes) == 1
    page = pypdf.PdfReader(str(letters.to_pdf(letter, tmp_path / "l.pdf"))).pages[0]
    assert len(page.images) == 1
    assert logo.as_uri() in letters.to_html(letter)
    for bad in (tmp_path / "gone.png", tmp_path / "l.docx"):
        settings = dataclasses.replace(one.settings, organisation=dataclasses.replace(ORG, logo=str(bad)))
        letter = one.letter(settings=settings)
        assert [m.item for m in letters.check("acknowledgement", one.detail(), letter)] == ["organisation.logo"]
        assert letters.to_pdf(letter, tmp_path / "draft.pdf").is_file()  # a draft still prints, without it


def test_control_characters_pasted_into_stored_text_do_not_stop_any_format(one, tmp_path):
    detail = one.detail()
    pasted = dataclasses.replace(detail, resident=dataclasses.replace(detail.resident, name="Siân\x0b Ŵynne\x00-Jobs"))
    letter = letters.render(
        "acknowledgement",
        pasted,
        one.settings,
        one.today,
        overrides={"closing": "Call us <b>now</b> & \x1b[31mquote\x07 the reference."},
    )
    for fmt in letters.FORMATS:
        assert letters.save(letter, tmp_path / f"x.{fmt}").stat().st_size > 0
    assert "Ŵynne-Jobs" in docx_text(tmp_path / "x.docx") and "Ŵynne" in pdf_text(tmp_path / "x.pdf")
    assert "Call us &lt;b&gt;now&lt;/b&gt; &amp;" in (tmp_path / "x.html").read_text(encoding="utf-8")


KINDS = (
    "acknowledgement",
    "extension",
    "response",
    "not-accepted",
    "escalation-refused",
    "action-update",
    "remedy-offer",
)


@pytest.mark.parametrize("kind", KINDS)
def test_a_letter_to_an_mp_speaks_of_the_constituents_complaint_never_your_complaint(tmp_path, kind):
    import re

    w = One(tmp_path)
    case_id, _ = _mp_case(w)
    detail = case_detail(w.at(w.today), case_id)
    to_mp = " ".join(letters.render(kind, detail, w.settings, w.today).text.split())
    for wrong in ("your complaint", "you are not satisfied", "you disagree", "you told us", "you are unhappy"):
        assert wrong not in to_mp.lower(), f"{kind}: {wrong!r} in the MP's letter"
    # Every sentence saying "you" speaks to the MP, not of the resident's own rights or wishes.
    for sentence in re.findall(r"[^.]*\byou\b[^.]*\.", to_mp):
        resident_wording = (
            r"\byou (have the right|should normally|want|accept)\b|\bif you are\b|you can (ask us to|contact|refer)"
        )
        assert not re.search(resident_wording, sentence, re.I), f"{kind}: {sentence}"
    assert "your constituent" in to_mp.lower() or "Mr Dŵr Ellis" in to_mp
    # The resident's own copy still speaks to the resident.
    own = " ".join(letters.render(kind, detail, w.settings, w.today, recipient="resident").text.split())
    assert "constituent" not in own.lower().replace("your constituent mr", "")


def test_an_mp_acknowledgement_names_the_constituent_in_the_opening(tmp_path):
    w = One(tmp_path)
    case_id, _ = _mp_case(w)
    detail = case_detail(w.at(w.today), case_id)
    text = " ".join(letters.render("acknowledgement", detail, w.settings, w.today).text.split())
    assert "Thank you for your enquiry about Mr Dŵr Ellis's complaint, which we received on 1 December 2025." in text
    assert "We have logged your constituent's complaint at Stage 1 of our complaints procedure." in text
    assert "The outcomes your constituent is seeking:" in text
    assert "Alice Adams of our Complaints Team is dealing with your constituent's complaint." in text
    own = " ".join(letters.render("acknowledgement", detail, w.settings, w.today, recipient="resident").text.split())
    assert "We have logged your complaint at Stage 1" in own and "The outcomes you are seeking:" in own
