"""The read model of one case: the frozen dataclasses the case detail screen, the letters and
the command line get (header, resident, stages, deadline, remedies, actions, correspondence,
registers, timeline), and the red/amber/green rule for a countdown.

Kept apart from the loading in :mod:`caseworker.store.queries.case` (which re-exports all of
it), so code that only names these types need not read the queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from caseworker.clock import local
from caseworker.rules.recording import LateRecord


def rag(days_left: int | None) -> str:
    """Red when overdue or due today, amber within 2 working days, green otherwise ("" with no deadline)."""
    if days_left is None:
        return ""
    if days_left <= 0:
        return "red"
    if days_left <= 2:
        return "amber"
    return "green"


def as_utc(at: datetime) -> datetime:
    """A stored timestamp as timezone-aware UTC (SQLite hands them back naive), so all sort together."""
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


# -- dataclasses ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseHeader:
    """The case itself: reference, type, stage, status, officer and what was logged."""

    id: int
    reference: str
    case_type: str
    stage: int
    status: str
    closed: bool
    officer_login: str
    officer_name: str
    version: int
    received: date
    issue_date: date | None
    channel: str
    service_area: str
    category: str
    summary: str
    policy_key: str
    discretion_reason: str
    next_due: date | None
    next_due_kind: str
    related_case: str  # reference of the case this one is linked to, or ""
    linked_cases: tuple[str, ...]  # references of cases linked to this one (6.8)
    service_request: str  # reference of the service request it was raised from, or ""
    updated_at: datetime
    updated_by: str
    officer_title: str = ""  # the current officer's job title (letters sign with name and title)
    logged: date | None = None  # when it was logged, if later than received (3.2)


@dataclass(frozen=True)
class ResidentInfo:
    """The resident the case is about."""

    id: int
    name: str
    address: str
    email: str
    phone: str
    preferred_channel: str
    vulnerable: bool
    notes: str
    version: int = 1  # what a correction of their details is given back (the version check)


@dataclass(frozen=True)
class RepresentativeInfo:
    """Someone acting for the resident, with consent (3.6)."""

    id: int
    name: str
    relationship: str
    address: str
    email: str
    consent_recorded: bool
    consent_date: date | None
    consent_notes: str
    phone: str = ""
    version: int = 1


@dataclass(frozen=True)
class DeadlineInfo:
    """The live Code deadline with its countdown and explanation."""

    kind: str  # "acknowledge" or "respond"
    stage: int
    label: str  # e.g. "Stage 1 response"
    due: date
    days_left: int
    rag: str
    code_ref: str
    explanation: str
    #: The date the Code's timescale gives, when a promise made in an issued letter is the
    #: deadline instead and the two differ (the case shows both); else None.
    code_due: date | None = None
    promised: date | None = None
    #: Breaches of the Code's timescales on this case so far, each with its paragraph.
    breaches: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtensionInfo:
    """An extension of a stage's response deadline."""

    id: int
    working_days: int
    reason: str
    good_reason: str
    approved_by: str  # "" when no approval was needed
    beyond_cap: bool
    resident_told: date
    recorded_on: date
    recorded_by: str
    told_late: bool = False  # told to the resident after the response was due: kept, flagged, not counted


@dataclass(frozen=True)
class StageInfo:
    """One stage: dates, officer, complaint definition, response and extensions."""

    number: int
    officer_login: str
    officer_name: str
    requested: date
    request_reason: str
    acknowledged: date | None
    responded: date | None
    ack_due: date | None
    response_due: date | None
    issues: str
    outcomes: str
    responsible: str
    not_responsible: str
    decision: str
    reasons: str
    no_remedy: bool
    no_actions: bool
    extensions: tuple[ExtensionInfo, ...]
    officer_title: str = ""  # the stage officer's job title (letters sign with name and title)
    policy_key: str = ""  # the stage's own profile when not the case's
    promised_due: date | None = None  # the response date promised in an issued letter
    promised_ext_days: int = 0

    @property
    def extended_days(self) -> int:
        """Working days of extension counted at this stage (those told to the resident in time)."""
        return sum(e.working_days for e in self.extensions if not e.told_late)


@dataclass(frozen=True)
class ExclusionInfo:
    """A decision not to accept, or not to escalate, with its section 2 ground."""

    id: int
    kind: str
    ground: str
    ground_label: str
    reasons: str
    decided_on: date
    decided_by: str


