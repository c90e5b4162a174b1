"""Evidence for the self-assessment measured from the record, provision by provision: figures,
never prose, each line with the cases behind it (a drill key into the report's case lists).

``measure(store, report)`` reuses the annual report's figures (so the self-assessment and the
report cannot disagree) and adds what only the self-assessment asks: the median working days
to acknowledge (6.2), extension approvals and letters (6.4, 6.5, 6.15, 6.16), the Stage 2
officer (6.13), adjustments and restrictions under review (5.10, 5.14), actions per stage
(6.6, 6.17), service requests (1.4) and learning (9.1, 9.2). A year with nothing to count
says so instead of dividing by zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from statistics import median

from sqlalchemy import and_, func, or_, select

from caseworker.reporting.model import GROUND_NAMES, AnnualReport, percent
from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    Adjustment,
    Case,
    Correspondence,
    Disability,
    Restriction,
    ServiceRequest,
    Stage,
)
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.models_account import CaseLearning, ServiceImprovement

COMPLAINT = "complaint"


@dataclass(frozen=True)
class Measure:
    """One measured line of evidence for a provision.

    ``value`` is the headline figure (a percentage, a count, a median in working days, or
    None when there was nothing to measure); ``text`` the line as printed; ``drill`` the key
    of the cases behind it ("" when it is not about cases).
    """

    provision: str
    key: str
    label: str
    value: int | Decimal | None
    text: str
    drill: str = ""


def share(part: int, whole: int, what: str) -> str:
    """``41 of 48 (85.4%)``, or ``none: no {what} in the period`` when ``whole`` is 0."""
    if not whole:
        return f"none: no {what} in the period"
    return f"{part:,} of {whole:,} ({percent(part, whole)}%)"


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


class _Lines:
    def __init__(self, drill: dict[str, tuple[str, ...]]) -> None:
        self.lines: list[Measure] = []
        self.drill = drill

    def add(
        self, provision: str, key: str, label: str, value, text: str, refs: Iterable[str] | None = None, drill: str = ""
    ) -> None:
        if refs is not None:
            drill = f"sa:{key}"
            self.drill[drill] = tuple(sorted(set(refs)))
        self.lines.append(Measure(provision, key, label, value, text, drill))


def measure(store: Store, report: AnnualReport) -> tuple[tuple[Measure, ...], dict[str, tuple[str, ...]]]:
    """Measured evidence for every provision the record can measure, in Code order, and the
    case references behind each new line (keys ``sa:...``; the report's own keys are reused)."""
    period, as_of, cal = report.period, report.as_of, store.calendar
    drill: dict[str, tuple[str, ...]] = {}
    out = _Lines(drill)
    s1, s2 = report.stages
    with store.engine.connect() as conn:
        acks = conn.execute(
            select(Case.reference, Stage.requested, Stage.acknowledged)
            .join(Case, Case.id == Stage.case_id)
            .where(Stage.number == 1, Case.case_type == COMPLAINT, Stage.acknowledged.between(period.start, period.end))
        ).all()
        exts = conn.execute(
            select(
                Case.id,
                Case.reference,
                Case.service_area,
                Stage.number,
                ExtensionRow.recorded_on,
                ExtensionRow.beyond_cap,
                ExtensionRow.approved_by,
            )
            .select_from(ExtensionRow)
            .join(Stage, Stage.id == ExtensionRow.stage_id)
            .join(Case, Case.id == Stage.case_id)
            .where(Case.case_type == COMPLAINT, ExtensionRow.recorded_on.between(period.start, period.end))
        ).all()
        letters: dict[int, list[tuple[date, str]]] = {}
        ids = sorted({e.id for e in exts})
        for i in range(0, len(ids), 500):
            for cid, at, body in conn.execute(
                select(Correspondence.case_id, Correspondence.at, Correspondence.body).where(
                    Correspondence.case_id.in_(ids[i : i + 500]),
                    Correspondence.kind == "letter",
                    Correspondence.letter_kind == "extension",
                )
            ).all():
                letters.setdefault(cid, []).append(((at if at.tzinfo else at.replace(tzinfo=UTC)).date(), body))
        stage2 = conn.execute(
            select(Case.reference, Stage.case_id, Stage.officer_id)
            .join(Case, Case.id == Stage.case_id)
            .where(
                Stage.number == 2,
                Case.case_type == COMPLAINT,
                or_(
                    Stage.acknowledged.between(period.start, period.end),
                    Stage.responded.between(period.start, period.end),
                ),
            )
        ).all()
        s1_officer = (
            dict(
                conn.execute(
                    select(Stage.case_id, Stage.officer_id).where(
                        Stage.number == 1, Stage.case_id.in_([r.case_id for r in stage2])
                    )
                ).all()
            )
            if stage2
            else {}
        )
        actions = conn.execute(
            select(Case.reference, Action.stage_number, Action.due)
            .join(Case, Case.id == Action.case_id)
            .where(
                Action.created_at < _midnight_after(as_of),
                Case.case_type == COMPLAINT,
                or_(Action.done == False, Action.completed_on > as_of),
            )  # noqa: E712
        ).all()
        adj_residents = conn.execute(
            select(Adjustment.resident_id, Adjustment.review_date).where(
                Adjustment.active == True, Adjustment.agreed_on <= as_of
            )  # noqa: E712
        ).all()
        disclosed = conn.execute(
            select(func.count())
            .select_from(Disability)
            .where(Disability.disclosed_on.between(period.start, period.end))
        ).scalar_one()
        restrictions = conn.execute(
            select(Restriction.resident_id, Restriction.review_date).where(
                Restriction.active == True, Restriction.starts_on <= as_of
            )  # noqa: E712
        ).all()
        flagged = {r for r, due in adj_residents if due < as_of} | {r for r, due in restrictions if due < as_of}
        resident_cases: dict[int, list[str]] = {}
        if flagged:
            for rid, ref in conn.execute(
                select(Case.resident_id, Case.reference).where(
                    Case.resident_id.in_(sorted(flagged)), Case.received <= period.end
                )
            ).all():
                resident_cases.setdefault(rid, []).append(ref)
        requests = conn.execute(
            select(
                func.count().filter(ServiceRequest.received.between(period.start, period.end)),
                func.count().filter(and_(ServiceRequest.received <= as_of, ServiceRequest.status == "open")),
            ).select_from(ServiceRequest)
        ).one()
        raised = [
            r
            for (r,) in conn.execute(
                select(Case.reference).where(
                    Case.service_request_id.is_not(None), Case.received.between(period.start, period.end)
                )
            ).all()
        ]
        discretion = [
            r
            for (r,) in conn.execute(
                select(Case.reference).where(
                    Case.case_type == COMPLAINT,
                    Case.discretion_reason != "",
                    Case.received.between(period.start, period.end),
                )
            ).all()
        ]
        learned = [
            r
            for (r,) in conn.execute(
                select(Case.reference)
                .join(CaseLearning, CaseLearning.case_id == Case.id)
                .where(
                    Case.case_type == COMPLAINT,
                    Case.received.between(period.start, period.end),
                    CaseLearning.root_cause != "",
                )
            ).all()
        ]
        improvements = conn.execute(
            select(ServiceImprovement.status, func.count())
            .where(ServiceImprovement.status_on.between(period.start, period.end))
            .group_by(ServiceImprovement.status)
        ).all()

    # 1.4 service requests
    out.add(
        "1.4",
        "service_requests",
        "Service requests recorded in the period",
        int(requests[0]),
        f"{int(requests[0]):,} recorded; {int(requests[1]):,} still open at {as_of:%d %b %Y}",
    )
    out.add(
        "1.5",
        "raised_from_requests",
        "Complaints raised from a service request",
        len(raised),
        f"{len(raised):,} complaints raised from a service request",
        refs=raised,
    )

    # 2.x refusals by ground
    refused_total = sum(c.count for c in report.not_accepted_by_ground)
    out.add(
        "2.1",
        "not_accepted",
        "Complaints not accepted",
        refused_total,
        f"{refused_total:,} not accepted of {s1.received:,} received"
        + (
            ""
            if not report.not_accepted_by_ground
            else ": " + "; ".join(f"{c.label} {c.count:,}" for c in report.not_accepted_by_ground)
        ),
        refs=[r for c in report.not_accepted_by_ground for r in report.drill.get(c.key, ())],
    )
    for ground, label in GROUND_NAMES.items():
        key = f"not_accepted:{ground}"
        refs = report.drill.get(key, ())
        out.add("2.2", f"not_accepted_{ground}", f"Not accepted: {label}", len(refs), f"{len(refs):,}", refs=refs)
    over = report.drill.get("not_accepted:over-12-months", ())
    out.add(
        "2.3",
        "over_12_months",
        "Refused as over 12 months old / accepted on discretion",
        len(over),
        f"{len(over):,} refused as over 12 months old; {len(discretion):,} older complaints accepted on discretion",
        refs=[*over, *discretion],
    )

    # 5.10 reasonable adjustments, 5.14 restrictions
    residents_adj = {r for r, _ in adj_residents}
    overdue_adj = {r for r, due in adj_residents if due < as_of}
    out.add(
        "5.10",
        "adjustments",
        "Residents with adjustments in force; reviews overdue",
        len(overdue_adj),
        f"{len(residents_adj):,} residents with agreed adjustments at {as_of:%d %b %Y}, "
        f"{report.adjustments.recorded:,} adjustments agreed and {disclosed:,} disabilities recorded in the period; "
        f"{report.adjustments.reviews_overdue:,} adjustment reviews overdue ({len(overdue_adj):,} residents)",
        refs=[ref for r in overdue_adj for ref in resident_cases.get(r, ())],
    )
    overdue_res = {r for r, due in restrictions if due < as_of}
    late = sum(1 for _, due in restrictions if due < as_of)
    out.add(
        "5.14",
        "restrictions",
        "Contact restrictions reviewed on time",
        late,
        f"{len(restrictions) - late:,} of {len(restrictions):,} restrictions in force are within their review date; "
        f"{late:,} overdue for review at {as_of:%d %b %Y}"
        if restrictions
        else "none: no contact restrictions in force",
        refs=[ref for r in overdue_res for ref in resident_cases.get(r, ())],
    )

    # 6.2 / 6.11 acknowledgement
    days = [cal.count(r.requested, r.acknowledged) for r in acks]
    mid = median(days) if days else None
    med = None if mid is None else Decimal(int(mid)) if mid == int(mid) else Decimal(str(mid))
    out.add(
        "6.2",
        "stage1_ack",
        "Stage 1 complaints acknowledged within 5 working days",
        s1.acknowledged_in_time_pct,
        share(s1.acknowledged_in_time, s1.acknowledged, "Stage 1 complaints acknowledged"),
        drill=s1.key("acknowledged_in_time"),
    )
    out.add(
        "6.2",
        "stage1_ack_late",
        "Stage 1 acknowledged late",
        s1.acknowledged - s1.acknowledged_in_time,
        f"{s1.acknowledged - s1.acknowledged_in_time:,} acknowledged late",
        drill=s1.key("acknowledged_late"),
    )
    out.add(
        "6.2",
        "stage1_ack_median",
        "Median working days from receipt to acknowledgement",
        med,
        "n/a: none acknowledged" if med is None else f"median {med} working days",
        drill=s1.key("acknowledged"),
    )
    # 6.3 / 6.14 responses on time
    for n, prov, st in ((1, "6.3", s1), (2, "6.14", s2)):
        out.add(
            prov,
            f"stage{n}_on_time",
            f"Stage {n} responses within the Code's timescale (CH02)",
            st.ch02,
            share(st.within_timescale, st.responded, f"Stage {n} responses"),
            drill=st.key("within_timescale"),
        )
        out.add(
            prov,
            f"stage{n}_late",
            f"Stage {n} responses outside the timescale",
            st.outside_timescale,
            f"{st.outside_timescale:,} outside the timescale",
            drill=st.key("outside_timescale"),
        )
    out.add(
        "6.11",
        "stage2_ack",
        "Stage 2 acknowledged within 5 working days",
        s2.acknowledged_in_time_pct,
        share(s2.acknowledged_in_time, s2.acknowledged, "Stage 2 acknowledgements"),
        drill=s2.key("acknowledged_in_time"),
    )

    # 6.4 / 6.15 extensions and approvals; 6.5 / 6.16 extension letters with the Ombudsman's details
    for n, cap_prov, letter_prov, st in ((1, "6.4", "6.5", s1), (2, "6.15", "6.16", s2)):
        mine = [e for e in exts if e.number == n]
        beyond = [e for e in mine if e.beyond_cap]
        approved = [e for e in beyond if e.approved_by]
        out.add(
            cap_prov,
            f"stage{n}_ext_within",
            f"Stage {n} extended within the cap",
            st.extended_within_cap,
            f"{st.extended_within_cap:,} stages extended within the cap",
            drill=st.key("extended_within_cap"),
        )
        out.add(
            cap_prov,
            f"stage{n}_ext_beyond",
            f"Stage {n} extended beyond the cap",
            st.extended_beyond_cap,
            f"{st.extended_beyond_cap:,} stages extended beyond the cap; "
            + (
                f"{len(approved):,} of {len(beyond):,} such extensions approved by a supervisor"
                if beyond
                else "no extension beyond the cap"
            ),
            drill=st.key("extended_beyond_cap"),
        )
        with_letter, without = [], []
        for e in mine:
            phone = store.settings.ombudsman_for(e.service_area or "").phone
            ok = any(day >= e.recorded_on and phone in body for day, body in letters.get(e.id, ()))
            (with_letter if ok else without).append(e.reference)
        out.add(
            letter_prov,
            f"stage{n}_ext_letters",
            f"Stage {n} extensions with a letter giving the Ombudsman's details",
            percent(len(with_letter), len(mine)),
            share(len(with_letter), len(mine), f"Stage {n} extensions"),
            refs=with_letter,
        )
        out.add(
            letter_prov,
            f"stage{n}_ext_no_letter",
            f"Stage {n} extensions with no such letter on record",
            len(without),
            f"{len(without):,} without such a letter on record",
            refs=without,
        )

    # 6.6 / 6.17 outstanding actions
    for n, prov in ((1, "6.6"), (2, "6.17")):
        open_ = [a.reference for a in actions if a.stage_number == n]
        overdue = [a.reference for a in actions if a.stage_number == n and a.due < as_of]
        out.add(
            prov,
            f"stage{n}_actions",
            f"Stage {n} outstanding actions open / overdue",
            len(overdue),
            f"{len(open_):,} open at {as_of:%d %b %Y}, of which {len(overdue):,} overdue",
            refs=open_,
        )
        out.add(
            prov,
            f"stage{n}_actions_overdue",
            f"Stage {n} outstanding actions overdue",
            len(overdue),
            f"{len(overdue):,} overdue",
            refs=overdue,
        )

    # 6.13 a different officer at Stage 2
    different = [r.reference for r in stage2 if r.officer_id is not None and r.officer_id != s1_officer.get(r.case_id)]
    same = [r.reference for r in stage2 if r.officer_id is not None and r.officer_id == s1_officer.get(r.case_id)]
    out.add(
        "6.13",
        "stage2_officer",
        "Stage 2 considered by someone who did not consider Stage 1",
        percent(len(different), len(different) + len(same)),
        share(len(different), len(different) + len(same), "Stage 2 complaints acknowledged or answered"),
        refs=different,
    )
    out.add(
        "6.13",
        "stage2_same_officer",
        "Stage 2 considered by the Stage 1 officer",
        len(same),
        f"{len(same):,} by the Stage 1 officer",
        refs=same,
    )

    # 5.11 escalation refused by ground
    esc = sum(c.count for c in report.escalation_refused_by_ground)
    out.add(
        "5.11",
        "escalation_refused",
        "Escalations refused, by section 2 ground",
        esc,
        f"{esc:,} escalations refused"
        + ("" if not esc else ": " + "; ".join(f"{c.label} {c.count:,}" for c in report.escalation_refused_by_ground)),
        refs=[r for c in report.escalation_refused_by_ground for r in report.drill.get(c.key, ())],
    )

    # 7.x remedies
    r = report.remedies
    out.add(
        "7.3",
        "remedies",
        "Remedies offered, each with what will happen and by when",
        r.offered,
        f"{r.offered:,} remedies offered"
        + (
            ""
            if not r.offered_by_kind
            else " (" + ", ".join(f"{c.label.lower()} {c.count:,}" for c in r.offered_by_kind) + ")"
        ),
        drill="remedies_offered",
    )

    # 9.1 / 9.2 learning
    counts = dict(improvements)
    total = sum(counts.values())
    out.add(
        "9.1",
        "improvements",
        "Service improvements in the register",
        total,
        f"{total:,} service improvements dated in the period ({counts.get('done', 0):,} done, "
        f"{counts.get('in-progress', 0):,} in progress, {counts.get('planned', 0):,} planned)",
    )
    received = report.drill.get(s1.key("received"), ())
    learned_received = [ref for ref in learned if ref in set(received)]
    out.add(
        "9.2",
        "root_causes",
        "Complaints with a root cause recorded",
        percent(len(learned_received), len(received)),
        share(len(learned_received), len(received), "Stage 1 complaints received"),
        refs=learned_received,
    )
    return tuple(out.lines), drill
