"""Letters: every template rendered for realistic cases driven through the services, the check
before issue (each missing item named), the right Ombudsman, adjustments and representatives,
council override templates, template errors, the three formats, and ``caseworker letter``.

The cases are built once per module on a SQLite file. Dates: December 2025, with Thu 25 and
Fri 26 December bank holidays in England and Wales.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from caseworker import letters
from caseworker.clock import Clock
from caseworker.config import Organisation, Settings
from caseworker.rules.facts import GROUND_LABELS, Decision, Definition, Extension, Ground, Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.case import case_detail

#: A council's own details: with the shipped example values no letter may be issued.
ORG = Organisation(
    name="Riverside Borough Council",
    address=("Town Hall", "Market Square", "Riverside", "RV1 1AA"),
    phone="01632 960000",
    email="complaints@riverside.example",
    website="www.riverside.example/complaints",
    complaints_team="Customer Resolution Team",
)
ORG_TOML = """[organisation]
name = "Riverside Borough Council"
address = ["Town Hall", "Market Square", "Riverside", "RV1 1AA"]
phone = "01632 960000"
email = "complaints@riverside.example"
website = "www.riverside.example/complaints"
complaints_team = "Customer Resolution Team"
"""

HOS_PHONE, LGSCO_PHONE = "0300 111 3000", "0300 061 0614"
HOS, LGSCO = "Housing Ombudsman Service", "Local Government and Social Care Ombudsman"


def d(day: int, month: int = 12, year: int = 2025) -> date:
    return date(year, month, day)


class World:
    """A database with officers, residents and cases at every point of the lifecycle."""

    def __init__(self, root: Path) -> None:
        from caseworker.store.migrate import open_store

        self.url = f"sqlite:///{root / 't.db'}"
        self.engine = open_store(self.url)
        self.settings = Settings(database_url=self.url, config_path=root / "none.toml", organisation=ORG)
        s = self.at(d(1))
        sv.current_officer(s, "admin", "Ada Admin")
        sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER)
        sv.add_officer(s, "admin", "bob", "Bob Brown", Role.OFFICER)
        sv.add_officer(s, "admin", "sue", "Sue Sharma", Role.SUPERVISOR)
        self.today = d(19)
        self.cases: dict[str, int] = {}
        self.snapshots: dict[str, object] = {}
        self._build()

    def at(self, day: date) -> Store:
        return Store(self.engine, self.settings, Clock.at(day))

    def detail(self, name: str, day: date | None = None):
        return case_detail(self.at(day or self.today), self.cases[name])

    def resident(self, name: str, **kw) -> int:
        kw.setdefault("address", "12 Elm Road, Exampletown, EX2 2BB")
        return sv.add_resident(self.at(d(1)), "alice", name, **kw)

    def log(self, resident: int, service_area: str = "Repairs", received: date | None = None, **kw):
        received = received or d(1)
        new = NewCase(
            CaseType.COMPLAINT, received, "phone", service_area, "Damp and mould", "Mould in the back bedroom"
        )
        return sv.log_case(self.at(received), "alice", resident, new, **kw)

    def _build(self) -> None:
        definition = Definition(
            "Mould in the back bedroom\nThe gutter above the kitchen leaks",
            "Mould treated and the gutter repaired\nCompensation for damaged belongings",
            "Repairs to the structure and the gutter",
            "Contents insurance for the resident's belongings",
        )
        # A: Stage 1, acknowledged, extended, then responded with remedies and an action.
        a = self.log(self.resident("Mrs Jane Smith", email="jane@example.org"))
        a = sv.acknowledge(self.at(d(3)), "alice", a.id, a.version, d(3), definition)
        a = sv.extend(
            self.at(d(10)),
            "alice",
            a.id,
            a.version,
            Extension(5, "We are waiting for a damp survey by our contractor.", d(10)),
        )
        self.cases["a"] = a.id
        self.snapshots["stage1-open"] = self.detail("a", d(10))
        s = self.at(d(12))
        sv.offer_remedy(s, "alice", a.id, "apology", "A written apology for the delay in the repair", d(22))
        sv.offer_remedy(
            s,
            "alice",
            a.id,
            "financial",
            "Compensation for distress and inconvenience",
            d(9, 1, 2026),
            amount_pence=15000,
            rationale="Failures that adversely affected you (band 2)",
        )
        sv.add_action(
            s, "alice", a.id, "Treat the mould and redecorate the back bedroom", "Repairs team", d(16, 1, 2026)
        )
        sv.respond(
            s,
            "alice",
            a.id,
            None,
            d(12),
            Decision.PARTLY_UPHELD,
            "The repair was reported on 2 October and was not carried out within our 20-day timescale.",
        )

        # B: Stage 1 not upheld (no remedy, no actions), escalated to Bob, then a Stage 2 final response.
        b = self.log(self.resident("Mr Tom Jones"))
        b = sv.acknowledge(self.at(d(2)), "alice", b.id, b.version, d(2), definition)
        b = sv.respond(
            self.at(d(9)),
            "alice",
            b.id,
            b.version,
            d(9),
            Decision.NOT_UPHELD,
            "The survey found no damp and the gutter was repaired on time.",
            no_remedy=True,
            no_actions=True,
        )
        self.cases["b"] = b.id
        self.snapshots["stage1-responded-no-remedy"] = self.detail("b", d(9))
        b = sv.request_stage2(self.at(d(10)), "alice", b.id, b.version, d(10))
        b = sv.assign(self.at(d(10)), "sue", b.id, b.version, "bob")
        b = sv.acknowledge(
            self.at(d(11)),
            "bob",
            b.id,
            b.version,
            d(11),
            Definition(
                "Whether the Stage 1 survey was adequate", "A second, independent survey", "Commissioning surveys"
            ),
        )
        self.snapshots["stage2-open"] = self.detail("b", d(11))
        s = self.at(d(19))
        sv.offer_remedy(s, "bob", b.id, "action", "An independent damp survey of the whole flat", d(16, 1, 2026))
        sv.respond(
            s,
            "bob",
            b.id,
            None,
            d(19),
            Decision.PARTLY_UPHELD,
            "The Stage 1 survey did not cover the bedroom wall where the mould is.",
            no_actions=True,
        )

        # C: a Council Tax complaint (LGSCO), acknowledged and extended.
        c = self.log(self.resident("Ms Priya Patel"), service_area="Council Tax")
        c = sv.acknowledge(
            self.at(d(3)),
            "alice",
            c.id,
            c.version,
            d(3),
            Definition("A council tax bill sent to the wrong address", "A corrected bill", "Council tax billing"),
        )
        sv.extend(
            self.at(d(10)),
            "alice",
            c.id,
            c.version,
            Extension(3, "We need records from our billing contractor.", d(10)),
        )
        self.cases["c"] = c.id

        # D: not accepted (legal proceedings). E: escalation refused (previously considered).
        e_res = self.resident("Mr Ali Khan")
        dd = self.log(e_res)
        sv.not_accept(
            self.at(d(4)),
            "alice",
            dd.id,
            dd.version,
            Ground.LEGAL_PROCEEDINGS,
            "Your solicitor filed a disrepair claim at the county court on 14 November.",
        )
        self.cases["d"] = dd.id
        e = self.log(e_res)
        e = sv.acknowledge(self.at(d(2)), "alice", e.id, e.version, d(2), definition)
        e = sv.respond(
            self.at(d(8)),
            "alice",
            e.id,
            e.version,
            d(8),
            Decision.NOT_UPHELD,
            "Fully answered.",
            no_remedy=True,
            no_actions=True,
        )
        e = sv.request_stage2(self.at(d(9)), "alice", e.id, e.version, d(9))
        sv.refuse_escalation(
            self.at(d(11)),
            "alice",
            e.id,
            e.version,
            Ground.PREVIOUSLY_CONSIDERED,
            "The same issues were considered in complaint CMP-000099, answered in March.",
        )
        self.cases["e"] = e.id

        # F: just logged, awaiting acknowledgement.
        self.cases["f"] = self.log(self.resident("Mr Sam Lee")).id

        # G: large print. H: a representative with consent, easy read, an advocate, email preferred.
        g_res = self.resident("Mrs Edna Green")
        sv.add_adjustment(self.at(d(1)), "alice", g_res, "Large print", d(1, 6, 2026), "sight loss")
        g = self.log(g_res)
        sv.acknowledge(self.at(d(3)), "alice", g.id, g.version, d(3), definition)
        self.cases["g"] = g.id
        h_res = self.resident("Mr Harold Wood", email="harold@example.org", preferred_channel="email")
        rep = sv.add_representative(
            self.at(d(1)),
            "alice",
            h_res,
            "Ms Rita Wood",
            relationship="daughter",
            address="3 Oak Lane\nOthertown\nOT1 1AA",
            email="rita@example.org",
            consent_recorded=True,
            consent_date=d(1),
        )
        sv.add_adjustment(self.at(d(1)), "alice", h_res, "Easy read", d(1, 6, 2026))
        sv.add_adjustment(self.at(d(1)), "alice", h_res, "Advocate", d(1, 6, 2026), "Pat Jones, Mind advocacy")
        h = self.log(h_res, representative_id=rep)
        sv.acknowledge(self.at(d(3)), "alice", h.id, h.version, d(3), definition)
        self.cases["h"] = h.id


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    w = World(tmp_path_factory.mktemp("letters"))
    yield w
    w.engine.dispose()


def render(world: World, kind: str, detail, **kw):
    return letters.render(kind, detail, kw.pop("settings", world.settings), world.today, **kw)


def items(missing) -> list[str]:
    return [m.item for m in missing]


def without(letter, *phrases: str):
    """The letter with every line mentioning one of ``phrases`` removed (as a careless template would)."""
    keep = [ln for ln in letter.text.splitlines() if not any(p.casefold() in ln.casefold() for p in phrases)]
    return dataclasses.replace(letter, text="\n".join(keep))


def flat(text: str) -> str:
    return " ".join(text.split())


# -- every template, every format, every stage ------------------------------------------------

READY = {
    "stage1-open": {"acknowledgement", "extension"},
    "stage1-responded": {"acknowledgement", "extension", "response", "action-update", "remedy-offer"},
    "stage1-responded-no-remedy": {"acknowledgement", "response"},
    "stage2-open": {"acknowledgement"},
    "stage2-responded": {"acknowledgement", "response", "remedy-offer"},
    "not-accepted": {"not-accepted"},
    "escalation-refused": {"escalation-refused"},
    "council-tax-extended": {"acknowledgement", "extension"},
}


SNAPSHOT_DAYS = {"stage1-open": d(10), "stage1-responded-no-remedy": d(9), "stage2-open": d(11)}


def scenario(world: World, name: str):
    by_case = {
        "stage1-responded": "a",
        "stage2-responded": "b",
        "not-accepted": "d",
        "escalation-refused": "e",
        "council-tax-extended": "c",
    }
    return world.snapshots[name] if name in world.snapshots else world.detail(by_case[name])


@pytest.mark.parametrize("name", sorted(READY))
def test_every_kind_renders_in_all_four_formats_and_the_right_ones_pass_the_check(world, name, tmp_path):
    import pypdf
    from docx import Document

    detail = scenario(world, name)
    on = SNAPSHOT_DAYS.get(name, world.today)  # a letter drafted on the day the case stood like this
    for kind in letters.KINDS:
        letter = letters.render(kind, detail, world.settings, on)
        assert letter.kind == kind and letter.reference == detail.header.reference
        assert letter.stage == detail.header.stage
        assert detail.header.reference in letter.text and "Yours sincerely" in letter.text
        html = letters.to_html(letter)
        assert html.startswith("<!DOCTYPE html>") and "</html>" in html
        path = letters.to_docx(letter, tmp_path / f"{kind}.docx")
        doc = Document(path)
        assert (round(doc.sections[0].page_width.mm), round(doc.sections[0].page_height.mm)) == (210, 297)
        assert doc.styles["Normal"].font.name == "Arial"
        assert detail.header.reference in "\n".join(p.text for p in doc.paragraphs)
        pdf = pypdf.PdfReader(str(letters.to_pdf(letter, tmp_path / f"{kind}.pdf")))
        pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert detail.resident.name in pdf_text and "Yours sincerely" in pdf_text
        missing = letters.check(kind, detail, letter)
        if kind in READY[name]:
            assert missing == [], f"{name} {kind}: {missing}"
        else:
            assert missing, f"{name} {kind} should not pass the check"


def test_stage1_response_contains_items_a_to_g(world):
    detail = world.detail("a")
    letter = render(world, "response", detail)
    text = flat(letter.text)
    assert "This is our Stage 1 response" in text  # a
    assert "Mould in the back bedroom" in text and "Mould treated and the gutter repaired" in text  # b
    assert "Your complaint is partly upheld." in text  # c
    assert "not carried out within our 20-day timescale" in text  # d
    assert "A written apology for the delay in the repair, by 22 December 2025" in text  # e
    assert "Compensation for distress and inconvenience: £150.00" in text and text.count("£150.00") == 1
    assert "Failures that adversely affected you (band 2)" in text
    assert "Treat the mould and redecorate the back bedroom (Repairs team), by 16 January 2026" in text  # f
    assert "escalate your complaint to Stage 2" in text and "You do not have to give reasons" in text  # g
    assert "Alice Adams" in text and "Customer Resolution Team" in text
    assert letter.subject == "Your complaint: our Stage 1 response (CMP-000001)"


def test_explicit_no_remedy_and_none(world):
    s1 = render(world, "response", world.snapshots["stage1-responded-no-remedy"])
    assert "No remedy is offered in this response." in s1.text
    assert "Outstanding actions: none." in s1.text
    s2 = render(world, "response", world.detail("b"))
    assert "Outstanding actions: none." in s2.text
    assert "An independent damp survey of the whole flat" in s2.text


def test_stage2_final_response_goes_to_the_ombudsman_with_the_time_limit(world):
    letter = render(world, "response", world.detail("b"))
    text = flat(letter.text)
    assert "This is our Stage 2 response, our final response" in text
    assert f"refer your complaint to the {HOS}" in text and HOS_PHONE in text
    assert "within 12 months" in text
    assert "PO Box 1484" in text  # the configured postal address
    assert "Bob Brown" in text and "Alice Adams" not in text
    assert "ask us to escalate" not in text


# -- the check: each item named -----------------------------------------------------------------


def test_stage1_response_with_no_reasons_is_refused_naming_reasons(world):
    detail = world.detail("a")
    stages = tuple(dataclasses.replace(s, reasons="") if s.number == 1 else s for s in detail.stages)
    bare = dataclasses.replace(detail, stages=stages)
    missing = letters.check("response", bare, render(world, "response", bare))
    assert items(missing) == ["reasons"]
    assert missing[0].code_ref == "6.9 d" and "reasons" in str(missing[0])


def _stage(detail, **changes):
    return dataclasses.replace(
        detail,
        stages=tuple(
            dataclasses.replace(s, **changes) if s.number == detail.header.stage else s for s in detail.stages
        ),
    )


DATA_GAPS = [
    ("definition", lambda dt: _stage(dt, issues="", outcomes=""), "6.9 b"),
    ("decision", lambda dt: _stage(dt, decision=""), "6.9 c"),
    ("reasons", lambda dt: _stage(dt, reasons="   "), "6.9 d"),
    ("remedy", lambda dt: dataclasses.replace(_stage(dt, no_remedy=False), remedies=()), "6.9 e"),
    ("actions", lambda dt: dataclasses.replace(_stage(dt, no_actions=False), actions=()), "6.9 f"),
]


@pytest.mark.parametrize("item,change,ref", DATA_GAPS, ids=[g[0] for g in DATA_GAPS])
def test_each_item_missing_from_the_case_record_is_named(world, item, change, ref):
    detail = change(world.detail("a"))
    missing = letters.check("response", detail, render(world, "response", detail))
    assert items(missing) == [item]
    assert missing[0].code_ref == ref


TEXT_GAPS = [
    ("stage", ("Stage 1",)),
    ("definition", ("Mould in the back bedroom",)),
    ("decision", ("partly upheld",)),
    ("reasons", ("20-day timescale",)),
    ("remedy", ("written apology",)),
    ("actions", ("redecorate",)),
    ("escalation", ("Stage 2",)),
]


@pytest.mark.parametrize("item,phrases", TEXT_GAPS, ids=[g[0] for g in TEXT_GAPS])
def test_each_item_missing_from_the_rendered_text_is_named(world, item, phrases):
    detail = world.detail("a")
    letter = without(render(world, "response", detail), *phrases)
    assert item in items(letters.check("response", detail, letter))


def test_an_upheld_decision_is_not_satisfied_by_not_upheld(world):
    detail = _stage(world.detail("a"), decision="upheld")
    letter = render(world, "response", detail)
    assert letters.check("response", detail, letter) == []
    fake = dataclasses.replace(letter, text=letter.text.replace("Your complaint is upheld.", "It is not upheld."))
    assert items(letters.check("response", detail, fake)) == ["decision"]


def test_explicit_none_and_no_remedy_are_required_in_the_text(world):
    detail = world.snapshots["stage1-responded-no-remedy"]
    letter = without(render(world, "response", detail), "No remedy", "Outstanding actions: none")
    assert items(letters.check("response", detail, letter)) == ["remedy", "actions"]


def test_stage2_response_without_the_ombudsman_is_refused(world):
    detail = world.detail("b")
    letter = without(render(world, "response", detail), HOS, HOS_PHONE)
    missing = letters.check("response", detail, letter)
    assert items(missing) == ["ombudsman"] and missing[0].code_ref == "6.19 g"


def test_an_officers_edit_that_blanks_the_reasons_is_refused(world):
    detail = world.detail("a")
    letter = render(world, "response", detail, overrides={"reasons_text": "  "})
    assert items(letters.check("response", detail, letter)) == ["reasons"]


def test_officers_edits_replace_free_text_parts(world):
    detail = world.detail("a")
    defaults = letters.free_text("response", detail, world.settings, world.today)
    assert list(defaults) == ["opening", "reasons_text", "closing"]
    assert defaults["reasons_text"].startswith("The repair was reported on 2 October")
    letter = render(
        world,
        "response",
        detail,
        overrides={
            "opening": "I am sorry it has taken us so long.",
            "reasons_text": "Our contractor missed two appointments.",
            "closing": "Call me directly on 01234 567891.",
        },
    )
    assert "I am sorry it has taken us so long." in letter.text
    assert "Our contractor missed two appointments." in letter.text
    assert "20-day timescale" not in letter.text
    assert letter.fields["reasons_text"] == "Our contractor missed two appointments."
    assert letters.check("response", detail, letter) == []
    with pytest.raises(ValueError, match="no free-text part 'signature'"):
        render(world, "response", detail, overrides={"signature": "x"})


def test_acknowledgement_before_the_complaint_is_defined_is_refused(world):
    detail = world.detail("f")
    missing = letters.check("acknowledgement", detail, render(world, "acknowledgement", detail))
    assert {"definition", "responsibility"} <= set(items(missing))
    # The response date is known before the acknowledgement (10 WD after the date it is due,
    # Code 6.3: a late acknowledgement buys no time), so the letter can already state it.
    assert "response date" not in set(items(missing))


def test_acknowledgement_at_each_stage(world):
    s1 = render(world, "acknowledgement", world.snapshots["stage1-open"])
    text = flat(s1.text)
    assert "The issues we will look into: - Mould in the back bedroom" in text
    assert "What we are not responsible for: - Contents insurance" in text
    assert "Alice Adams of our Customer Resolution Team is dealing with your complaint" in text
    assert "by Wednesday 24 December 2025" in text  # 10 WD after 3 Dec, plus the 5 WD extension
    s2 = render(world, "acknowledgement", world.snapshots["stage2-open"])
    text = flat(s2.text)
    assert "Your complaint is now at Stage 2" in text and "Whether the Stage 1 survey was adequate" in text
    assert "Bob Brown" in text and "not involved in considering it at Stage 1" in text
    assert "our final response by" in text


def test_remedy_offer_and_action_update(world):
    detail = world.detail("a")
    offer = flat(render(world, "remedy-offer", detail).text)
    assert "Compensation for distress and inconvenience: £150.00. We will do this by 9 January 2026." in offer
    assert "Why: Failures that adversely affected you (band 2)" in offer
    update = render(world, "action-update", detail)
    assert "Treat the mould and redecorate the back bedroom (Repairs team): due by 16 January 2026." in update.text
    assert items(
        letters.check("action-update", world.detail("b"), render(world, "action-update", world.detail("b")))
    ) == ["actions"]
    bare = dataclasses.replace(detail, remedies=())
    assert items(letters.check("remedy-offer", bare, render(world, "remedy-offer", bare))) == ["remedy"]


# -- the Ombudsman: always on extensions, chosen by service area ------------------------------


def test_extension_letter_has_the_housing_ombudsman_for_repairs(world):
    letter = render(world, "extension", world.snapshots["stage1-open"])
    text = flat(letter.text)
    assert HOS in text and HOS_PHONE in text and "www.housing-ombudsman.org.uk" in text
    assert "We are waiting for a damp survey by our contractor." in text
    assert (
        "by Wednesday 24 December 2025. That is 5 working days later than the date we first gave you, "
        "Wednesday 17 December 2025."
    ) in text
    assert LGSCO not in text


def test_extension_letter_has_the_lgsco_for_council_tax(world):
    detail = world.detail("c")
    letter = render(world, "extension", detail)
    text = flat(letter.text)
    assert LGSCO in text and LGSCO_PHONE in text and "PO Box 4771, Coventry, CV4 0EH" in text
    assert HOS not in text
    assert letters.check("extension", detail, letter) == []


def test_extension_letter_without_the_ombudsman_is_refused(world):
    detail = world.detail("c")
    letter = without(render(world, "extension", detail), LGSCO_PHONE)
    missing = letters.check("extension", detail, letter)
    assert items(missing) == ["ombudsman"] and missing[0].code_ref == "6.5"


def test_extension_letter_with_no_extension_recorded_still_has_the_ombudsman(world):
    detail = world.detail("f")
    letter = render(world, "extension", detail)
    assert HOS_PHONE in letter.text
    assert items(letters.check("extension", detail, letter)) == ["extension"]


def test_configured_ombudsman_details_are_used(world):
    hos = dataclasses.replace(world.settings.ombudsmen["hos"], address=("PO Box 152", "Liverpool", "L33 7WQ"))
    settings = dataclasses.replace(world.settings, ombudsmen={**world.settings.ombudsmen, "hos": hos})
    letter = render(world, "extension", world.snapshots["stage1-open"], settings=settings)
    assert "PO Box 152, Liverpool, L33 7WQ" in letter.text and "Preston" not in letter.text


# -- refusals ---------------------------------------------------------------------------------


def test_not_accepted_letter_has_ground_reasons_and_ombudsman(world):
    detail = world.detail("d")
    letter = render(world, "not-accepted", detail)
    text = flat(letter.text)
    assert GROUND_LABELS[Ground.LEGAL_PROCEEDINGS] in text
    assert "filed a disrepair claim at the county court" in text
    assert f"right to take our decision not to accept your complaint to the {HOS}" in text and HOS_PHONE in text
    assert letters.check("not-accepted", detail, letter) == []
    assert items(letters.check("not-accepted", detail, without(letter, "legal proceedings"))) == ["ground"]
    assert items(letters.check("not-accepted", detail, without(letter, "county court"))) == ["reasons"]
    assert items(letters.check("not-accepted", detail, without(letter, HOS))) == ["ombudsman"]


def test_escalation_refused_letter_has_ground_reasons_and_ombudsman(world):
    detail = world.detail("e")
    letter = render(world, "escalation-refused", detail)
    text = flat(letter.text)
    assert GROUND_LABELS[Ground.PREVIOUSLY_CONSIDERED] in text
    assert "considered in complaint CMP-000099" in text
    assert HOS in text and HOS_PHONE in text and "within 12 months" in text
    assert letters.check("escalation-refused", detail, letter) == []
    no_reasons = dataclasses.replace(
        detail, exclusions=tuple(dataclasses.replace(x, reasons="") for x in detail.exclusions)
    )
    missing = letters.check("escalation-refused", no_reasons, render(world, "escalation-refused", no_reasons))
    assert items(missing) == ["reasons"] and missing[0].code_ref == "5.11"


# -- adjustments and representatives ----------------------------------------------------------


def test_large_print_letters(world, tmp_path):
    from docx import Document
    from docx.shared import Pt

    detail = world.detail("g")
    letter = render(world, "acknowledgement", detail)
    assert letter.large_print is True
    assert "This letter is in large print, as agreed with you." in letter.covering_note
    assert "About this letter" in letter.text and "large print" in letter.text
    html = letters.to_html(letter)
    assert "font-size: 18pt" in html and 'class="large-print"' in html
    doc = Document(letters.to_docx(letter, tmp_path / "large.docx"))
    assert doc.styles["Normal"].font.size == Pt(18)
    assert doc.styles["Heading 2"].font.size >= Pt(18)
    standard = render(world, "acknowledgement", world.detail("a"))
    assert standard.large_print is False and "font-size: 12pt" in letters.to_html(standard)


def test_representative_with_consent_receives_the_letter(world):
    detail = world.detail("h")
    letter = render(world, "acknowledgement", detail)
    assert letter.addressee.name == "Ms Rita Wood"
    assert letter.addressee.on_behalf_of == "Mr Harold Wood"
    assert letter.addressee.address == ("3 Oak Lane", "Othertown", "OT1 1AA")
    text = letter.text
    assert "Ms Rita Wood\nOn behalf of Mr Harold Wood\n3 Oak Lane" in text
    assert "Dear Ms Rita Wood" in text
    assert "on behalf of Mr Harold Wood, who has agreed that you may act for them" in flat(letter.covering_note)
    # Dated 19 December, it would promise a response by 17 December: refused, with the reason.
    assert [(m.item, m.code_ref) for m in letters.check("acknowledgement", detail, letter)] == [
        ("response date", "6.2")
    ]
    earlier = letters.render("acknowledgement", detail, world.settings, d(10))
    assert letters.check("acknowledgement", detail, earlier) == []


def test_preferred_channel_advocate_and_easy_read(world):
    letter = render(world, "acknowledgement", world.detail("h"))
    note = flat(letter.covering_note)
    assert letter.addressee.channel == "email" and "By email: rita@example.org" in letter.text
    # Rita acts for Mr Wood: the email preference is his, and the note says so.
    assert "We are sending this letter by email to rita@example.org, as Mr Harold Wood asked." in note
    assert "copy of this letter to Mr Harold Wood's advocate, Pat Jones, Mind advocacy" in note
    assert letter.addressee.copies == ("Pat Jones, Mind advocacy (advocate)",)
    assert "Copy to: Pat Jones, Mind advocacy (advocate)" in letter.text
    assert note.startswith("In short: We have got your complaint. Alice Adams will look into it.")
    plain = render(world, "acknowledgement", world.detail("a"))
    assert plain.covering_note == "" and "About this letter" not in plain.text
    assert plain.addressee.channel == "post"


def test_a_representative_without_consent_does_not_receive_letters(world):
    detail = world.detail("h")
    rep = dataclasses.replace(detail.representative, consent_recorded=False)
    letter = render(world, "acknowledgement", dataclasses.replace(detail, representative=rep))
    assert letter.addressee.name == "Mr Harold Wood" and letter.addressee.on_behalf_of == ""


# -- council templates and template errors ----------------------------------------------------

COUNCIL_RESPONSE = """{% extends "_base.j2" %}
{% block body %}
{{ heading("Westshire response, Stage " ~ stage) }}
Issues: {{ issues|join("; ") }}. Outcomes: {{ outcomes|join("; ") }}.
Decision: your complaint is {{ decision_label }}.
{{ reasons_text }}
{% for r in remedies %}
- {{ r.description }}
{% endfor %}
{% if no_remedy %}No remedy.{% endif %}

