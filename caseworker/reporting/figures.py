"""The report as one flat list of figures (the CSV return and the reports screen use it),
and the small formatting helpers every rendering shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caseworker.reporting.model import AnnualReport, Figure
from caseworker.rules.money import format_pounds


def long_date(day: date) -> str:
    """``1 April 2025``."""
    return f"{day.day} {day:%B %Y}"


def recorded_date(day: date | None) -> str:
    """``1 April 2025``, or ``(date not recorded)`` for a fact kept without its date."""
    return "(date not recorded)" if day is None else long_date(day)


def short_date(day: date) -> str:
    """``1 Apr 2025``."""
    return f"{day.day} {day:%b %Y}"


def pct(value: Decimal | None) -> str:
    """``87.5%``, or ``n/a`` when there was nothing to divide by."""
    return "n/a" if value is None else f"{value}%"


def num(value: int | Decimal | None) -> str:
    """A count or decimal as text; ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"{value:,}" if isinstance(value, int) else str(value)


def flatten(report: AnnualReport) -> tuple[Figure, ...]:
    """Every figure in report order, each with its section, stage, quarter and drill key."""
    out: list[Figure] = []

    def add(section: str, measure: str, label: str, value, *, stage=None, quarter="", drill="", text=None):
        if text is None:
            text = pct(value) if measure.endswith("_pct") or measure in ("ch02", "escalation_rate") else num(value)
        if drill and drill not in report.drill:
            drill = ""
        out.append(Figure(section, measure, label, value, text, stage, quarter, drill))

    for s in report.stages:
        sec = "Complaints received (CH01)"
        add(sec, "received", f"Stage {s.stage} complaints received", s.received, stage=s.stage, drill=s.key("received"))
        add(sec, "ch01", f"CH01 Stage {s.stage}: per 1,000 homes", s.ch01, stage=s.stage)
        refused = "not accepted" if s.stage == 1 else "escalation refused"
        add(
            sec,
            "refused",
            f"Stage {s.stage} received, of which {refused}",
            s.refused,
            stage=s.stage,
            drill=s.key("refused"),
        )
        add(
            sec,
            "withdrawn",
            f"Stage {s.stage} received, of which withdrawn",
            s.withdrawn,
            stage=s.stage,
            drill=s.key("withdrawn"),
        )
    for s in report.stages:
        sec = "Responses within the Code's timescales (CH02)"
        add(sec, "responded", f"Stage {s.stage} responses", s.responded, stage=s.stage, drill=s.key("responded"))
        add(
            sec,
            "within_timescale",
            f"Stage {s.stage} within timescale",
            s.within_timescale,
            stage=s.stage,
            drill=s.key("within_timescale"),
        )
        add(
            sec,
            "outside_timescale",
            f"Stage {s.stage} outside timescale",
            s.outside_timescale,
            stage=s.stage,
            drill=s.key("outside_timescale"),
        )
        add(sec, "ch02", f"CH02 Stage {s.stage}: % within timescale", s.ch02, stage=s.stage)
    for s in report.stages:
        sec = "Acknowledgements"
        add(
            sec,
            "acknowledged",
            f"Stage {s.stage} acknowledged",
            s.acknowledged,
            stage=s.stage,
            drill=s.key("acknowledged"),
        )
        add(
            sec,
            "acknowledged_in_time",
            f"Stage {s.stage} acknowledged within 5 working days",
            s.acknowledged_in_time,
            stage=s.stage,
            drill=s.key("acknowledged_in_time"),
        )
        add(
            sec,
            "acknowledged_late",
            f"Stage {s.stage} acknowledged late",
            s.acknowledged - s.acknowledged_in_time,
            stage=s.stage,
            drill=s.key("acknowledged_late"),
        )
        add(
            sec,
            "acknowledged_in_time_pct",
            f"Stage {s.stage} acknowledged in time %",
            s.acknowledged_in_time_pct,
            stage=s.stage,
        )
    for s in report.stages:
        sec = "Extensions"
        add(
            sec,
            "extended_within_cap",
            f"Stage {s.stage} extended within the cap",
            s.extended_within_cap,
            stage=s.stage,
            drill=s.key("extended_within_cap"),
        )
        add(
            sec,
            "extended_beyond_cap",
            f"Stage {s.stage} extended beyond the cap",
            s.extended_beyond_cap,
            stage=s.stage,
            drill=s.key("extended_beyond_cap"),
        )
    sec = "Escalation"
    add(sec, "escalation_requests", "Stage 2 requests", report.escalation_requests, drill="escalation_requests")
    add(sec, "stage1_responses", "Stage 1 responses", report.stage1_responses, drill="stage1_responded")
    add(sec, "escalation_rate", "Escalation rate %", report.escalation_rate)
    for s in report.stages:
        for c in s.outcomes:
            add(
                "Outcomes",
                f"outcome_{c.key.split('_', 1)[1]}",
                f"Stage {s.stage} {c.label.lower()}",
                c.count,
                stage=s.stage,
                drill=c.key,
            )
    for s in report.stages:
        sec = "Working days to respond"
        add(
            sec,
            "average_days",
            f"Stage {s.stage} average working days",
            s.average_days,
            stage=s.stage,
            drill=s.key("responded"),
        )
        add(
            sec,
            "longest_days",
            f"Stage {s.stage} longest working days",
            s.longest_days,
            stage=s.stage,
            drill=s.key("longest"),
        )
    for c in report.by_service_area:
        add("Stage 1 complaints by service area", "service_area", c.label, c.count, stage=1, drill=c.key)
    for c in report.by_category:
        add("Stage 1 complaints by category", "category", c.label, c.count, stage=1, drill=c.key)
    for c in report.not_accepted_by_ground:
        add("Complaints not accepted, by ground", "not_accepted", c.label, c.count, stage=1, drill=c.key)
    for c in report.escalation_refused_by_ground:
        add("Escalations refused, by ground", "escalation_refused", c.label, c.count, stage=2, drill=c.key)
    r = report.remedies
    sec = "Remedies"
    add(sec, "remedies_offered", "Remedies offered", r.offered, drill="remedies_offered")
    add(sec, "remedies_offered_pence", "Money offered", r.offered_pence, text=format_pounds(r.offered_pence))
    for c in r.offered_by_kind:
        add(sec, "remedies_offered_kind", f"Offered: {c.label.lower()}", c.count, drill=c.key)
    add(sec, "remedies_paid", "Remedies paid", r.paid, drill="remedies_paid")
    add(sec, "remedies_paid_pence", "Money paid", r.paid_pence, text=format_pounds(r.paid_pence))
    sec = "Outstanding actions"
    at = short_date(report.actions.as_of)
    add(sec, "actions_open", f"Actions open at {at}", report.actions.open, drill="actions_open")
    add(sec, "actions_overdue", f"Actions overdue at {at}", report.actions.overdue, drill="actions_overdue")
    sec = "Reasonable adjustments"
    add(sec, "adjustments_recorded", "Adjustments recorded in the period", report.adjustments.recorded)
    add(
        sec,
        "adjustment_reviews_overdue",
        f"Reviews overdue at {short_date(report.adjustments.as_of)}",
        report.adjustments.reviews_overdue,
    )
    for e in report.enquiries:
        sec = "MP and councillor enquiries (not in the complaint figures)"
        add(sec, f"{e.case_type}_received", f"{e.label} received", e.received, drill=e.key("received"))
        add(sec, f"{e.case_type}_responded", f"{e.label} responded", e.responded, drill=e.key("responded"))
        add(
            sec,
            f"{e.case_type}_within_timescale",
            f"{e.label} within timescale",
            e.within_timescale,
            drill=e.key("within_timescale"),
        )
        add(sec, f"{e.case_type}_within_pct", f"{e.label} within timescale %", e.within_pct)
        add(
            sec,
            f"{e.case_type}_stage2_received",
            f"{e.label} taken to Stage 2",
            e.stage2_received,
            stage=2,
            drill=e.key("received", 2),
        )
        add(
            sec,
            f"{e.case_type}_stage2_responded",
            f"{e.label} Stage 2 responses",
            e.stage2_responded,
            stage=2,
            drill=e.key("responded", 2),
        )
        add(
            sec,
            f"{e.case_type}_stage2_within_timescale",
            f"{e.label} Stage 2 within timescale",
            e.stage2_within_timescale,
            stage=2,
            drill=e.key("within_timescale", 2),
        )
        add(
            sec,
            f"{e.case_type}_stage2_within_pct",
            f"{e.label} Stage 2 within timescale %",
            e.stage2_within_pct,
            stage=2,
        )
    for q in report.quarters:
        sec = "Quarter by quarter"
        ql = q.quarter.label
        add(
            sec,
            "received",
            f"{ql} Stage {q.stage} received",
            q.received,
            stage=q.stage,
            quarter=ql,
            drill=q.key("received"),
        )
        add(
            sec,
            "responded",
            f"{ql} Stage {q.stage} responses",
            q.responded,
            stage=q.stage,
            quarter=ql,
            drill=q.key("responded"),
        )
        add(
            sec,
            "within_timescale",
            f"{ql} Stage {q.stage} within timescale",
            q.within_timescale,
            stage=q.stage,
            quarter=ql,
            drill=q.key("within_timescale"),
        )
        add(sec, "ch02", f"{ql} Stage {q.stage} % within timescale", q.ch02, stage=q.stage, quarter=ql)
    return tuple(out)
