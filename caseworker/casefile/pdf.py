"""The case file as an A4 PDF on the shared writer (:mod:`caseworker.a4pdf`: DejaVu Sans shipped,
tagged headings and paragraphs): a cover, a contents page, then one section per part of the
record. Stored text is written as plain text (never parsed as markup)."""

from __future__ import annotations

from datetime import date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.outline import OutlineSection

from caseworker import labels
from caseworker.a4pdf import FONT_FAMILY, A4Pdf
from caseworker.casefile.build import CaseFileRecord
from caseworker.clock import local
from caseworker.rules.calendar import short_date
from caseworker.rules.remedy_record import basis_in_words, guidance_name, kind_label


class CaseFilePDF(A4Pdf):
    """The shared A4 writer with the case file's own helpers: sections on new pages, label/value lines."""

    def __init__(self, reference: str, author: str) -> None:
        super().__init__(
            f"Case file {reference}",
            author=author,
            subject="Complaint case file (Code 5.12)",
            font_pt=10,
            footer=f"{reference} · case file",
        )
        self.reference = reference

    def section(self, text: str) -> None:
        """A numbered part of the file: a new page, a level-1 heading (in the contents and outline)."""
        self.add_page()
        self.heading(text, 1)

    def sub(self, text: str) -> None:
        self.heading(text, 2)

    def para(self, text: str, size: float | None = None, bold: bool = False) -> None:
        self.paragraph(text or " ", pt=size, bold=bold, space_after=False)

    def pair(self, label: str, value: str, size: float | None = None) -> None:
        self.paragraph(f"{label}: {value or '–'}", pt=size, space_after=False)

    def gap(self, mm: float = 2.5) -> None:
        self.ln(mm)


def _d(day: date | None) -> str:
    return short_date(day) if day else "–"


def _dt(at: datetime | None) -> str:
    return "(time not recorded)" if at is None else local(at).strftime("%a %d %b %Y %H:%M")


def _money(pence: int | None) -> str:
    return f"£{pence / 100:,.2f}" if pence is not None else ""


def _who(record: CaseFileRecord, login: str) -> str:
    name = record.officers.get(login)
    return f"{name} ({login})" if name and name != login else login or "–"