{% for a in actions %}
- {{ a.description }}
{% endfor %}
{% if no_actions %}Outstanding actions: none.{% endif %}

Not happy? Ask for Stage 2 on {{ org.phone }}.
{% endblock %}
"""


def test_a_council_folder_overrides_templates_by_name(world, tmp_path):
    (tmp_path / "response.j2").write_text(COUNCIL_RESPONSE, encoding="utf-8")
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path)
    detail = world.detail("a")
    letter = render(world, "response", detail, settings=settings)
    assert "Westshire response, Stage 1" in letter.text
    assert "Not happy? Ask for Stage 2 on 01632 960000." in letter.text
    assert "Riverside Borough Council" in letter.text  # the shipped _base.j2 still lays it out
    assert letters.check("response", detail, letter) == []
    ext = render(world, "extension", world.snapshots["stage1-open"], settings=settings)
    assert "Why we need more time" in ext.text  # kinds the council did not override are the shipped ones


def test_a_council_template_that_leaves_an_item_out_is_refused(world, tmp_path):
    (tmp_path / "response.j2").write_text(COUNCIL_RESPONSE.replace("{{ reasons_text }}\n", ""), encoding="utf-8")
    (tmp_path / "extension.j2").write_text(
        '{% extends "_base.j2" %}{% block body %}We need until {{ response_due|long_date }}: {{ reasons_text }}'
        "{% endblock %}",
        encoding="utf-8",
    )
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path)
    detail = world.detail("a")
    assert items(letters.check("response", detail, render(world, "response", detail, settings=settings))) == ["reasons"]
    opened = world.snapshots["stage1-open"]
    missing = letters.check("extension", opened, render(world, "extension", opened, settings=settings))
    assert items(missing) == ["ombudsman"]


def test_a_relative_council_folder_is_found_beside_the_configuration_file(world, tmp_path):
    (tmp_path / "council").mkdir()
    (tmp_path / "council" / "response.j2").write_text(COUNCIL_RESPONSE, encoding="utf-8")
    settings = dataclasses.replace(
        world.settings, letter_templates=Path("council"), config_path=tmp_path / "config.toml"
    )
    assert "Westshire response" in render(world, "response", world.detail("a"), settings=settings).text


def test_a_missing_council_folder_is_reported(world, tmp_path):
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path / "nowhere")
    with pytest.raises(letters.LetterTemplateError, match="does not exist"):
        render(world, "response", world.detail("a"), settings=settings)


def test_an_undefined_variable_is_reported_with_template_and_line(world, tmp_path):
    (tmp_path / "response.j2").write_text(
        '{% extends "_base.j2" %}\n{% block body %}\nDecision: {{ decision_label }}\nPayment: {{ payment_amount }}\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path)
    with pytest.raises(letters.LetterTemplateError) as caught:
        render(world, "response", world.detail("a"), settings=settings)
    err = caught.value
    assert err.template == "response.j2" and err.lineno == 4
    assert "response.j2, line 4" in str(err) and "payment_amount" in str(err) and "undefined" in str(err)


def test_an_undefined_attribute_in_the_shipped_base_is_reported_there(world, tmp_path):
    (tmp_path / "_base.j2").write_text(
        "{{ org.name }}\n{{ org.fax_number }}\n{% block body %}{% endblock %}\n", encoding="utf-8"
    )
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path)
    with pytest.raises(letters.LetterTemplateError) as caught:
        render(world, "extension", world.detail("c"), settings=settings)
    assert caught.value.template == "_base.j2" and caught.value.lineno == 2 and "fax_number" in str(caught.value)


def test_a_template_syntax_error_is_reported_with_template_and_line(world, tmp_path):
    (tmp_path / "remedy_offer.j2").write_text("line one\n\n{% if remedies %}\nno end\n", encoding="utf-8")
    settings = dataclasses.replace(world.settings, letter_templates=tmp_path)
    with pytest.raises(letters.LetterTemplateError) as caught:
        render(world, "remedy-offer", world.detail("a"), settings=settings)
    assert caught.value.template == "remedy_offer.j2" and caught.value.lineno
    assert str(caught.value).startswith("letter template remedy_offer.j2, line")


def test_unknown_kind(world):
    with pytest.raises(letters.UnknownLetterKind, match="choose one of acknowledgement"):
        render(world, "apology", world.detail("a"))


def test_shipped_templates_are_found_inside_the_package():
    import caseworker

    folder = letters.shipped_templates()
    # Package data of the caseworker under test (site-packages when the wheel is tested), never
    # a folder of the source checkout beside it.
    assert folder.is_relative_to(Path(caseworker.__file__).resolve().parent)
    for name in letters.TEMPLATES.values():
        assert (folder / name).is_file()
    assert (folder / "_base.j2").is_file()


# -- formats ----------------------------------------------------------------------------------


def test_docx_opens_again_with_its_text(world, tmp_path):
    from docx import Document

    letter = render(world, "response", world.detail("b"))
    doc = Document(letters.to_docx(letter, tmp_path / "r.docx"))
    cells = [p.text for t in doc.tables for c in t.rows[0].cells for p in c.paragraphs]
    text = "\n".join(cells + [p.text for p in doc.paragraphs])
    assert "Your complaint: our Stage 2 response (CMP-000002)" in text
    assert "Your complaint is partly upheld." in text
    assert HOS_PHONE in text and "within 12 months" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Our decision" in headings and "The reasons for our decision" in headings
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert any("An independent damp survey of the whole flat" in b for b in bullets)
    assert doc.core_properties.title == letter.subject
    assert "Mr Tom Jones\n12 Elm Road\nExampletown\nEX2 2BB" in text  # address lines kept as line breaks


def test_html_escapes_user_text(world):
    detail = world.detail("a")
    letter = render(
        world,
        "response",
        detail,
        overrides={"reasons_text": 'The contractor\'s note said <script>alert("x")</script> & "no access".'},
    )
    html = letters.to_html(letter)
    assert "<script>" not in html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;no access&#34;" in html
    )  # markupsafe (inert.html)
    assert "<h2>Our decision</h2>" in html and "<li>" in html


def test_text_structure_blocks():
    blocks = letters.blocks("Head\nLine 2\n\nTitle\n=====\n\nSection\n-------\n- one\n  more\n- two\nPara\n")
    assert [(b.kind, b.lines) for b in blocks] == [
        ("para", ["Head", "Line 2"]),
        ("h1", ["Title"]),
        ("h2", ["Section"]),
        ("bullets", ["one more", "two"]),
        ("para", ["Para"]),
    ]


def test_save_picks_the_format_from_the_extension(world, tmp_path):
    letter = render(world, "extension", world.detail("c"))
    assert letters.save(letter, tmp_path / "x.txt").read_text(encoding="utf-8") == letter.text
    assert letters.save(letter, tmp_path / "x.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert letters.save(letter, tmp_path / "x.docx").stat().st_size > 0
    assert letters.save(letter, tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match=r"\.txt, \.html, \.docx or \.pdf"):
        letters.save(letter, tmp_path / "x.odt")


# -- issued letters are kept in the case record and its timeline ------------------------------


def test_an_issued_letter_appears_in_the_timeline(world):
    detail = world.detail("c")
    letter = render(world, "extension", detail)
    assert letters.check("extension", detail, letter) == []
    cid = sv.issue_letter(
        world.at(world.today), "alice", detail.header.id, letter.kind, letter.subject, letters.to_text(letter)
    )
    after = world.detail("c")
    stored = next(c for c in after.correspondence if c.id == cid)
    assert stored.kind == "letter" and stored.letter_kind == "extension" and stored.direction == "out"
    assert stored.body == letter.text and stored.subject == letter.subject
    assert any(
        t.source == "correspondence" and t.source_id == cid and t.detail == letter.subject for t in after.timeline
    )
    # The "letter issued" audit event is kept; the timeline shows the letter itself in its place.
    from sqlmodel import Session, select

    from caseworker.store.models import AuditEvent

    with Session(world.at(world.today).engine) as session:
        issued = session.exec(
            select(AuditEvent).where(AuditEvent.case_id == detail.header.id, AuditEvent.action == "letter issued")
        ).all()
    assert [e.detail for e in issued] == [letter.subject]
    assert not any(t.what == "letter issued" for t in after.timeline)


# -- caseworker letter ------------------------------------------------------------------------


@pytest.fixture
def cli_env(world, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(ORG_TOML, encoding="utf-8")
    monkeypatch.setenv("CASEWORKER_CONFIG", str(config))
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", world.url)
    monkeypatch.setenv("CASEWORKER_TODAY", world.today.isoformat())
    from caseworker.cli import main

    return main


def test_cli_prints_a_letter_that_passes(cli_env, world, capsys):
    assert cli_env(["letter", "CMP-000001", "response"]) == 0
    out = capsys.readouterr().out
    assert "Your complaint is partly upheld." in out and "Date: 19 December 2025" in out


def test_cli_writes_html_and_docx(cli_env, tmp_path, capsys):
    from docx import Document

    assert cli_env(["letter", "cmp-000002", "response", "--format", "html,docx", "--out", str(tmp_path / "o")]) == 0
    html, docx = tmp_path / "o" / "CMP-000002-response.html", tmp_path / "o" / "CMP-000002-response.docx"
    assert capsys.readouterr().out.split() == [str(html), str(docx)]
    assert "<h2>Our decision</h2>" in html.read_text(encoding="utf-8")
    assert "Your complaint is partly upheld." in "\n".join(p.text for p in Document(docx).paragraphs)


def test_cli_refuses_a_letter_with_something_missing_and_writes_nothing(cli_env, tmp_path, capsys):
    out = tmp_path / "out"
    # CMP-000003 (Council Tax) is still open at Stage 1: no decision, reasons, remedy or actions yet.
    assert cli_env(["letter", "CMP-000003", "response", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    lines = [ln for ln in err.splitlines() if ln.startswith("cannot issue: missing")]
    assert [re.match(r"cannot issue: missing (\w+)", ln).group(1) for ln in lines] == [
        "decision",
        "reasons",
        "remedy",
        "actions",
    ]
    assert "(Code 6.9 d)" in err


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["letter", "CMP-999999", "response"], "no case with reference 'CMP-999999'"),
        (["letter", "CMP-000001", "apology"], "unknown letter kind 'apology': choose one of acknowledgement"),
        (["letter", "CMP-000001", "response", "--format", "docx"], "give a folder"),
        (["letter", "CMP-000001", "response", "--format", "txt,odt"], "unknown format 'odt'"),
    ],
)
def test_cli_unknown_reference_kind_or_format_exits_2(cli_env, capsys, argv, fragment):
    assert cli_env(argv) == 2
    assert fragment in capsys.readouterr().err


# -- content that matches the record -----------------------------------------------------------


def test_no_letter_prints_an_internal_code(world):
    from caseworker.rules.facts import CaseType as CT
    from caseworker.rules.facts import Decision as Dec
    from caseworker.rules.facts import RemedyKind, RemedyState, Status

    codes = {
        str(v)
        for enum in (CT, Dec, Ground, RemedyKind, RemedyState, Status)
        for v in enum
        if "-" in str(v) or "_" in str(v)
    }
    for name in READY:
        for kind in letters.KINDS:
            text = letters.render(
                kind, scenario(world, name), world.settings, SNAPSHOT_DAYS.get(name, world.today)
            ).text
            assert not [c for c in codes if re.search(rf"(?<![\w/-]){re.escape(c)}(?![\w/-])", text)], (name, kind)
            assert not re.search(r"\.[,;]|\.\.(?!\.)|,\.", text), (name, kind)


def test_about_this_letter_follows_the_salutation(world):
    text = render(
        world,
        "acknowledgement",
        world.detail("g"),
    ).text
    assert text.index("Dear ") < text.index("About this letter")


def test_descriptions_ending_in_a_full_stop_join_cleanly(world):
    detail = world.detail("a")
    dotted = dataclasses.replace(
        detail,
        remedies=tuple(dataclasses.replace(r, description=r.description + ".") for r in detail.remedies),
        actions=tuple(dataclasses.replace(a, description=a.description + ".") for a in detail.actions),
    )
    for kind in ("response", "remedy-offer", "action-update"):
        letter = render(world, kind, dotted)
        assert not re.search(r"\.[,;:]|\.\.(?!\.)|\. \(", letter.text), kind
        assert letters.check(kind, dotted, letter) == [], kind
    assert "A written apology for the delay in the repair, by 22 December 2025." in flat(
        render(world, "response", dotted).text
    )


def test_remedy_offer_lists_only_what_is_still_offered_and_says_what_is_settled(world):
    detail = world.detail("a")
    apology, money = detail.remedies  # offered on 12 December: an apology, and £150.00 compensation
    paid = dataclasses.replace(money, state="paid", accepted_on=d(15), paid_on=d(17))
    letter = render(world, "remedy-offer", dataclasses.replace(detail, remedies=(apology, paid)))
    text = flat(letter.text)
    offer = text[text.index("What we will do to put things right") : text.index("What we have already agreed")]
    assert apology.description in offer and "Compensation" not in offer
    assert (
        "Compensation for distress and inconvenience: £150.00 (you accepted this on 15 December 2025; "
        "paid on 17 December 2025)."
    ) in text
    assert text.count("£150.00") == 1
    everything_settled = dataclasses.replace(detail, remedies=(paid,))
    settled = flat(render(world, "remedy-offer", everything_settled).text)
    assert "What we will do to put things right" not in settled and "whether you accept" not in settled
    assert letters.check("remedy-offer", everything_settled, render(world, "remedy-offer", everything_settled)) == []


def test_an_amount_already_in_the_description_is_printed_once(world):
    detail = world.detail("a")
    apology, money = detail.remedies
    money = dataclasses.replace(money, description="£150.00 compensation for distress")
    text = render(world, "response", dataclasses.replace(detail, remedies=(apology, money))).text
    assert text.count("£150.00") == 1 and "£150.00 compensation for distress, by 9 January 2026." in flat(text)


def test_two_extensions_give_the_total_against_the_original_date_and_every_reason(world):
    from caseworker.store.queries.case_model import ExtensionInfo

    detail = world.snapshots["stage1-open"]  # response first due Wednesday 17 December 2025
    st = detail.stages[0]
    first = ExtensionInfo(1, 10, "We are waiting for a damp survey.", "", "", False, d(10), d(10), "alice")
    second = ExtensionInfo(
        2,
        5,
        "The surveyor found asbestos.",
        "The Ombudsman's guidance allows more time for a specialist survey.",
        "sue",
        True,
        d(16),
        d(16),
        "alice",
    )
    # 17 December + 15 working days (25, 26 December and 1 January are bank holidays): Monday 12 January 2026.
    st = dataclasses.replace(st, extensions=(first, second), response_due=date(2026, 1, 12))
    twice = dataclasses.replace(detail, stages=(st,))
    letter = letters.render("extension", twice, world.settings, d(16))
    text = flat(letter.text)
    assert "by Monday 12 January 2026" in text
    assert (
        "We have extended the time for our response 2 times, by 15 working days in all: we first said we would "
        "respond by Wednesday 17 December 2025."
    ) in text
    for reason in (first.reason, second.reason, second.good_reason):
        assert reason in text
    assert HOS in text and HOS_PHONE in text
    assert letters.check("extension", twice, letter) == []
    dropped = letters.render("extension", twice, world.settings, d(16), overrides={"reasons_text": first.reason})
    assert items(letters.check("extension", twice, dropped)) == ["reason"]


def test_a_stage2_response_names_every_open_action_and_the_stage1_remedy(world):
    from caseworker.store.queries.case_model import ActionInfo, RemedyInfo

    detail = world.detail("b")  # Stage 2 answered with no_actions=True
    open1 = ActionInfo(
        90, 1, "Clear the gutter above the kitchen", "Repairs team", d(30, 1, 2026), False, None, False, ()
    )
    offered1 = RemedyInfo(
        91,
        1,
        "apology",
        "An apology for the missed survey appointment",
        d(22),
        None,
        "",
        "",
        "",
        "offered",
        d(9),
        None,
        None,
        None,
        None,
    )
    both = dataclasses.replace(detail, actions=(open1,), remedies=(*detail.remedies, offered1))
    letter = render(world, "response", both)
    text = flat(letter.text)
    assert (
        "This action is still to be completed. We will keep you updated until it is done: - Clear the gutter "
        "above the kitchen (Repairs team), by 30 January 2026 (agreed at Stage 1)."
    ) in text
    assert "Outstanding actions: none" not in text
    assert (
        "What we offered at Stage 1 still stands: - Apology: An apology for the missed survey appointment (offered)."
    ) in text
    refused = letters.check("response", both, letter)
    assert [(m.item, m.code_ref) for m in refused] == [("actions", "6.19 f, 6.17")]
    assert "1 is still open on the case: Clear the gutter above the kitchen" in refused[0].label


def test_an_action_owned_by_an_officer_is_shown_by_name_never_login(world):
    detail = world.detail("a")
    s = world.at(world.today)
    sv.add_action(s, "alice", detail.header.id, "Inspect the roof", "bob", d(30, 1, 2026))
    detail = world.detail("a")
    for kind in ("response", "action-update"):
        text = render(world, kind, detail).text
        assert "Inspect the roof (Bob Brown)" in text and "(bob)" not in text
    for login in ("alice", "bob", "sue", "admin"):
        for kind in letters.KINDS:
            assert not re.search(rf"\b{login}\b", render(world, kind, detail).text), (login, kind)


def test_a_response_lists_completed_actions_apart_from_those_still_open(world):
    detail = world.detail("a")
    (treat,) = [a for a in detail.actions if a.description.startswith("Treat the mould")]
    done = dataclasses.replace(treat, done=True, completed_on=d(18))
    text = flat(render(world, "response", dataclasses.replace(detail, actions=(done,))).text)
    assert "still to be completed" not in text
    assert (
        "Outstanding actions: none. Already completed: - Treat the mould and redecorate the back bedroom: "
        "completed on 18 December 2025." in text
    )