@dataclass(frozen=True)
class RemedyInfo:
    """A remedy offered (section 7). Money is in pence."""

    id: int
    stage_number: int
    kind: str
    description: str
    by_when: date
    amount_pence: int | None
    guidance_key: str
    calculation_basis: str
    rationale: str
    state: str
    offered_on: date
    accepted_on: date | None
    declined_on: date | None
    paid_on: date | None
    completed_on: date | None
    version: int = 1  # pass to services.move_remedy
    payment_reference: str = ""  # entered when paid; "" not recorded
    guidance_reason: str = ""  # why guidance other than the guidance in force was used (7.4)


@dataclass(frozen=True)
class ActionUpdateInfo:
    """An update on an outstanding action."""

    id: int
    on: date
    text: str
    resident_told: bool
    by: str


@dataclass(frozen=True)
class ActionInfo:
    """An outstanding action (6.6, 6.17); ``overdue`` when not done and past its due date."""

    id: int
    stage_number: int
    description: str
    owner: str
    due: date
    done: bool
    completed_on: date | None
    overdue: bool
    updates: tuple[ActionUpdateInfo, ...]
    version: int = 1  # pass to services.update_action
    owner_name: str = ""  # the officer's name when ``owner`` is an officer's login


@dataclass(frozen=True)
class CorrespondenceInfo:
    """A note, letter, email, call or visit."""

    id: int
    kind: str
    direction: str
    letter_kind: str
    subject: str
    body: str
    at: datetime
    by: str
    letter_date: date | None = None  # an issued letter: the date printed on it
    letter_format: str = ""  # an issued letter: its print choices (JSON), for a reprint as sent
    dated: date | None = None  # the day it happened (made, sent, received) when it was recorded later
    #: Recorded after the day it happened: how (and whether the Code flags it, 5.12 / 6.11).
    late: LateRecord | None = None

    @property
    def on(self) -> date:
        """The day it happened: ``dated``, or the day it was recorded in UK time (:func:`caseworker.clock.local`)."""
        return self.dated or local(self.at).date()


@dataclass(frozen=True)
class DisabilityInfo:
    """A disability the resident disclosed (5.10)."""

    id: int
    description: str
    disclosed_on: date
    recorded_by: str


@dataclass(frozen=True)
class AdjustmentInfo:
    """A reasonable adjustment; ``review_overdue`` when active and its review date has passed."""

    id: int
    kind: str
    details: str
    agreed_on: date
    review_date: date
    active: bool
    recorded_by: str
    review_overdue: bool


@dataclass(frozen=True)
class RestrictionInfo:
    """A contact restriction; ``review_overdue`` when active and its review date has passed."""

    id: int
    restriction: str
    evidence: str
    authorised_by: str
    starts_on: date
    review_date: date
    active: bool
    review_overdue: bool


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case history: an audit event or a correspondence item."""

    at: datetime  # timezone-aware UTC
    who: str
    what: str  # the audit action, or the correspondence kind
    detail: str
    source: str  # "audit" or "correspondence"
    source_id: int


@dataclass(frozen=True)
class CaseDetail:
    """Everything shown when a case is opened."""

    header: CaseHeader
    resident: ResidentInfo
    representative: RepresentativeInfo | None
    deadline: DeadlineInfo | None
    stages: tuple[StageInfo, ...]
    exclusions: tuple[ExclusionInfo, ...]
    remedies: tuple[RemedyInfo, ...]
    actions: tuple[ActionInfo, ...]
    correspondence: tuple[CorrespondenceInfo, ...]
    disabilities: tuple[DisabilityInfo, ...]
    adjustments: tuple[AdjustmentInfo, ...]
    restrictions: tuple[RestrictionInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    flags: frozenset[str]  # as in the inbox: adjustments, restriction, vulnerable, overdue-actions
    today: date
    officer_names: Mapping[str, str] = field(default_factory=dict)  # login -> full name, for display
    extension_requests: tuple = ()  # queries.approvals.ExtensionRequestInfo, oldest first (rule 14)

    #: Entries in the whole history; ``timeline`` holds the newest page of them (oldest first),
    #: and ``timeline_older`` says where the next older page starts (None: it is all there).
    #: Correspondence holds every letter and the items on that page. ``timeline_total`` is None
    #: when the case was read without counting a history longer than the page (the case screen
    #: counts it after showing the case: counting is the one part that grows with the history).
    timeline_total: int | None = 0
    timeline_older: object = None

    @property
    def pending_requests(self) -> tuple:
        """Extension requests past the cap still waiting for a supervisor."""
        return tuple(r for r in self.extension_requests if r.state == "pending")

    def name_of(self, login: str | None) -> str:
        """An officer's full name for display (the login itself if no name is known)."""
        return self.officer_names.get(login or "", login or "")

    @property
    def current_stage(self) -> StageInfo | None:
        """The stage the case is at."""
        return next((s for s in self.stages if s.number == self.header.stage), None)
