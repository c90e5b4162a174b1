"""The Code self-assessment for a financial year (Code 8.1) and the rest of the year's account:
Ombudsman determinations (the findings of non-compliance), service improvements, learning by
service area and over time, the Ombudsman's annual letter and the governing body's response.

``self_assessment(store, period)`` lists every provision of sections 1 to 9 with what was
saved for it (complies, evidence, commentary) and the evidence measured from the record
(:mod:`caseworker.reporting.evidence`). ``year_report(store, period)`` puts the annual report,
the self-assessment and the account together: everything an 8.1 report contains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from caseworker.reporting.evidence import Measure, measure
from caseworker.reporting.model import AnnualReport
from caseworker.reporting.period import Period
from caseworker.rules.account import ADVERSE_FINDINGS
from caseworker.rules.provisions import Provision, code_provisions
from caseworker.store.context import Store
from caseworker.store.models import Case
from caseworker.store.models_account import CaseLearning
from caseworker.store.queries.account import (
    AccountInfo,
    DeterminationRow,
    ImprovementInfo,
    determinations_in,
    improvements,
    year_account,
)


@dataclass(frozen=True)
class AssessedProvision:
    """One provision in the year's self-assessment."""

    provision: Provision
    complies: str  # "yes", "partly", "no" or "" (not yet assessed)
    evidence: str  # typed by the officer (documents, policies); the measures are the record's own
    commentary: str
    measures: tuple[Measure, ...]
    updated_by: str = ""
    updated_at: datetime | None = None
    version: int = 0  # the saved answer's version (0: nothing saved yet), for the version check


@dataclass(frozen=True)
class SelfAssessment:
    """Every provision of the Code's sections 1 to 9 for a financial year, with its evidence."""

    period: Period
    organisation: str
    generated_on: date
    as_of: date
    source: str
    sections: Mapping[int, str]
    rows: tuple[AssessedProvision, ...]
    approved_by: str
    approved_at: datetime | None
    complaints_received: int
    #: The year's recorded parts as read: the annual letter, the governing body's response and
    #: the approval (with the approver's name), for the screen to show and its forms to start from.
    account: AccountInfo | None = field(default=None, repr=False, compare=False)
    drill: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def account_version(self) -> int:
        """The year's account's version as read (0: nothing recorded yet), given back by the
        screen when it records the letter, the governing body's response or the approval."""
        return self.account.version if self.account is not None else 0

    @property
    def year(self) -> int:
        """The financial year's start year (2025 for 2025-26)."""
        return self.period.start.year

    def row(self, number: str) -> AssessedProvision:
        """The provision ``number`` (``"6.2"``). Raises KeyError if it is not listed."""
        for r in self.rows:
            if r.provision.number == number:
                return r
        raise KeyError(number)

    def cases_for(self, key: str) -> list[str]:
        """The case references behind a measured line's drill key. Raises KeyError for an unknown key."""
        return list(self.drill[key])

    def counts(self) -> Counter:
        """How many provisions are assessed yes / partly / no / not yet ("")."""
        return Counter(r.complies for r in self.rows)


def self_assessment(store: Store, period: Period, report: AnnualReport | None = None) -> SelfAssessment:
    """The self-assessment for ``period`` (a financial year), measured from the record.

    Args:
        store: the store.
        period: the financial year (``Period.financial_year(2025)``).
        report: the annual report for the same period, if already built (saves building it again).
    """
    from caseworker.reporting.build import annual_report

    report = report or annual_report(store, period)
    lines, drill = measure(store, report)
    provisions = code_provisions()
    account, entries = year_account(store, period.start.year)
    by_provision: dict[str, list[Measure]] = {}
    for m in lines:
        by_provision.setdefault(m.provision, []).append(m)
    rows = []
    for p in provisions.provisions:
        e = entries.get(p.number)
        rows.append(
            AssessedProvision(
                provision=p,
                complies=e.complies if e else "",
                evidence=e.evidence if e else "",
                commentary=e.commentary if e else "",
                measures=tuple(by_provision.get(p.number, ())),
                updated_by=e.updated_by if e else "",
                updated_at=e.updated_at if e else None,
                version=e.version if e else 0,
            )
        )
    return SelfAssessment(
        period=period,
        organisation=report.organisation,
        generated_on=report.generated_on,
        as_of=report.as_of,
        source=provisions.source,
        sections=provisions.sections,
        rows=tuple(rows),
        approved_by=account.approved_by,
        approved_at=account.approved_at,
        complaints_received=report.stage(1).received,
        account=account,
        drill={**report.drill, **drill},
    )


@dataclass(frozen=True)
class ThemeCount:
    """How many complaints carried a theme (or root cause), in a service area or a quarter."""

    group: str  # the service area, or the quarter label
    name: str
    count: int


@dataclass(frozen=True)
class YearReport:
    """The whole 8.1 report: figures and analysis, the self-assessment, and the account."""

    report: AnnualReport
    assessment: SelfAssessment
    account: AccountInfo
    determinations: tuple[DeterminationRow, ...]
    improvements: tuple[ImprovementInfo, ...]
    themes_by_area: tuple[ThemeCount, ...]
    themes_by_quarter: tuple[ThemeCount, ...]
    root_causes: tuple[ThemeCount, ...]

    @property
    def non_compliance(self) -> tuple[tuple[DeterminationRow, str, str], ...]:
        """Each adverse finding of the year: (determination, element, finding)."""
        return tuple(
            (d, f.element, f.finding)
            for d in self.determinations
            for f in d.info.findings
            if f.finding in ADVERSE_FINDINGS
        )


def _learning(store: Store, period: Period):
    """Themes by service area and by quarter, and root causes, of Stage 1 complaints received in ``period``."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Case.service_area, Case.received, CaseLearning.root_cause, CaseLearning.themes)
            .join(CaseLearning, CaseLearning.case_id == Case.id)
            .where(Case.case_type == "complaint", Case.received.between(period.start, period.end))
        ).all()
    quarters = period.quarters()
    by_area: Counter = Counter()
    by_quarter: Counter = Counter()
    causes: Counter = Counter()
    for area, received, cause, themes in rows:
        q = next(q.label for q in quarters if received in q)
        for t in (t for t in themes.splitlines() if t):
            by_area[(area or "(no service area)", t)] += 1
            by_quarter[(q, t)] += 1
        if cause:
            causes[("", cause)] += 1

    def ordered(counter: Counter, by_group_order=None) -> tuple[ThemeCount, ...]:
        items = sorted(
            counter.items(), key=lambda kv: (by_group_order(kv[0][0]) if by_group_order else kv[0][0], -kv[1], kv[0][1])
        )
        return tuple(ThemeCount(g, n, c) for (g, n), c in items)

    order = {q.label: i for i, q in enumerate(quarters)}
    return ordered(by_area), ordered(by_quarter, order.get), ordered(causes)


def year_report(store: Store, period: Period) -> YearReport:
    """Everything the annual complaints performance and service improvement report contains (8.1)."""
    from caseworker.reporting.build import annual_report

    report = annual_report(store, period)
    assessment = self_assessment(store, period, report)
    account, _ = year_account(store, period.start.year)
    by_area, by_quarter, causes = _learning(store, period)
    return YearReport(
        report=report,
        assessment=assessment,
        account=account,
        determinations=tuple(determinations_in(store, period.start, period.end)),
        improvements=tuple(improvements(store, period.start, period.end)),
        themes_by_area=by_area,
        themes_by_quarter=by_quarter,
        root_causes=causes,
    )
