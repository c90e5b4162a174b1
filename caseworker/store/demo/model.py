"""The demo builder's in-memory shapes: an officer, a case *plan* (its received date and the
working-day lag of every step) and a stage as it is played.

Plain slotted dataclasses in a module of their own, so every part of the builder can use
them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker.rules.facts import Ground
from caseworker.rules.policy import Policy


@dataclass(slots=True)
class Off:
    """An officer as the builder refers to them."""

    id: int
    login: str
    name: str
    role: str


@dataclass(slots=True)
class Plan:
    """One case: its received date and the working-day lag of every step (None: not yet)."""

    case_type: str
    received: date
    policy: Policy
    resident: int
    o1: Off
    logger: Off
    area: str
    category: str
    channel: str
    summary: int = 0  # which of the area's summaries (and so its category)
    representative: int | None = None
    issue_date: date | None = None
    discretion: str = ""
    not_accepted: str | None = None  # a Ground value
    na_lag: int = 2
    withdraw: str | None = None  # "awaiting" or "open"
    withdraw_lag: int = 2
    ack1: int | None = None
    ext1: tuple[int, ...] = ()
    resp1: int | None = None  # working days from the due date: <= 0 in time, > 0 late
    decision1: str = "upheld"
    esc: int | None = None
    esc_reason: str = ""
    refuse: str | None = None  # "stage1" or "stage2"
    refuse_lag: int = 2
    refuse_ground: str = Ground.PREVIOUSLY_CONSIDERED.value
    o2: Off | None = None
    assign2: int | None = None
    ack2: int | None = None
    ext2: tuple[int, ...] = ()
    resp2: int | None = None
    decision2: str = "not-upheld"
    close: int | None = None
    actions: str = "random"  # "random", "none" or "overdue"
    related: int | None = None
    service_request: int | None = None


@dataclass(slots=True)
class StageRun:
    """A stage as it is played: its dates and definition, written as a row when the case is finished."""

    id: int
    number: int
    requested: date
    officer: Off | None
    acknowledged: date | None = None
    responded: date | None = None
    ext_days: int = 0
    request_reason: str = ""
    issues: str = ""
    outcomes: str = ""
    responsible: str = ""
    not_responsible: str = ""
    decision: str = ""
    reasons: str = ""
    no_remedy: bool = False
    no_actions: bool = False
