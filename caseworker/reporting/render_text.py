"""Markdown for the governing body's paper, and a long-format CSV for the regulator's return."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from caseworker import inert
from caseworker.reporting.figures import flatten, long_date, num, pct, short_date
from caseworker.reporting.model import AnnualReport, Count
from caseworker.rules.money import format_pounds


def _cell(text: object) -> str:
    """Recorded text as it reads, inside a Markdown table cell or at the start of a line: one
    line, HTML and Markdown syntax escaped (``inert.markdown``), so a category named
    ``<script>`` or ``*urgent*`` is shown literally."""
    return inert.markdown(" ".join(inert.visible(text).split()))


def _table(head: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    aligns = ["---"] + ["---:"] * (len(head) - 1)
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _counts(head: str, counts: tuple[Count, ...], empty: str) -> list[str]:
    if not counts:
        return [empty, ""]
    return _table([head, "Complaints"], [[c.label, num(c.count)] for c in counts])


def title(report: AnnualReport) -> str:
    """``Complaints performance report 2025-26``."""
    return f"Complaints performance report {report.period.label}"


def to_markdown(report: AnnualReport) -> str:
    """The report as Markdown: headed sections and tables, ready for a committee paper."""
    s1, s2 = report.stages
    p = report.period
    out = [
        f"# {title(report)}",
        "",
        f"{_cell(report.organisation)}: annual complaints performance and service improvement report "
        "(Complaint Handling Code 2024, paragraph 8.1).",
        "",
        f"- Period: {long_date(p.start)} to {long_date(p.end)}",
        f"- Homes (for CH01): {report.homes:,}",
        f"- Produced: {long_date(report.generated_on)}",
        "",
        "## The regulator's complaint measures (CH01 and CH02)",
        "",
    ]
    out += _table(
        ["Measure", "Stage 1", "Stage 2"],
        [
            ["Complaints received", num(s1.received), num(s2.received)],
            ["CH01: complaints received per 1,000 homes", num(s1.ch01), num(s2.ch01)],
            ["Responses in the period", num(s1.responded), num(s2.responded)],
            ["Responded within the Code's timescales", num(s1.within_timescale), num(s2.within_timescale)],
            ["Responded outside the Code's timescales", num(s1.outside_timescale), num(s2.outside_timescale)],
            ["CH02: % responded within the Code's timescales", pct(s1.ch02), pct(s2.ch02)],
        ],
    )
    out += ["## Complaints received", ""]
    out += _table(
        ["", "Stage 1", "Stage 2"],
        [
            ["Received", num(s1.received), num(s2.received)],
            ["of which not accepted / escalation refused", num(s1.refused), num(s2.refused)],
            ["of which withdrawn", num(s1.withdrawn), num(s2.withdrawn)],
        ],
    )
    out += ["## Acknowledgements and extensions", ""]
    out += _table(
        ["", "Stage 1", "Stage 2"],
        [
            ["Acknowledged in the period", num(s1.acknowledged), num(s2.acknowledged)],
            ["Acknowledged within 5 working days", num(s1.acknowledged_in_time), num(s2.acknowledged_in_time)],
            [
                "% acknowledged within 5 working days",
                pct(s1.acknowledged_in_time_pct),
                pct(s2.acknowledged_in_time_pct),
            ],
            ["Extended within the cap", num(s1.extended_within_cap), num(s2.extended_within_cap)],
            ["Extended beyond the cap (supervisor approved)", num(s1.extended_beyond_cap), num(s2.extended_beyond_cap)],
        ],
    )
    out += [
        "## Escalation to Stage 2",
        "",
        f"{report.escalation_requests:,} Stage 2 requests against {report.stage1_responses:,} Stage 1 responses "
        f"in the period: an escalation rate of {pct(report.escalation_rate)}.",
        "",
    ]
    out += ["## Outcomes", ""]
    out += _table(
        ["Decision", "Stage 1", "Stage 2"],
        [[a.label, num(a.count), num(b.count)] for a, b in zip(s1.outcomes, s2.outcomes, strict=False)],
    )
    out += [
        "## Working days to respond",
        "",
        "From the start of the response clock (the acknowledgement, under the 2024 Code) to the response.",
        "",
    ]
    out += _table(
        ["", "Stage 1", "Stage 2"],
        [
            ["Average", num(s1.average_days), num(s2.average_days)],
            ["Longest", num(s1.longest_days), num(s2.longest_days)],
        ],
    )
    out += ["## Stage 1 complaints by service area", ""]
    out += _counts("Service area", report.by_service_area, "No complaints were received in the period.")
    out += ["## Stage 1 complaints by category", ""]
    out += _counts("Service area: category", report.by_category, "No complaints were received in the period.")
    out += ["## Complaints refused (types refused, Code 8.1)", "", "### Not accepted as complaints", ""]
    out += _counts("Ground (Code section 2)", report.not_accepted_by_ground, "None in the period.")
    out += ["### Escalation to Stage 2 refused", ""]
    out += _counts("Ground (Code section 2)", report.escalation_refused_by_ground, "None in the period.")
    r = report.remedies
    out += ["## Putting things right: remedies", ""]
    out += _table(
        ["", "Number", "Amount"],
        [
            ["Remedies offered", num(r.offered), format_pounds(r.offered_pence)],
            *[[f"of which {c.label.lower()}", num(c.count), ""] for c in r.offered_by_kind],
            ["Payments made", num(r.paid), format_pounds(r.paid_pence)],
        ],
    )
    out += [f"## Outstanding actions at {long_date(report.actions.as_of)}", ""]
    out += _table(["", "Number"], [["Open", num(report.actions.open)], ["Overdue", num(report.actions.overdue)]])
    out += ["## Reasonable adjustments", ""]
    out += _table(
        ["", "Number"],
        [
            ["Adjustments recorded in the period", num(report.adjustments.recorded)],
            [f"Reviews overdue at {long_date(report.adjustments.as_of)}", num(report.adjustments.reviews_overdue)],
        ],
    )
    out += ["## MP and councillor enquiries", "", "Counted apart: they are in none of the complaint figures.", ""]
    out += _table(
        ["", "Stage", "Received", "Responded", "Within timescale", "%"],
        [
            [e.label, str(n), num(a), num(b), num(c), pct(d)]
            for e in report.enquiries
            for n in (1, 2)
            for a, b, c, d in [e.at(n)]
        ],
    )
    out += ["## Quarter by quarter", ""]
    rows = []
    for q in {q.quarter: None for q in report.quarters}:
        a, b = report.quarter(q.label, 1), report.quarter(q.label, 2)
        rows.append(
            [
                f"{q.label} ({q.start.day} {q.start:%b} to {short_date(q.end)})",
                num(a.received),
                num(a.responded),
                pct(a.ch02),
                num(b.received),
                num(b.responded),
                pct(b.ch02),
            ]
        )
    out += _table(
        [
            "Quarter",
            "S1 received",
            "S1 responses",
            "S1 within timescale",
            "S2 received",
            "S2 responses",
            "S2 within timescale",
        ],
        rows,
    )
    out += ["## How the figures are counted", ""]
    out += [f"- {rule}" for rule in report.counting_rules] + [""]
    return "\n".join(out)


def _value(measure: str, value) -> tuple[str, str]:
    if value is None:
        return measure, ""
    if measure.endswith("_pence"):
        return measure[: -len("_pence")] + "_pounds", str((Decimal(value) / 100).quantize(Decimal("0.01")))
    return measure, str(value)


def to_csv(report: AnnualReport) -> str:
    """The report as one long-format CSV: period, section, measure, stage, quarter, value, label.

    One row per figure; empty value where there was nothing to divide by. Money is in pounds.
    """
    rows: list[list[object]] = [["period", "section", "measure", "stage", "quarter", "value", "label"]]
    for f in flatten(report):
        measure, value = _value(f.measure, f.value)
        rows.append(
            [report.period.label, f.section, measure, "" if f.stage is None else f.stage, f.quarter, value, f.label]
        )
    return inert.csv_text(rows)
