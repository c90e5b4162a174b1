"""A self-contained, printable HTML report: inline CSS and inline SVG bar charts, nothing
fetched from anywhere, every piece of recorded text escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from caseworker import inert
from caseworker.reporting.figures import long_date, num, pct, short_date
from caseworker.reporting.model import AnnualReport, Count
from caseworker.reporting.render_text import title
from caseworker.rules.money import format_pounds


def escape(value: object) -> str:
    """Recorded text for the page: HTML-escaped, control characters as visible marks (``inert.html``)."""
    return str(inert.html(value))


#: Two series colours that stay distinct when printed in greyscale.
COLOURS = ("#1d4e89", "#f2a541")

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #1d4e89}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:24rem}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
thead th{background:#e8eef6}.meta{color:#333}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}figcaption{font-weight:bold;margin-bottom:.3rem}svg text{font-family:Arial,Helvetica,sans-serif}
.key span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{escape(str(c))}</th>' if i == 0 else f"<td>{escape(str(c))}</td>")
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _counts(head: str, counts: tuple[Count, ...], empty: str) -> str:
    if not counts:
        return f"<p>{escape(empty)}</p>"
    return _table([head, "Complaints"], [[c.label, num(c.count)] for c in counts])


def _f(value: float) -> str:
    return f"{value:.1f}"


def hbar_chart(caption: str, items: Sequence[tuple[str, float, str]], *, top: float | None = None) -> str:
    """A horizontal bar chart: one bar per (label, value, value text)."""
    if not items:
        return ""
    width, label_w, bar_h, gap = 560, 200, 18, 6
    top = top or max((v for _, v, _ in items), default=0) or 1
    height = len(items) * (bar_h + gap) + gap
    parts = []
    for i, (label, value, text) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = (width - label_w - 70) * (float(value) / float(top))
        short = label if len(label) <= 30 else label[:29] + "\u2026"
        parts.append(
            f'<text x="{label_w - 6}" y="{_f(y + bar_h * 0.75)}" text-anchor="end" font-size="12">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{_f(w)}" height="{bar_h}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {escape(text)}</title></rect>"
            f'<text x="{_f(label_w + w + 4)}" y="{_f(y + bar_h * 0.75)}" font-size="12">{escape(text)}</text>'
        )
    return (
        f"<figure><figcaption>{escape(caption)}</figcaption>"
        f'<svg role="img" aria-label="{escape(caption)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg></figure>'
    )


def grouped_bar_chart(
    caption: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | Decimal | None]]],
    *,
    top: int | Decimal | None = None,
    unit: str = "",
) -> str:
    """Vertical bars: for each group (e.g. a quarter) one bar per series (e.g. a stage)."""
    width, height, left, bottom, topm = 560, 240, 40, 30, 20
    values = [v for _, vs in series for v in vs if v is not None]
    top = top or max(values, default=0) or 1
    plot_h = height - bottom - topm
    group_w = (width - left - 10) / max(len(groups), 1)
    bar_w = min(40.0, (group_w - 16) / max(len(series), 1))
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#333"/>']
    top = max(2, math.ceil(float(top)))
    top += top % 2  # an even whole number, so the middle tick is whole too
    for tick in (0, top / 2, top):
        y = height - bottom - plot_h * tick / top
        parts.append(
            f'<text x="{left - 4}" y="{_f(y + 4)}" text-anchor="end" font-size="11">'
            f"{int(tick)}{escape(unit)}</text>"
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - 10}" y2="{_f(y)}" stroke="#ccc"/>'
        )
    for g, group in enumerate(groups):
        gx = left + g * group_w + (group_w - bar_w * len(series)) / 2
        parts.append(
            f'<text x="{_f(left + g * group_w + group_w / 2)}" y="{height - bottom + 16}" '
            f'text-anchor="middle" font-size="12">{escape(group)}</text>'
        )
        for s, (name, vs) in enumerate(series):
            v = vs[g]
            x = gx + s * bar_w
            text = "n/a" if v is None else num(v) + unit
            h = 0 if v is None else plot_h * float(v) / float(top)
            y = height - bottom - h
            parts.append(
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(bar_w - 2)}" height="{_f(h)}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(f"{group} {name}: {text}")}</title></rect>'
                f'<text x="{_f(x + bar_w / 2 - 1)}" y="{_f(y - 3)}" text-anchor="middle" font-size="10">'
                f"{escape(text)}</text>"
            )
    key = "".join(
        f'<span style="background:{COLOURS[i % len(COLOURS)]}"></span>{escape(name)}'
        for i, (name, _) in enumerate(series)
    )
    return (
        f"<figure><figcaption>{escape(caption)}</figcaption>"
        f'<svg role="img" aria-label="{escape(caption)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
        f'<div class="key">{key}</div></figure>'
    )


def to_html(report: AnnualReport) -> str:
    """The report as one printable HTML page with inline SVG charts (no network, no external files)."""
    s1, s2 = report.stages
    p = report.period
    labels = list(dict.fromkeys(q.quarter.label for q in report.quarters))
    by_q = {(q.quarter.label, q.stage): q for q in report.quarters}
    charts_ch02 = grouped_bar_chart(
        "CH02: % responded within the Code's timescales, by quarter",
        labels,
        [(f"Stage {n}", [by_q[(ql, n)].ch02 for ql in labels]) for n in (1, 2)],
        top=100,
        unit="%",
    )
    charts_received = grouped_bar_chart(
        "Complaints received, by quarter",
        labels,
        [(f"Stage {n}", [by_q[(ql, n)].received for ql in labels]) for n in (1, 2)],
    )
    area_chart = hbar_chart(
        "Stage 1 complaints by service area", [(c.label, c.count, num(c.count)) for c in report.by_service_area]
    )
    outcome_chart = hbar_chart(
        "Outcomes of responses in the period",
        [(f"Stage {s.stage}: {c.label.lower()}", c.count, num(c.count)) for s in report.stages for c in s.outcomes],
    )
    r = report.remedies
    quarter_rows = []
    for ql in labels:
        a, b = by_q[(ql, 1)], by_q[(ql, 2)]
        quarter_rows.append(
            [
                f"{ql} ({a.quarter.start.day} {a.quarter.start:%b} to {short_date(a.quarter.end)})",
                num(a.received),
                num(a.responded),
                pct(a.ch02),
                num(b.received),
                num(b.responded),
                pct(b.ch02),
            ]
        )
    body = [
        f"<h1>{escape(title(report))}</h1>",
        f'<p class="meta">{escape(report.organisation)}: annual complaints performance and service improvement '
        "report (Complaint Handling Code 2024, paragraph 8.1).<br>"
        f"Period {long_date(p.start)} to {long_date(p.end)}. Homes (for CH01): {report.homes:,}. "
        f"Produced {long_date(report.generated_on)}.</p>",
        "<h2>The regulator's complaint measures (CH01 and CH02)</h2>",
        _table(
            ["Measure", "Stage 1", "Stage 2"],
            [
                ["Complaints received", num(s1.received), num(s2.received)],
                ["CH01: complaints received per 1,000 homes", num(s1.ch01), num(s2.ch01)],
                ["Responses in the period", num(s1.responded), num(s2.responded)],
                ["Responded within the Code's timescales", num(s1.within_timescale), num(s2.within_timescale)],
                ["Responded outside the Code's timescales", num(s1.outside_timescale), num(s2.outside_timescale)],
                ["CH02: % responded within the Code's timescales", pct(s1.ch02), pct(s2.ch02)],
            ],
        ),
        f'<div class="charts">{charts_ch02}{charts_received}</div>',
        "<h2>Complaints received</h2>",
        _table(
            ["", "Stage 1", "Stage 2"],
            [
                ["Received", num(s1.received), num(s2.received)],
                ["of which not accepted / escalation refused", num(s1.refused), num(s2.refused)],
                ["of which withdrawn", num(s1.withdrawn), num(s2.withdrawn)],
            ],
        ),
        "<h2>Acknowledgements and extensions</h2>",
        _table(
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
                [
                    "Extended beyond the cap (supervisor approved)",
                    num(s1.extended_beyond_cap),
                    num(s2.extended_beyond_cap),
                ],
            ],
        ),
        "<h2>Escalation to Stage 2</h2>",
        f"<p>{report.escalation_requests:,} Stage 2 requests against {report.stage1_responses:,} Stage 1 responses "
        f"in the period: an escalation rate of {escape(pct(report.escalation_rate))}.</p>",
        "<h2>Outcomes</h2>",
        _table(
            ["Decision", "Stage 1", "Stage 2"],
            [[a.label, num(a.count), num(b.count)] for a, b in zip(s1.outcomes, s2.outcomes, strict=False)],
        ),
        outcome_chart,
        "<h2>Working days to respond</h2>",
        "<p>From the start of the response clock (the acknowledgement, under the 2024 Code) to the response.</p>",
        _table(
            ["", "Stage 1", "Stage 2"],
            [
                ["Average", num(s1.average_days), num(s2.average_days)],
                ["Longest", num(s1.longest_days), num(s2.longest_days)],
            ],
        ),
        "<h2>Stage 1 complaints by service area and category</h2>",
        area_chart,
        _counts("Service area", report.by_service_area, "No complaints were received in the period."),
        _counts("Service area: category", report.by_category, "No complaints were received in the period."),
        "<h2>Complaints refused (types refused, Code 8.1)</h2>",
        "<h3>Not accepted as complaints</h3>",
        _counts("Ground (Code section 2)", report.not_accepted_by_ground, "None in the period."),
        "<h3>Escalation to Stage 2 refused</h3>",
        _counts("Ground (Code section 2)", report.escalation_refused_by_ground, "None in the period."),
        "<h2>Putting things right: remedies</h2>",
        _table(
            ["", "Number", "Amount"],
            [
                ["Remedies offered", num(r.offered), format_pounds(r.offered_pence)],
                *[[f"of which {c.label.lower()}", num(c.count), ""] for c in r.offered_by_kind],
                ["Payments made", num(r.paid), format_pounds(r.paid_pence)],
            ],
        ),
        f"<h2>Outstanding actions at {long_date(report.actions.as_of)}</h2>",
        _table(["", "Number"], [["Open", num(report.actions.open)], ["Overdue", num(report.actions.overdue)]]),
        "<h2>Reasonable adjustments</h2>",
        _table(
            ["", "Number"],
            [
                ["Adjustments recorded in the period", num(report.adjustments.recorded)],
                [f"Reviews overdue at {long_date(report.adjustments.as_of)}", num(report.adjustments.reviews_overdue)],
            ],
        ),
        "<h2>MP and councillor enquiries</h2>",
        "<p>Counted apart: they are in none of the complaint figures.</p>",
        _table(
            ["", "Stage", "Received", "Responded", "Within timescale", "%"],
            [
                [e.label, str(n), num(a), num(b), num(c), pct(d)]
                for e in report.enquiries
                for n in (1, 2)
                for a, b, c, d in [e.at(n)]
            ],
        ),
        "<h2>Quarter by quarter</h2>",
        _table(
            [
                "Quarter",
                "S1 received",
                "S1 responses",
                "S1 within timescale",
                "S2 received",
                "S2 responses",
                "S2 within timescale",
            ],
            quarter_rows,
        ),
        "<h2>How the figures are counted</h2>",
        "<ul>" + "".join(f"<li>{escape(rule)}</li>" for rule in report.counting_rules) + "</ul>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title(report))}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
