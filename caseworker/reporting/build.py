"""Build the annual report from the store: a handful of narrow SQL queries over joins, with
the deadline arithmetic (which needs the working-day calendar) done in Python.

Queries return plain column tuples, never ORM objects. One query fetches every stage
requested, acknowledged or responded in the period with its extension totals (a grouped
subquery); the others fetch extensions, exclusions, remedies and actions in the period,
and count adjustments in SQL. All run in one read transaction, so the figures agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from caseworker.reporting.model import (
    DECISIONS,
    ENQUIRY_TYPES,
    GROUND_NAMES,
    ActionFigures,
    AdjustmentFigures,
    AnnualReport,
    Count,
    EnquiryFigures,
    QuarterFigures,
    RemedyFigures,
    StageFigures,
    average,
    per_thousand,
    percent,
)
from caseworker.reporting.period import Period, financial_year_of
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import response_start, stage_deadlines
from caseworker.rules.policy import Policy
from caseworker.store.context import Store
from caseworker.store.models import Action, Adjustment, Case, Exclusion, Remedy, Stage
from caseworker.store.models import Extension as ExtensionRow

COMPLAINT = "complaint"


@dataclass(frozen=True)
class _StageRow:
    """One stage as fetched, with what Python works out from the calendar."""

    reference: str
    case_type: str
    number: int
    requested: date
    acknowledged: date | None
    responded: date | None
    decision: str
    status: str
    case_stage: int
    service_area: str
    category: str
    ack_in_time: bool | None  # None: not acknowledged
    in_time: bool | None  # None: not responded
    days: int | None  # working days from the start of the response clock to the response


def _judge(row, policies: dict[str, Policy], cal: WorkingCalendar) -> _StageRow:
    """Acknowledged within its timescale? Responded within it? How many working days?

    The due dates come from :func:`rules.deadlines.stage_deadlines`, the one place they are
    computed: a late acknowledgement buys no time, an extension told to the resident late is
    not counted (so it never makes a late response timely), and a promise made in an issued
    letter stands as the deadline.
    """
    policy = policies[row.stage_policy or row.policy_key]
    sp = policy.stage(row.number)
    ack_in_time = in_time = days = None
    ext_days = int(row.ext_days or 0)
    due = stage_deadlines(
        policy,
        cal,
        row.number,
        row.received,
        row.requested,
        row.acknowledged,
        ext_days,
        row.promised_due,
        row.promised_ext_days or 0,
    )
    if row.acknowledged is not None:
        ack_in_time = row.acknowledged <= due.ack_due
    if row.responded is not None:
        start, _ = response_start(sp, row.received, row.requested, row.acknowledged, due.ack_due)
        start = start or row.requested
        cap = sp.extension_cap
        beyond = bool(row.ext_beyond) or (ext_days > 0 and (cap is None or ext_days > cap))
        in_time = not beyond and due.response_due is not None and row.responded <= due.response_due
        days = cal.count(start, row.responded)
    return _StageRow(
        reference=row.reference,
        case_type=row.case_type,
        number=row.number,
        requested=row.requested,
        acknowledged=row.acknowledged,
        responded=row.responded,
        decision=row.decision or "",
        status=row.status,
        case_stage=row.case_stage,
        service_area=row.service_area or "",
        category=row.category or "",
        ack_in_time=ack_in_time,
        in_time=in_time,
        days=days,
    )


def _between(column, period: Period):
    return column.between(period.start, period.end)


def _stage_rows(conn: Connection, period: Period):
    ext = (
        select(
            ExtensionRow.stage_id.label("stage_id"),
            func.sum(ExtensionRow.working_days).label("ext_days"),
            func.max(case((ExtensionRow.beyond_cap, 1), else_=0)).label("ext_beyond"),
        )
        .where(ExtensionRow.told_late == False)  # noqa: E712  (told late: never counted, 6.4/6.15)
        .group_by(ExtensionRow.stage_id)
        .subquery()
    )
    q = (
        select(
            Case.reference,
            Case.case_type,
            Case.received,
            Case.policy_key,
            Case.status,
            Case.stage.label("case_stage"),
            Case.service_area,
            Case.category,
            Stage.number,
            Stage.requested,
            Stage.acknowledged,
            Stage.responded,
            Stage.decision,
            Stage.policy_key.label("stage_policy"),
            Stage.promised_due,
            Stage.promised_ext_days,
            ext.c.ext_days,
            ext.c.ext_beyond,
        )
        .join(Case, Case.id == Stage.case_id)
        .outerjoin(ext, ext.c.stage_id == Stage.id)
        .where(
            or_(
                _between(Stage.requested, period),
                _between(Stage.acknowledged, period),
                _between(Stage.responded, period),
            )
        )
        .order_by(Case.reference, Stage.number)
    )
    return conn.execute(q).all()


class _Drill:
    """Case references behind each figure: an ordered set per key, so a case counts once."""

    def __init__(self) -> None:
        self.lists: dict[str, dict[str, None]] = {}

    def add(self, key: str, reference: str) -> None:
        self.lists.setdefault(key, {})[reference] = None

    def declare(self, *keys: str) -> None:
        for key in keys:
            self.lists.setdefault(key, {})

    def n(self, key: str) -> int:
        return len(self.lists.get(key, ()))

    def frozen(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(sorted(v)) for k, v in self.lists.items()}


def _breakdown(drill: _Drill, prefix: str, counter: Counter, labels: dict[str, str] | None = None) -> tuple[Count, ...]:
    """Counts largest first (then by name), keyed ``prefix:name``."""
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(
        Count(f"{prefix}:{name}", (labels or {}).get(name, name or "(not recorded)"), drill.n(f"{prefix}:{name}"))
        for name, _ in items
    )


def _utc_midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def annual_report(store: Store, period: Period | None = None) -> AnnualReport:
    """The annual complaints performance report for ``period`` (the current financial year by default)."""
    today = store.today()
    period = period or Period.financial_year(financial_year_of(today))
    as_of = min(period.end, today)
    cal = store.calendar
    homes = store.settings.homes
    quarters = period.quarters()
    q_starts = [q.start for q in quarters]

    def quarter_label(day: date) -> str:
        return quarters[bisect_right(q_starts, day) - 1].label

    with store.engine.connect() as conn:
        raw = _stage_rows(conn, period)
        keys = {r.policy_key for r in raw} | {r.stage_policy for r in raw if r.stage_policy}
        policies = {k: store.policy(k) for k in keys}
        rows = [_judge(r, policies, cal) for r in raw]
        extensions = conn.execute(
            select(Case.reference, Stage.number, func.max(case((ExtensionRow.beyond_cap, 1), else_=0)).label("beyond"))
            .select_from(ExtensionRow)
            .join(Stage, Stage.id == ExtensionRow.stage_id)
            .join(Case, Case.id == Stage.case_id)
            .where(
                _between(ExtensionRow.recorded_on, period), Case.case_type == COMPLAINT, ExtensionRow.told_late == False
            )  # noqa: E712  (told late: a breach, not an extension)
            .group_by(ExtensionRow.stage_id, Case.reference, Stage.number)
        ).all()
        exclusions = conn.execute(
            select(Case.reference, Exclusion.kind, Exclusion.ground)
            .join(Case, Case.id == Exclusion.case_id)
            .where(_between(Exclusion.decided_on, period), Case.case_type == COMPLAINT)
            .order_by(Case.reference)
        ).all()
        remedies = conn.execute(
            select(Case.reference, Remedy.kind, Remedy.amount_pence, Remedy.offered_on, Remedy.paid_on)
            .join(Case, Case.id == Remedy.case_id)
            .where(
                or_(_between(Remedy.offered_on, period), _between(Remedy.paid_on, period)), Case.case_type == COMPLAINT
            )
            .order_by(Case.reference)
        ).all()
        actions = conn.execute(
            select(Case.reference, Action.due)
            .join(Case, Case.id == Action.case_id)
            .where(
                Action.created_at < _utc_midnight_after(as_of),
                Case.case_type == COMPLAINT,
                or_(Action.done == False, Action.completed_on > as_of),
            )
            .order_by(Case.reference)
        ).all()
        recorded, overdue_reviews = conn.execute(
            select(
                func.count().filter(_between(Adjustment.agreed_on, period)),
                func.count().filter(
                    and_(Adjustment.active == True, Adjustment.agreed_on <= as_of, Adjustment.review_date < as_of)
                ),
            ).select_from(Adjustment)
        ).one()

    drill = _Drill()
    for n in (1, 2):
        drill.declare(
            *(
                f"stage{n}_{k}"
                for k in (
                    "received",
                    "refused",
                    "withdrawn",
                    "responded",
                    "within_timescale",
                    "outside_timescale",
                    "acknowledged",
                    "acknowledged_in_time",
                    "acknowledged_late",
                    "extended_within_cap",
                    "extended_beyond_cap",
                    "longest",
                )
            ),
            *(f"stage{n}_{d}" for d, _ in DECISIONS),
        )
        for q in quarters:
            drill.declare(*(f"{q.label.lower()}_stage{n}_{k}" for k in ("received", "responded", "within_timescale")))
    for t, _ in ENQUIRY_TYPES:
        drill.declare(*(f"{t}_{k}" for k in ("received", "responded", "within_timescale")))
        drill.declare(*(f"{t}_stage2_{k}" for k in ("received", "responded", "within_timescale")))
    drill.declare("escalation_requests", "remedies_offered", "remedies_paid", "actions_open", "actions_overdue")

    areas: Counter = Counter()
    categories: Counter = Counter()
    days: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        s = f"stage{r.number}"
        if r.case_type != COMPLAINT:
            _enquiry(drill, r, period)
            continue
        if r.requested in period:
            drill.add(f"{s}_received", r.reference)
            drill.add(f"{quarter_label(r.requested).lower()}_{s}_received", r.reference)
            if r.number == 2:
                drill.add("escalation_requests", r.reference)
            if r.case_stage == r.number and r.status in ("not-accepted", "escalation-refused"):
                drill.add(f"{s}_refused", r.reference)
            if r.case_stage == r.number and r.status == "withdrawn":
                drill.add(f"{s}_withdrawn", r.reference)
            if r.number == 1:
                areas[r.service_area] += 1
                categories[f"{r.service_area}: {r.category or '(no category)'}"] += 1
                drill.add(f"area:{r.service_area}", r.reference)
                drill.add(f"category:{r.service_area}: {r.category or '(no category)'}", r.reference)
        if r.acknowledged is not None and r.acknowledged in period:
            drill.add(f"{s}_acknowledged", r.reference)
            drill.add(f"{s}_acknowledged_in_time" if r.ack_in_time else f"{s}_acknowledged_late", r.reference)
        if r.responded is not None and r.responded in period:
            ql = quarter_label(r.responded).lower()
            drill.add(f"{s}_responded", r.reference)
            drill.add(f"{ql}_{s}_responded", r.reference)
            drill.add(f"{s}_within_timescale" if r.in_time else f"{s}_outside_timescale", r.reference)
            if r.in_time:
                drill.add(f"{ql}_{s}_within_timescale", r.reference)
            if r.decision:
                drill.add(f"{s}_{r.decision}", r.reference)
            days[r.number].append((r.days or 0, r.reference))

    for ext in extensions:
        drill.add(f"stage{ext.number}_extended_{'beyond' if ext.beyond else 'within'}_cap", ext.reference)

    not_accepted: Counter = Counter()
    refused: Counter = Counter()
    for x in exclusions:
        counter, prefix = (
            (not_accepted, "not_accepted") if x.kind == "not-accepted" else (refused, "escalation_refused")
        )
        counter[x.ground] += 1
        drill.add(f"{prefix}:{x.ground}", x.reference)

    stages = []
    for n in (1, 2):
        s = f"stage{n}"
        spans = days[n]
        longest = max(spans, default=None)
        if longest is not None:
            for d, ref in spans:
                if d == longest[0]:
                    drill.add(f"{s}_longest", ref)
        responded = drill.n(f"{s}_responded")
        stages.append(
            StageFigures(
                stage=n,
                received=drill.n(f"{s}_received"),
                refused=drill.n(f"{s}_refused"),
                withdrawn=drill.n(f"{s}_withdrawn"),
                ch01=per_thousand(drill.n(f"{s}_received"), homes),
                responded=responded,
                within_timescale=drill.n(f"{s}_within_timescale"),
                outside_timescale=drill.n(f"{s}_outside_timescale"),
                ch02=percent(drill.n(f"{s}_within_timescale"), responded),
                acknowledged=drill.n(f"{s}_acknowledged"),
                acknowledged_in_time=drill.n(f"{s}_acknowledged_in_time"),
                acknowledged_in_time_pct=percent(drill.n(f"{s}_acknowledged_in_time"), drill.n(f"{s}_acknowledged")),
                extended_within_cap=drill.n(f"{s}_extended_within_cap"),
                extended_beyond_cap=drill.n(f"{s}_extended_beyond_cap"),
                outcomes=tuple(Count(f"{s}_{d}", label, drill.n(f"{s}_{d}")) for d, label in DECISIONS),
                average_days=average(sum(d for d, _ in spans), len(spans)),
                longest_days=longest[0] if longest else None,
            )
        )

    quarter_figs = []
    for q in quarters:
        for n in (1, 2):
            k = f"{q.label.lower()}_stage{n}"
            quarter_figs.append(
                QuarterFigures(
                    quarter=q,
                    stage=n,
                    received=drill.n(f"{k}_received"),
                    responded=drill.n(f"{k}_responded"),
                    within_timescale=drill.n(f"{k}_within_timescale"),
                    ch02=percent(drill.n(f"{k}_within_timescale"), drill.n(f"{k}_responded")),
                )
            )

    remedy_figs = _remedies(drill, remedies, period)
    for a in actions:
        drill.add("actions_open", a.reference)
        if a.due < as_of:
            drill.add("actions_overdue", a.reference)

    return AnnualReport(
        period=period,
        organisation=store.settings.organisation.name,
        homes=homes,
        generated_on=today,
        as_of=as_of,
        stages=(stages[0], stages[1]),
        escalation_requests=drill.n("escalation_requests"),
        stage1_responses=stages[0].responded,
        escalation_rate=percent(drill.n("escalation_requests"), stages[0].responded),
        by_service_area=_breakdown(drill, "area", areas),
        by_category=_breakdown(drill, "category", categories),
        not_accepted_by_ground=_breakdown(drill, "not_accepted", not_accepted, GROUND_NAMES),
        escalation_refused_by_ground=_breakdown(drill, "escalation_refused", refused, GROUND_NAMES),
        remedies=remedy_figs,
        actions=ActionFigures(as_of=as_of, open=len(actions), overdue=sum(1 for a in actions if a.due < as_of)),
        adjustments=AdjustmentFigures(as_of=as_of, recorded=int(recorded), reviews_overdue=int(overdue_reviews)),
        enquiries=tuple(
            EnquiryFigures(
                t,
                label,
                drill.n(f"{t}_received"),
                drill.n(f"{t}_responded"),
                drill.n(f"{t}_within_timescale"),
                percent(drill.n(f"{t}_within_timescale"), drill.n(f"{t}_responded")),
                stage2_received=drill.n(f"{t}_stage2_received"),
                stage2_responded=drill.n(f"{t}_stage2_responded"),
                stage2_within_timescale=drill.n(f"{t}_stage2_within_timescale"),
                stage2_within_pct=percent(drill.n(f"{t}_stage2_within_timescale"), drill.n(f"{t}_stage2_responded")),
            )
            for t, label in ENQUIRY_TYPES
        ),
        quarters=tuple(quarter_figs),
        drill=drill.frozen(),
    )


def _enquiry(drill: _Drill, r: _StageRow, period: Period) -> None:
    """An MP or councillor enquiry counted apart, at whichever stage it is (keys ``mp-enquiry_received``
    at Stage 1, ``mp-enquiry_stage2_received`` at Stage 2)."""
    key = r.case_type if r.number == 1 else f"{r.case_type}_stage2"
    if r.requested in period:
        drill.add(f"{key}_received", r.reference)
    if r.responded is not None and r.responded in period:
        drill.add(f"{key}_responded", r.reference)
        if r.in_time:
            drill.add(f"{key}_within_timescale", r.reference)


def _remedies(drill: _Drill, rows: Iterable, period: Period) -> RemedyFigures:
    offered = paid = offered_pence = paid_pence = 0
    kinds: Counter = Counter()
    for r in rows:
        if r.offered_on in period:
            offered += 1
            offered_pence += r.amount_pence or 0
            kinds[r.kind] += 1
            drill.add("remedies_offered", r.reference)
            drill.add(f"remedies_offered:{r.kind}", r.reference)
        if r.paid_on is not None and r.paid_on in period:
            paid += 1
            paid_pence += r.amount_pence or 0
            drill.add("remedies_paid", r.reference)
    by_kind = tuple(
        Count(f"remedies_offered:{k}", k.capitalize(), kinds[k])
        for k in (
            "apology",
            "explanation",
            "action",
            "financial",
            *sorted(set(kinds) - {"apology", "explanation", "action", "financial"}),
        )
        if kinds[k]
    )
    return RemedyFigures(
        offered=offered, offered_pence=offered_pence, paid=paid, paid_pence=paid_pence, offered_by_kind=by_kind
    )