def _toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.cell(0, 10, "Contents", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "", 11)
    for section in outline:
        if section.level:
            continue
        pdf.cell(150, 7, section.name)
        pdf.cell(0, 7, str(section.page_number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(record: CaseFileRecord, manifest: list[tuple[str, str]]) -> bytes:
    """The case file PDF's bytes."""
    d = record.detail
    h = d.header
    pdf = CaseFilePDF(h.reference, record.generated_by or "caseworker")
    pdf.add_page()
    pdf.para(f"Case file {h.reference}", size=20, bold=True)
    pdf.gap(3)
    pdf.pair("Resident", d.resident.name)
    if d.representative:
        pdf.pair("Representative", f"{d.representative.name} ({d.representative.relationship})".replace(" ()", ""))
    pdf.pair("Type", labels.case_type(h.case_type))
    pdf.pair("Received", _d(h.received))
    pdf.pair("Stage and status", f"Stage {h.stage}, {labels.status(h.status)}")
    pdf.pair("Officer", _who(record, h.officer_login))
    pdf.pair("Produced", f"{_dt(record.generated_at)} by {_who(record, record.generated_by)}")
    pdf.pair("Attachments", f"{len(record.documents)} in {h.reference}-documents.zip (SHA-256 manifest inside)")
    pdf.gap(4)
    pdf.para(
        "The complete complaint record kept under the Complaint Handling Code 2024 (paragraph 5.12): "
        "every event in date order, the complaint definition, letters as issued, notes and correspondence, "
        "updates to the resident, documents, adjustments, remedies and actions.",
        size=9,
    )
    pdf.insert_toc_placeholder(_toc, pages=1)

    _definition(pdf, record)
    _chronology(pdf, record)
    _letters(pdf, record)
    _correspondence(pdf, record)
    _updates(pdf, record)
    _documents(pdf, record, manifest)
    _adjustments(pdf, record)
    _remedies(pdf, record)
    _actions(pdf, record)
    return bytes(pdf.output())


def _definition(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    d, h = record.detail, record.detail.header
    pdf.section("1. The complaint and its definition")
    pdf.pair("Service area", h.service_area)
    pdf.pair("Category", h.category)
    pdf.pair("Channel", h.channel)
    if h.service_request:
        sr = record.service_request
        if sr is None:
            pdf.pair("Raised from service request", h.service_request)
        else:
            state = f"closed {_d(sr.closed_on)}: {sr.outcome.rstrip('.')}" if sr.status == "closed" else "still open"
            pdf.pair(
                "Raised from service request",
                f"{sr.reference}, received {_d(sr.received)} ({sr.service_area}), owner {_who(record, sr.owner)}, "
                f"{state}. Asked for: {sr.description}",
            )
    if h.related_case:
        pdf.pair("Split from case", h.related_case)
    if h.linked_cases:
        pdf.pair("Linked cases", ", ".join(h.linked_cases))
    if h.discretion_reason:
        pdf.pair("Accepted out of time because", h.discretion_reason)
    pdf.pair("What the resident said", h.summary)
    for st in d.stages:
        pdf.gap()
        pdf.sub(f"Stage {st.number}")
        pdf.pair("Officer", _who(record, st.officer_login))
        pdf.pair("Requested / received", _d(st.requested))
        if st.request_reason:
            pdf.pair("Reason given", st.request_reason)
        pdf.pair("Acknowledged", f"{_d(st.acknowledged)} (due {_d(st.ack_due)})")
        pdf.pair("Complaint definition", st.issues)
        pdf.pair("Outcomes sought", st.outcomes)
        pdf.pair("Landlord responsible for", st.responsible)
        pdf.pair("Not responsible for", st.not_responsible)
        for e in st.extensions:
            extra = f"; good reason: {e.good_reason}; approved by {e.approved_by}" if e.good_reason else ""
            pdf.pair(
                "Extension",
                f"{e.working_days} working days, recorded {_d(e.recorded_on)} by {e.recorded_by}, "
                f"resident told {_d(e.resident_told)}: {e.reason}{extra}",
            )
        pdf.pair("Responded", f"{_d(st.responded)} (due {_d(st.response_due)})")
        if st.decision:
            pdf.pair("Decision", labels.decision(st.decision))
            pdf.pair("Reasons", st.reasons)
    for x in d.exclusions:
        pdf.gap()
        pdf.pair(
            "Not accepted" if x.kind == "not-accepted" else "Escalation refused",
            f"{_d(x.decided_on)} by {_who(record, x.decided_by)} on the ground: {x.ground_label}. {x.reasons}",
        )


def _chronology(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("2. Chronology of every event")
    pdf.para("Every entry of the case history, oldest first, with who made it (all times local).", size=9)
    pdf.gap()
    items = {c.id: c for c in record.detail.correspondence}

    def happened(entry) -> datetime:
        """When the entry happened: a note or call recorded later stands at its own date."""
        c = items.get(entry.source_id) if entry.source == "correspondence" else None
        if c is not None and c.dated is not None:
            recorded = local(entry.at)  # UK time, whatever zone the machine is in
            if c.dated < recorded.date():
                return datetime.combine(c.dated, time.min, tzinfo=recorded.tzinfo)
        return entry.at

    for entry in sorted(record.detail.timeline, key=lambda e: (happened(e), e.source, e.source_id)):
        c = items.get(entry.source_id) if entry.source == "correspondence" else None
        when = _dt(entry.at)
        if c is not None and c.late is not None:
            when = f"{_d(c.dated)} (recorded {_dt(entry.at)})"
        pdf.para(f"{when} · {_who(record, entry.who)} · {entry.what}", size=9.5, bold=True)
        if entry.detail:
            pdf.para(entry.detail, size=9)
        if c is not None and c.late is not None and c.late.flagged:
            pdf.para(c.late.text(), size=9, bold=True)
        pdf.gap(1.5)


def _letters(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("3. Letters as issued")
    letters = [c for c in record.detail.correspondence if c.letter_kind or c.kind == "letter"]
    if not letters:
        pdf.para("No letter has been issued on this case.")
    for c in letters:
        pdf.sub(f"{_dt(c.at)} · {c.subject or c.letter_kind or 'letter'} · issued by {_who(record, c.by)}")
        pdf.para(c.body, size=9.5)
        pdf.gap(4)


def _correspondence(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("4. Notes and correspondence")
    words = {"in": "from the resident", "out": "to the resident", "internal": "internal"}
    items = [c for c in record.detail.correspondence if not (c.letter_kind or c.kind == "letter")]
    if not items:
        pdf.para("No notes or correspondence recorded.")
    for c in items:
        when = f"{_d(c.dated)} (recorded {_dt(c.at)})" if c.late is not None else _dt(c.at)
        title = f"{when} · {c.kind} ({words.get(c.direction, c.direction)}) · {_who(record, c.by)}"
        pdf.sub(title)
        if c.late is not None and c.late.flagged:
            pdf.para(c.late.text(), size=9, bold=True)
        if c.subject:
            pdf.para(c.subject, bold=True)
        pdf.para(c.body, size=9.5)
        pdf.gap()


def _updates(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("5. Updates to the resident (5.9)")
    if not record.intervals and not record.updates:
        pdf.para("No update interval agreed and no update recorded.")
    for i in record.intervals:
        pdf.pair(
            f"Agreed {_d(i.agreed_on)}",
            f"Stage {i.stage_number}: an update every {i.every_days} working days"
            + (f" by {i.how}" if i.how else "")
            + (f". {i.notes}" if i.notes else "")
            + f" (recorded by {_who(record, i.recorded_by)})",
        )
    for u in record.updates:
        pdf.pair(
            f"Given {_d(u.given_on)}", f"{u.summary}" + (f" ({u.how})" if u.how else "") + f" — {_who(record, u.by)}"
        )


def _documents(pdf: CaseFilePDF, record: CaseFileRecord, manifest: list[tuple[str, str]]) -> None:
    pdf.section("6. Documents")
    if not record.documents:
        pdf.para("No documents are attached to this case.")
    names = {int(name.split("/")[1][:4]): name for name, _ in manifest}
    for doc in record.documents:
        pdf.sub(doc.name + (" (withdrawn)" if doc.withdrawn else ""))
        pdf.pair("In the ZIP as", names.get(doc.id, "–"))
        pdf.pair("Type / size", f"{doc.media_type} · {doc.size:,} bytes")
        pdf.pair("SHA-256", doc.sha256, size=8)
        pdf.pair("Attached", f"{_dt(doc.added_at)} by {_who(record, doc.added_by)}")
        if doc.description:
            pdf.pair("What it is", doc.description)
        if doc.withdrawn:
            pdf.pair(
                "Withdrawn", f"{_dt(doc.withdrawn_at)} by {_who(record, doc.withdrawn_by)}: {doc.withdrawn_reason}"
            )
        pdf.gap()


def _adjustments(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    d = record.detail
    pdf.section("7. Disabilities, reasonable adjustments and restrictions")
    if not (d.disabilities or d.adjustments or d.restrictions or d.resident.vulnerable):
        pdf.para("None recorded for this resident.")
    if d.resident.vulnerable:
        pdf.pair("Vulnerability", d.resident.notes or "recorded as vulnerable")
    for x in d.disabilities:
        pdf.pair(f"Disclosed {_d(x.disclosed_on)}", f"{x.description} (recorded by {_who(record, x.recorded_by)})")
    for a in d.adjustments:
        pdf.pair(
            f"Adjustment {_d(a.agreed_on)}",
            f"{a.kind}: {a.details}; review {_d(a.review_date)}; " + ("in force" if a.active else "ended"),
        )
    for r in d.restrictions:
        pdf.pair(
            f"Restriction {_d(r.starts_on)}",
            f"{r.restriction}; evidence: {r.evidence}; authorised by "
            f"{_who(record, r.authorised_by)}; review {_d(r.review_date)}; " + ("in force" if r.active else "ended"),
        )


def _remedies(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("8. Remedies")
    if not record.detail.remedies:
        pdf.para("No remedy offered.")
    for r in record.detail.remedies:
        dates = [f"offered {_d(r.offered_on)}"] + [
            f"{w} {_d(v)}"
            for w, v in (
                ("accepted", r.accepted_on),
                ("declined", r.declined_on),
                ("paid", r.paid_on),
                ("completed", r.completed_on),
            )
            if v
        ]
        pdf.sub(f"Stage {r.stage_number} · {kind_label(r.kind)} {_money(r.amount_pence)}".strip())
        pdf.pair("What will happen", r.description)
        pdf.pair("By when", _d(r.by_when))
        pdf.pair("State", f"{r.state}: " + ", ".join(dates))
        if r.paid_on:
            pdf.pair("Payment reference", r.payment_reference or "not recorded")
        if r.calculation_basis:
            pdf.pair("Worked out", basis_in_words(r.calculation_basis))
        if r.guidance_reason:
            pdf.pair(
                "Guidance",
                f"{guidance_name(r.guidance_key)}, not the guidance in force, because: {r.guidance_reason}",
            )
        if r.rationale:
            pdf.pair("Rationale", r.rationale)
        pdf.gap()


def _actions(pdf: CaseFilePDF, record: CaseFileRecord) -> None:
    pdf.section("9. Outstanding actions")
    if not record.detail.actions:
        pdf.para("No outstanding actions recorded.")
    for a in record.detail.actions:
        state = f"done {_d(a.completed_on)}" if a.done else ("OVERDUE" if a.overdue else "open")
        pdf.sub(f"{a.description}")
        pdf.pair("Owner / due", f"{a.owner} · due {_d(a.due)} · {state}")
        for u in a.updates:
            pdf.pair(
                f"Update {_d(u.on)}",
                f"{u.text} ({_who(record, u.by)}" + ("; resident told)" if u.resident_told else ")"),
            )
        pdf.gap()
