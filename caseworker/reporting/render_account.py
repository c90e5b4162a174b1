"""Markdown, CSV and HTML for the self-assessment and the whole 8.1 report.

``assessment_markdown(sa)`` is the self-assessment on its own (``caseworker self-assessment``);
``year_markdown / year_csv / year_html(yr)`` are the whole report: the figures and analysis
(the annual report's own rendering), then the determinations and non-compliance findings,
service improvements, learning, the Ombudsman's annual letter, the governing body's response
and the self-assessment. Stored text is escaped for each format.
"""

from __future__ import annotations

from caseworker import inert
from caseworker.reporting.assessment import SelfAssessment, YearReport
from caseworker.reporting.figures import long_date, recorded_date, short_date
from caseworker.reporting.render_html import to_html
from caseworker.reporting.render_text import _cell, to_csv, to_markdown
from caseworker.rules.account import (
    COMPLIES_LABELS,
    FINDING_LABELS,
    IMPROVEMENT_STATUS_LABELS,
    OMBUDSMEN,
    ORDER_KIND_LABELS,
)


def md_text(text: str) -> str:
    """Stored text as inert Markdown (``inert.markdown``: HTML and Markdown syntax escaped, a
    heading, quote or list marker at the start of a line too); line breaks kept as hard breaks."""
    if not text:
        return ""
    return "  \n".join(inert.markdown(line, inline=False) for line in str(text).splitlines())


def complies_text(value: str) -> str:
    """``Yes`` / ``Partly`` / ``No``, or ``Not yet assessed``."""
    return COMPLIES_LABELS.get(value, "Not yet assessed")


def assessment_title(sa: SelfAssessment) -> str:
    """``Complaint Handling Code self-assessment 2025-26``."""
    return f"Complaint Handling Code self-assessment {sa.period.label}"


def _approval(sa: SelfAssessment) -> str:
    if sa.approved_by and sa.approved_at:
        return f"Approved by {sa.approved_by} on {long_date(sa.approved_at.date())}."
    return "Not yet approved by a supervisor."


def assessment_markdown(sa: SelfAssessment, level: int = 1) -> str:
    """The self-assessment as Markdown: one entry per provision, by number, with the measured
    evidence as figures, the evidence typed, and the commentary."""
    h = "#" * level
    counts = sa.counts()
    out = [
        f"{h} {assessment_title(sa)}",
        "",
        f"{_cell(sa.organisation)}: self-assessment against the Housing Ombudsman's Complaint Handling Code "
        f"for {long_date(sa.period.start)} to {long_date(sa.period.end)}.",
        "",
        f"- Provisions: {len(sa.rows)} (sections 1 to 9); assessed yes {counts['yes']}, partly {counts['partly']}, "
        f"no {counts['no']}, not yet assessed {counts['']}.",
        f"- Measured evidence is counted from the case record as at {long_date(sa.as_of)}.",
        f"- {_approval(sa)}",
        f"- Titles are short summaries in our own words, not the Code's text ({md_text(sa.source)}).",
        "",
    ]
    if not sa.complaints_received:
        out += [
            f"No complaints were received in {sa.period.label}: the measured evidence below has nothing to "
            "divide by and says so.",
            "",
        ]
    section = None
    for r in sa.rows:
        p = r.provision
        if p.section != section:
            section = p.section
            out += [f"{h}# Section {section}: {sa.sections.get(section, '')}", ""]
        out += [f"{h}## {p.number} {md_text(p.title)}", "", f"- Complies: **{complies_text(r.complies)}**"]
        for m in r.measures:
            out.append(f"- Measured: {m.label}: {m.text}")
        if r.evidence:
            out.append(f"- Evidence: {md_text(r.evidence)}")
        if r.commentary:
            out.append(f"- Commentary: {md_text(r.commentary)}")
        out.append("")
    return "\n".join(out)


