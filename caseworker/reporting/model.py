"""The annual report as plain frozen data: every figure, and the case references behind it.

Every count of cases is the length of its list of case references, built in the same pass,
so a figure and the cases shown behind it cannot disagree. (Remedy figures count remedies,
so there a case with two remedies is listed once behind a count of two.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from caseworker.reporting.period import Period

#: Decisions recorded in a response, in the order reports list them.
DECISIONS: tuple[tuple[str, str], ...] = (
    ("upheld", "Upheld"),
    ("partly-upheld", "Partly upheld"),
    ("not-upheld", "Not upheld"),
)

#: Short names of the section 2 grounds (the full wording is in ``rules.facts.GROUND_LABELS``).
GROUND_NAMES: dict[str, str] = {
    "over-12-months": "Issue over 12 months old (2.2a, 2.3)",
    "legal-proceedings": "Legal proceedings started (2.2b)",
    "previously-considered": "Previously considered under the policy (2.2c)",
}

#: Case types counted apart from complaints.
ENQUIRY_TYPES: tuple[tuple[str, str], ...] = (
    ("mp-enquiry", "MP enquiries"),
    ("councillor-enquiry", "Councillor enquiries"),
)

#: How the report counts, stated once and printed in every rendering.
COUNTING_RULES: tuple[str, ...] = (
    "Stage 1 complaints received: complaints whose received date is in the period, including those later "
    "not accepted or withdrawn. Stage 2 complaints received: escalation requests made in the period.",
    "CH01: complaints received at the stage divided by the number of homes, times 1,000 (2 decimal places).",
    "CH02: stages responded to within the Code's timescales divided by stages responded to in the period, "
    "times 100 (1 decimal place). A response is within the timescale when it is made on or before its due "
    "date including extensions within the policy's cap; a stage with any extension beyond the cap "
    "(even with a supervisor's approval) counts as outside the timescale.",
    "Acknowledgements: stages acknowledged in the period; within 5 working days when acknowledged on or before "
    "the due date under the case's policy (5 working days after receipt or the escalation request).",
    "Extensions: stages with an extension recorded in the period, counted once each; beyond the cap when any of "
    "those extensions took the stage's total beyond the policy's cap (supervisor approval is required for that).",
    "Withdrawn complaints count as received (CH01) but, never having been responded to, are not in CH02's denominator.",
    "Working days to respond run from the start of the stage's response clock under the case's policy "
    "(the acknowledgement, under the 2024 Code) to the response, counting working days after the start.",
    "MP and councillor enquiries are counted apart, at Stage 1 and at Stage 2, and are in none of the "
    "complaint figures.",
    "Outstanding actions are as at the end of the period, or today if that is earlier. Adjustment reviews "
    "overdue are measured on the review dates recorded now.",
)

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


def per_thousand(count: int, homes: int) -> Decimal:
    """``count`` per 1,000 homes, to 2 decimal places (half up)."""
    return (Decimal(count) * 1000 / Decimal(homes)).quantize(_CENT, ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to 1 decimal place (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, ROUND_HALF_UP)


def average(total: int, count: int) -> Decimal | None:
    """Mean to 1 decimal place (half up); None for no values."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_TENTH, ROUND_HALF_UP)


@dataclass(frozen=True)
class Count:
    """One line of a breakdown: its drill key, its label and how many."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class StageFigures:
    """Everything counted for one stage (complaints only)."""

    stage: int
    received: int
    refused: int  # of those received: not accepted (Stage 1) or escalation refused (Stage 2)
    withdrawn: int  # of those received: withdrawn at this stage
    ch01: Decimal
    responded: int
    within_timescale: int
    outside_timescale: int
    ch02: Decimal | None
    acknowledged: int
    acknowledged_in_time: int
    acknowledged_in_time_pct: Decimal | None
    extended_within_cap: int  # stages extended in the period, all within the cap
    extended_beyond_cap: int  # stages with an extension beyond the cap in the period
    outcomes: tuple[Count, ...]
    average_days: Decimal | None
    longest_days: int | None

    def key(self, name: str) -> str:
        """The drill key of one of this stage's figures, e.g. ``stage1_outside_timescale``."""
        return f"stage{self.stage}_{name}"


