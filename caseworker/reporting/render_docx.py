"""Word (.docx, A4: 21.0 x 29.7 cm) for committee papers: the self-assessment alone, and the
whole 8.1 report. Built with python-docx from the report's data (never from Markdown), so
stored text goes in as plain runs and cannot become formatting or fields.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from caseworker import inert
from caseworker.reporting.assessment import SelfAssessment, YearReport
from caseworker.reporting.figures import flatten, long_date, num, pct, recorded_date, short_date
from caseworker.reporting.model import AnnualReport
from caseworker.reporting.render_account import assessment_title, complies_text
from caseworker.reporting.render_text import title
from caseworker.rules.account import FINDING_LABELS, IMPROVEMENT_STATUS_LABELS, OMBUDSMEN, ORDER_KIND_LABELS

A4_WIDTH_CM, A4_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0


def _plain(text: object) -> str:
    """Text Word can hold (``inert.xml_text``: characters XML forbids, which make an invalid document, dropped)."""
    return inert.xml_text(str(text))


def _document(heading: str, subject: str, author: str):
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = _plain(heading)
    doc.core_properties.subject = _plain(subject)
    doc.core_properties.author = _plain(author)
    doc.add_heading(_plain(heading), level=0)
    return doc


def _table(doc, head: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_plain(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _plain(value)
    doc.add_paragraph()


def _bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _assessment(doc, sa: SelfAssessment, level: int) -> None:
    counts = sa.counts()
    doc.add_paragraph(
        _plain(
            f"{len(sa.rows)} provisions of sections 1 to 9: yes {counts['yes']}, partly {counts['partly']}, no {counts['no']}, "
            f"not yet assessed {counts['']}. Measured evidence is counted from the case record as at {long_date(sa.as_of)}. "
            + (
                f"Approved by {sa.approved_by} on {long_date(sa.approved_at.date())}."
                if sa.approved_by and sa.approved_at
                else "Not yet approved by a supervisor."
            )
        )
    )
    doc.add_paragraph(_plain(f"Titles are short summaries in our own words, not the Code's text ({sa.source})."))
    if not sa.complaints_received:
        doc.add_paragraph(
            f"No complaints were received in {sa.period.label}: the measured evidence has nothing to "
            "divide by and says so."
        )
    section = None
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            _table(doc, ["Provision", "Complies", "Evidence", "Commentary"], rows)
            rows.clear()

    for r in sa.rows:
        if r.provision.section != section:
            flush()
            section = r.provision.section
            doc.add_heading(_plain(f"Section {section}: {sa.sections.get(section, '')}"), level=level)
        evidence = [f"Measured: {m.label}: {m.text}" for m in r.measures] + ([r.evidence] if r.evidence else [])
        rows.append(
            [f"{r.provision.number} {r.provision.title}", complies_text(r.complies), "\n".join(evidence), r.commentary]
        )
    flush()


def assessment_docx(sa: SelfAssessment) -> bytes:
    """The self-assessment as a Word document (A4)."""
    doc = _document(assessment_title(sa), f"Self-assessment {sa.period.label}", sa.organisation)
    doc.add_paragraph(
        _plain(
            f"{sa.organisation}: self-assessment against the Housing Ombudsman's Complaint Handling "
            f"Code for {long_date(sa.period.start)} to {long_date(sa.period.end)}."
        )
    )
    _assessment(doc, sa, level=1)
    return _bytes(doc)


def _figures(doc, report: AnnualReport) -> None:
    s1, s2 = report.stages
    doc.add_heading("The regulator's complaint measures (CH01 and CH02)", level=1)
    _table(
        doc,
        ["Measure", "Stage 1", "Stage 2"],
        [
            ["Complaints received", num(s1.received), num(s2.received)],
            ["CH01: complaints received per 1,000 homes", num(s1.ch01), num(s2.ch01)],
            ["Responses in the period", num(s1.responded), num(s2.responded)],
            ["Responded within the Code's timescales", num(s1.within_timescale), num(s2.within_timescale)],
            ["CH02: % responded within the Code's timescales", pct(s1.ch02), pct(s2.ch02)],
        ],
    )
    section = None
    rows: list[list[str]] = []
    for f in flatten(report):
        if f.section.startswith("Complaints received (CH01)") or f.section.startswith("Responses within"):
            continue
        if f.section != section:
            if rows:
                _table(doc, ["Figure", "Value"], rows)
                rows = []
            section = f.section
            doc.add_heading(_plain(section), level=2)
        rows.append([f.label, f.text])
    if rows:
        _table(doc, ["Figure", "Value"], rows)


def report_docx(yr: YearReport) -> bytes:
    """The whole 8.1 report as a Word document (A4): figures and analysis, types refused,
    determinations and non-compliance findings, service improvements, learning, the
    Ombudsman's annual letter, the governing body's response and the self-assessment."""
    report = yr.report
    doc = _document(
        title(report),
        f"Complaints performance and service improvement report {report.period.label}",
        report.organisation,
    )
    doc.add_paragraph(
        _plain(
            f"{report.organisation}: annual complaints performance and service improvement report (Complaint Handling "
            f"Code 2024, paragraph 8.1) for {long_date(report.period.start)} to {long_date(report.period.end)}. "
            f"Homes (for CH01): {report.homes:,}. Produced {long_date(report.generated_on)}."
        )
    )
    if not report.stage(1).received and not report.stage(2).received:
        doc.add_paragraph(f"No complaints were received in {report.period.label}.")
    _figures(doc, report)
    doc.add_heading("Cases determined by the Ombudsman", level=1)
    if not yr.determinations:
        doc.add_paragraph("No Ombudsman determinations or complaint-handling failure orders in the period.")
    for d in yr.determinations:
        i = d.info
        doc.add_heading(
            _plain(f"{d.reference}: {OMBUDSMEN.get(i.ombudsman, i.ombudsman)} reference {i.reference}"), level=2
        )
        when = f"determined {long_date(i.determined_on)}" if i.determined_on else "not yet determined"
        doc.add_paragraph(f"Referred {long_date(i.referred_on)}; {when}.")
        if i.findings:
            _table(
                doc, ["Element", "Finding"], [[f.element, FINDING_LABELS.get(f.finding, f.finding)] for f in i.findings]
            )
        if i.orders:
            _table(
                doc,
                ["Kind", "What", "Due", "Complied"],
                [
                    [
                        ORDER_KIND_LABELS.get(o.kind, o.kind),
                        o.description,
                        short_date(o.due),
                        short_date(o.completed_on) if o.completed_on else "not yet",
                    ]
                    for o in i.orders
                ],
            )
        if i.chfo_on:
            doc.add_paragraph(_plain(f"Complaint-handling failure order {short_date(i.chfo_on)}: {i.chfo_details}"))
    doc.add_heading("Findings of non-compliance", level=1)
    if yr.non_compliance:
        _table(
            doc, ["Case", "Element", "Finding"], [[d.reference, e, FINDING_LABELS[f]] for d, e, f in yr.non_compliance]
        )
    else:
        doc.add_paragraph(
            "No findings of maladministration, severe maladministration or service failure in the period."
        )
    doc.add_heading("Service improvements made from learning", level=1)
    if yr.improvements:
        _table(
            doc,
            ["What changed", "Service area", "Owner", "Status", "Complaints that prompted it"],
            [
                [
                    i.what_changed,
                    i.service_area,
                    i.owner,
                    f"{IMPROVEMENT_STATUS_LABELS.get(i.status, i.status)} {short_date(i.status_on)}",
                    ", ".join(i.case_references),
                ]
                for i in yr.improvements
            ],
        )
    else:
        doc.add_paragraph("No service improvements are dated in the period.")
    doc.add_heading("Learning: themes of complaints", level=1)
    if yr.themes_by_area:
        _table(
            doc, ["Service area", "Theme", "Complaints"], [[t.group, t.name, f"{t.count:,}"] for t in yr.themes_by_area]
        )
        _table(
            doc, ["Quarter", "Theme", "Complaints"], [[t.group, t.name, f"{t.count:,}"] for t in yr.themes_by_quarter]
        )
    else:
        doc.add_paragraph("No themes were recorded on complaints received in the period.")
    a = yr.account
    doc.add_heading("The Ombudsman's annual letter", level=1)
    doc.add_paragraph(
        _plain(f"Received {recorded_date(a.letter_received_on)}. Key points:\n{a.letter_key_points}")
        if a.letter_key_points
        else "Not yet recorded."
    )
    doc.add_heading("The governing body's response", level=1)
    doc.add_paragraph(
        _plain(f"Given {recorded_date(a.response_on)}:\n{a.governing_body_response}")
        if a.governing_body_response
        else "Not yet recorded."
    )
    doc.add_heading(_plain(assessment_title(yr.assessment)), level=1)
    _assessment(doc, yr.assessment, level=2)
    doc.add_heading("How the figures are counted", level=1)
    for rule in report.counting_rules:
        doc.add_paragraph(_plain(rule), style="List Bullet")
    return _bytes(doc)