def _account_markdown(yr: YearReport) -> list[str]:
    out = ["## Cases determined by the Ombudsman", ""]
    if not yr.determinations:
        out += ["No Ombudsman determinations or complaint-handling failure orders in the period.", ""]
    for d in yr.determinations:
        i = d.info
        when = f"determined {long_date(i.determined_on)}" if i.determined_on else "not yet determined"
        out += [
            f"### {_cell(d.reference)}: {OMBUDSMEN.get(i.ombudsman, i.ombudsman)} reference {md_text(i.reference)}",
            "",
            f"Referred {long_date(i.referred_on)}; {when}.",
            "",
        ]
        if i.findings:
            out += ["| Element | Finding |", "| --- | --- |"]
            out += [f"| {_cell(f.element)} | {FINDING_LABELS.get(f.finding, f.finding)} |" for f in i.findings] + [""]
        for o in i.orders:
            done = f"complied {short_date(o.completed_on)}" if o.completed_on else "not yet complied with"
            out.append(
                f"- {ORDER_KIND_LABELS.get(o.kind, o.kind)} due {short_date(o.due)}: {md_text(o.description)} ({done})"
            )
        if i.chfo_on:
            out.append(f"- Complaint-handling failure order {short_date(i.chfo_on)}: {md_text(i.chfo_details)}")
        out.append("")
    out += ["## Findings of non-compliance", ""]
    if yr.non_compliance:
        out += ["| Case | Element | Finding |", "| --- | --- | --- |"]
        out += [f"| {_cell(d.reference)} | {_cell(e)} | {FINDING_LABELS[f]} |" for d, e, f in yr.non_compliance] + [""]
    else:
        out += ["No findings of maladministration, severe maladministration or service failure in the period.", ""]
    out += ["## Service improvements made from learning", ""]
    if yr.improvements:
        out += [
            "| What changed | Service area | Owner | Status | Complaints that prompted it |",
            "| --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| {_cell(i.what_changed)} | {_cell(i.service_area)} | {_cell(i.owner)} | "
            f"{IMPROVEMENT_STATUS_LABELS.get(i.status, i.status)} {short_date(i.status_on)} | "
            f"{_cell(', '.join(i.case_references))} |"
            for i in yr.improvements
        ] + [""]
    else:
        out += ["No service improvements are dated in the period.", ""]
    out += ["## Learning: themes of complaints", ""]
    if yr.themes_by_area:
        out += ["| Service area | Theme | Complaints |", "| --- | --- | ---: |"]
        out += [f"| {_cell(t.group)} | {_cell(t.name)} | {t.count:,} |" for t in yr.themes_by_area] + [""]
        out += ["| Quarter | Theme | Complaints |", "| --- | --- | ---: |"]
        out += [f"| {t.group} | {_cell(t.name)} | {t.count:,} |" for t in yr.themes_by_quarter] + [""]
        out += ["| Root cause | Complaints |", "| --- | ---: |"]
        out += [f"| {_cell(t.name)} | {t.count:,} |" for t in yr.root_causes] + [""]
    else:
        out += ["No themes were recorded on complaints received in the period.", ""]
    a = yr.account
    out += ["## The Ombudsman's annual letter", ""]
    if a.letter_key_points:
        out += [
            f"Received {recorded_date(a.letter_received_on)}. Key points (kept as text):",
            "",
            md_text(a.letter_key_points),
            "",
        ]
    else:
        out += ["Not yet recorded.", ""]
    out += ["## The governing body's response", ""]
    if a.governing_body_response:
        out += [f"Given {recorded_date(a.response_on)}:", "", md_text(a.governing_body_response), ""]
    else:
        out += ["Not yet recorded: the governing body responds after it has considered this report (8.2).", ""]
    return out


def year_markdown(yr: YearReport) -> str:
    """The whole 8.1 report as Markdown."""
    body = to_markdown(yr.report).rstrip("\n").split("\n")
    cut = body.index("## How the figures are counted")
    return (
        "\n".join(body[:cut] + _account_markdown(yr) + [assessment_markdown(yr.assessment, level=2)] + body[cut:])
        + "\n"
    )