@dataclass(frozen=True)
class QuarterFigures:
    """One stage in one quarter."""

    quarter: Period
    stage: int
    received: int
    responded: int
    within_timescale: int
    ch02: Decimal | None

    def key(self, name: str) -> str:
        """The drill key, e.g. ``q1_stage1_received``."""
        return f"{self.quarter.label.lower()}_stage{self.stage}_{name}"


@dataclass(frozen=True)
class RemedyFigures:
    """Remedies offered and paid in the period."""

    offered: int
    offered_pence: int
    paid: int
    paid_pence: int
    offered_by_kind: tuple[Count, ...]


@dataclass(frozen=True)
class ActionFigures:
    """Outstanding actions (6.6, 6.17) as at a date."""

    as_of: date
    open: int
    overdue: int


@dataclass(frozen=True)
class AdjustmentFigures:
    """Reasonable adjustments (5.10): recorded in the period, reviews overdue as at a date."""

    as_of: date
    recorded: int
    reviews_overdue: int


@dataclass(frozen=True)
class EnquiryFigures:
    """MP or councillor enquiries, counted apart from complaints."""

    case_type: str
    label: str
    received: int
    responded: int
    within_timescale: int
    within_pct: Decimal | None
    #: The same enquiries taken to Stage 2 (escalation requests made, responses, in time).
    stage2_received: int = 0
    stage2_responded: int = 0
    stage2_within_timescale: int = 0
    stage2_within_pct: Decimal | None = None

    def key(self, name: str, stage: int = 1) -> str:
        """The drill key, e.g. ``mp-enquiry_received`` (Stage 1) or ``mp-enquiry_stage2_received``."""
        return f"{self.case_type}_{name}" if stage == 1 else f"{self.case_type}_stage2_{name}"

    def at(self, stage: int) -> tuple[int, int, int, Decimal | None]:
        """Received, responded, within timescale and the % within, at Stage 1 or 2."""
        if stage == 1:
            return self.received, self.responded, self.within_timescale, self.within_pct
        return self.stage2_received, self.stage2_responded, self.stage2_within_timescale, self.stage2_within_pct


@dataclass(frozen=True)
class Figure:
    """One figure in the flat list the CSV and the screen use."""

    section: str
    measure: str  # machine name, e.g. "ch02"
    label: str
    value: int | Decimal | None
    text: str
    stage: int | None = None
    quarter: str = ""
    drill: str = ""  # drill key, "" when the figure has no case list


@dataclass(frozen=True)
class AnnualReport:
    """The annual complaints performance report (Code 8.1) with CH01 and CH02."""

    period: Period
    organisation: str
    homes: int
    generated_on: date
    as_of: date
    stages: tuple[StageFigures, StageFigures]
    escalation_requests: int
    stage1_responses: int
    escalation_rate: Decimal | None
    by_service_area: tuple[Count, ...]
    by_category: tuple[Count, ...]
    not_accepted_by_ground: tuple[Count, ...]
    escalation_refused_by_ground: tuple[Count, ...]
    remedies: RemedyFigures
    actions: ActionFigures
    adjustments: AdjustmentFigures
    enquiries: tuple[EnquiryFigures, ...]
    quarters: tuple[QuarterFigures, ...]
    drill: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    counting_rules: tuple[str, ...] = COUNTING_RULES

    def stage(self, number: int) -> StageFigures:
        """The figures of Stage 1 or Stage 2."""
        return self.stages[number - 1]

    def cases_for(self, figure_key: str) -> list[str]:
        """The case references behind a figure, e.g. ``"stage1_outside_timescale"``.

        Raises:
            KeyError: no figure has that key.
        """
        return list(self.drill[figure_key])

    def quarter(self, label: str, stage: int) -> QuarterFigures:
        """One stage's figures in the quarter ``label`` (``"Q1"`` ... ``"Q4"``)."""
        for q in self.quarters:
            if q.quarter.label == label and q.stage == stage:
                return q
        raise KeyError(f"{label} stage {stage}")
