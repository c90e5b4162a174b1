"""Plain data of the rules: case types, statuses, roles, refusals and the facts of a case.

Shared by the lifecycle guards, the deadline functions and the register guards; no
behaviour beyond small derived properties lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.rules.policy import Policy


class CaseType(StrEnum):
    """What came in. MP and councillor enquiries are handled like Stage 1 complaints (rule 1)."""

    COMPLAINT = "complaint"
    MP_ENQUIRY = "mp-enquiry"
    COUNCILLOR_ENQUIRY = "councillor-enquiry"


class Status(StrEnum):
    """Where the case is at its current stage."""

    AWAITING_ACK = "awaiting-acknowledgement"
    OPEN = "open"  # acknowledged and defined; under investigation
    RESPONDED = "responded"
    NOT_ACCEPTED = "not-accepted"
    ESCALATION_REFUSED = "escalation-refused"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


#: Statuses with a live Code deadline.
LIVE_STATUSES = frozenset({Status.AWAITING_ACK, Status.OPEN})


class Decision(StrEnum):
    """The decision recorded in a response (6.9 c, 6.19 c)."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly-upheld"
    NOT_UPHELD = "not-upheld"


class Ground(StrEnum):
    """Section 2 grounds for not accepting a complaint or refusing to escalate it."""

    OVER_TWELVE_MONTHS = "over-12-months"  # 2.2 (a), 2.3
    LEGAL_PROCEEDINGS = "legal-proceedings"  # 2.2 (b): claim filed at court
    PREVIOUSLY_CONSIDERED = "previously-considered"  # 2.2 (c)


GROUND_LABELS = {
    Ground.OVER_TWELVE_MONTHS: "the issue arose, or the resident became aware of it, over 12 months before the complaint",
    Ground.LEGAL_PROCEEDINGS: "legal proceedings have started (a claim has been filed at court)",
    Ground.PREVIOUSLY_CONSIDERED: "the matter has previously been considered under the complaints policy",
}


class Role(StrEnum):
    """What an officer may do."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


class RemedyState(StrEnum):
    """How far an offered remedy has got (section 7)."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PAID = "paid"
    COMPLETED = "completed"


class RemedyKind(StrEnum):
    """The kinds of remedy the Code names (section 7)."""

    APOLOGY = "apology"
    EXPLANATION = "explanation"
    ACTION = "action"
    FINANCIAL = "financial"


# -- refusals --------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why an action is not allowed: plain English, the Code paragraph, and the form field."""

    message: str
    code_ref: str
    field: str = ""

    def __str__(self) -> str:
        ref = f" (Code {self.code_ref})" if self.code_ref else ""
        return f"{self.message}{ref}"


class Refused(Exception):
    """An action refused by a rule; carries the :class:`Refusal`."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def ensure(*refusals: Refusal | None) -> None:
    """Raise :class:`Refused` for the first refusal given, if any."""
    for refusal in refusals:
        if refusal is not None:
            raise Refused(refusal)


def first(checks: Iterable[Refusal | None]) -> Refusal | None:
    """The first refusal among ``checks``, or None."""
    return next((r for r in checks if r is not None), None)


# -- plain data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """The complaint definition recorded at acknowledgement (5.6, 5.7)."""

    issues: str
    outcomes: str
    responsible: str
    not_responsible: str = ""


@dataclass(frozen=True)
class Extension:
    """An extension of a stage's response deadline (6.4, 6.15)."""

    working_days: int
    reason: str
    resident_told: date
    good_reason: str = ""
    approved_by: str | None = None
    #: The resident was told after the response was already due (6.4, 6.15): kept on the
    #: record with its reasons, flagged as a breach, and never moves the Code deadline.
    told_late: bool = False


@dataclass(frozen=True)
class StageFacts:
    """One stage of a case. ``requested`` is the receipt date at Stage 1, the escalation request at Stage 2.

    ``policy`` is the profile this stage is worked under when it differs from the case's
    (a Stage 2 requested after the 2024 Code came into force, see
    :func:`rules.policy.stage2_policy_key`); None means the case's. ``promised`` is the
    response date promised to the resident in an issued letter, made when the stage's
    counted extension days were ``promised_ext_days``.
    """

    number: int
    requested: date
    officer: str | None = None
    acknowledged: date | None = None
    responded: date | None = None
    extensions: tuple[Extension, ...] = ()
    policy: Policy | None = None
    promised: date | None = None
    promised_ext_days: int = 0

    @property
    def extended_days(self) -> int:
        """Working days of extension that count towards the deadline (those told in time)."""
        return sum(e.working_days for e in self.extensions if not e.told_late)

    @property
    def late_extensions(self) -> tuple[Extension, ...]:
        """Extensions the resident was told of after the response was due (breaches, 6.4/6.15)."""
        return tuple(e for e in self.extensions if e.told_late)


@dataclass(frozen=True)
class Consideration:
    """Someone who considered a complaint at Stage 1 (6.13), and how: "held it",
    "acknowledged and defined it", "recorded the Stage 1 response", "issued the Stage 1 response"."""

    login: str
    name: str
    how: str


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know of a case.

    ``stage1_considered`` lists everyone who considered the complaint at Stage 1 besides the
    Stage 1 officer now named (from the record: earlier holders, who acknowledged and defined
    it, who recorded or issued the response), for the different-officer rule (6.13).
    """

    case_type: CaseType
    received: date
    status: Status
    stage1: StageFacts
    stage2: StageFacts | None = None
    issue_date: date | None = None  # when the issue arose or the resident became aware
    open_actions: int = 0
    stage1_considered: tuple[Consideration, ...] = ()
    logged: date | None = None  # when it was logged; every clock still runs from ``received`` (3.2)

    @property
    def stage(self) -> int:
        """The current stage number."""
        return 2 if self.stage2 is not None else 1

    @property
    def current(self) -> StageFacts:
        """The current stage."""
        return self.stage2 if self.stage2 is not None else self.stage1

    def with_current(self, **changes) -> CaseFacts:
        """A copy with the current stage changed."""
        if self.stage2 is not None:
            return replace(self, stage2=replace(self.stage2, **changes))
        return replace(self, stage1=replace(self.stage1, **changes))


@dataclass(frozen=True)
class Actor:
    """Who is acting."""

    login: str
    role: Role = Role.OFFICER

    @property
    def supervises(self) -> bool:
        """Supervisors and administrators may do what officers may not (rule 14)."""
        return self.role in SUPERVISING_ROLES