def year_csv(yr: YearReport) -> str:
    """The report's long-format CSV with the self-assessment and the determinations added
    (same columns; the measure names the provision, e.g. ``self_assessment_6.2``). Every
    cell goes through ``inert.csv_text``, so none can run as a formula."""
    label = yr.report.period.label
    rows: list[list[object]] = []
    for r in yr.assessment.rows:
        p = r.provision.number
        rows.append([label, "Self-assessment", f"self_assessment_{p}", "", "", r.complies, r.provision.title])
        for m in r.measures:
            rows.append(
                [
                    label,
                    "Self-assessment evidence",
                    f"{p}:{m.key}",
                    "",
                    "",
                    "" if m.value is None else str(m.value),
                    f"{m.label}: {m.text}",
                ]
            )
    for d in yr.determinations:
        for f in d.info.findings:
            rows.append([label, "Ombudsman determinations", f"finding:{f.finding}", "", "", d.reference, f.element])
    return to_csv(yr.report) + inert.csv_text(rows)


def _h(text: str) -> str:
    return str(inert.html(text))


def year_html(yr: YearReport) -> str:
    """The whole 8.1 report as one printable HTML page."""
    page = to_html(yr.report)
    parts = ["<h2>Cases determined by the Ombudsman</h2>"]
    if not yr.determinations:
        parts.append("<p>No Ombudsman determinations or complaint-handling failure orders in the period.</p>")
    for d in yr.determinations:
        i = d.info
        parts.append(
            f"<h3>{_h(d.reference)}: {_h(OMBUDSMEN.get(i.ombudsman, i.ombudsman))} reference {_h(i.reference)}</h3>"
        )
        parts.append(
            "<table><tr><th>Element</th><th>Finding</th></tr>"
            + "".join(
                f"<tr><td>{_h(f.element)}</td><td>{_h(FINDING_LABELS.get(f.finding, f.finding))}</td></tr>"
                for f in i.findings
            )
            + "</table>"
        )
        parts += [
            f"<p>{_h(ORDER_KIND_LABELS.get(o.kind, o.kind))} due {_h(short_date(o.due))}: {_h(o.description)}"
            f" ({'complied ' + _h(short_date(o.completed_on)) if o.completed_on else 'not yet complied with'})</p>"
            for o in i.orders
        ]
    parts.append("<h2>Service improvements made from learning</h2>")
    parts.append(
        "<table><tr><th>What changed</th><th>Owner</th><th>Status</th><th>Complaints</th></tr>"
        + "".join(
            f"<tr><td>{_h(i.what_changed)}</td><td>{_h(i.owner)}</td><td>{_h(IMPROVEMENT_STATUS_LABELS.get(i.status, i.status))}"
            f"</td><td>{_h(', '.join(i.case_references))}</td></tr>"
            for i in yr.improvements
        )
        + "</table>"
    )
    a = yr.account
    parts.append("<h2>The Ombudsman's annual letter</h2>")
    parts.append(f'<p style="white-space: pre-wrap">{_h(a.letter_key_points) or "Not yet recorded."}</p>')
    parts.append("<h2>The governing body's response</h2>")
    parts.append(f'<p style="white-space: pre-wrap">{_h(a.governing_body_response) or "Not yet recorded."}</p>')
    sa = yr.assessment
    parts.append(f"<h2>{_h(assessment_title(sa))}</h2><p>{_h(_approval(sa))}</p>")
    parts.append(
        "<table><tr><th>Provision</th><th>Complies</th><th>Evidence</th><th>Commentary</th></tr>"
        + "".join(
            f"<tr><td>{_h(r.provision.number)} {_h(r.provision.title)}</td><td>{_h(complies_text(r.complies))}</td><td>"
            + "<br>".join(_h(f"{m.label}: {m.text}") for m in r.measures)
            + ("<br>" if r.measures and r.evidence else "")
            + f"{_h(r.evidence)}</td><td>{_h(r.commentary)}</td></tr>"
            for r in sa.rows
        )
        + "</table>"
    )
    marker = "<h2>How the figures are counted</h2>"
    return page.replace(marker, "\n".join(parts) + "\n" + marker, 1)
