"""Read models for Stage 2 allocation: Stage 2 cases with a live deadline (awaiting an
officer first), active officers' workloads, and who may take a case at Stage 2 (6.13: not
the Stage 1 officer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from caseworker.rules.facts import LIVE_STATUSES
from caseworker.rules.lifecycle import stage2_ineligibility
from caseworker.store.context import Store
from caseworker.store.mapping import case_facts
from caseworker.store.models import Case, Officer, Resident, Stage
from caseworker.store.queries.case import rag
from caseworker.store.queries.inbox import _chunks, _not_closed

#: Statuses of a case at a live Code stage.
LIVE = sorted(s.value for s in LIVE_STATUSES)


@dataclass(frozen=True)
class AllocationCase:
    """A Stage 2 case with a live deadline, and who has had it."""

    case_id: int
    reference: str
    resident: str
    status: str
    requested: date | None  # the escalation request
    stage1_officer: str  # login, or ""
    stage2_officer: str  # login, or "" when awaiting allocation
    next_due: date | None
    due_kind: str
    days_left: int | None
    rag: str
    stage1_officer_name: str = ""  # full names, as screens show them
    stage2_officer_name: str = ""


@dataclass(frozen=True)
class OfficerLoad:
    """An active officer's workload: open cases (current stage theirs) and Stage 2 among them."""

    login: str
    name: str
    role: str
    open_cases: int
    stage2_open: int


@dataclass(frozen=True)
class Allocation:
    """Stage 2 cases (awaiting an officer first) and active officers' workloads."""

    cases: tuple[AllocationCase, ...]
    total: int  # Stage 2 cases with a live deadline, beyond the ``limit`` shown
    officers: tuple[OfficerLoad, ...]


@dataclass(frozen=True)
class Eligibility:
    """Whether an officer may take a case at Stage 2, and if not why (6.13)."""

    login: str
    name: str
    role: str
    eligible: bool
    reason: str  # "" when eligible


def allocation(store: Store, limit: int = 1000) -> Allocation:
    """The Stage 2 allocation screen's data: at most ``limit`` cases (``total`` says how many there are)."""
    today = store.today()
    cal = store.calendar
    with store.session() as s:
        # The current stage's officer is denormalised on the case, so the list is ordered
        # from complaint_case alone; stage and resident details follow for the page only.
        raw = s.exec(
            select(
                Case.id,
                Case.reference,
                Case.resident_id,
                Case.status,
                Case.next_due,
                Case.next_due_kind,
                func.count().over(),
            )
            # a live Stage 2 only: a case kept open by an extra deadline (an Ombudsman order) is not to allocate
            .where(Case.stage == 2, _not_closed(scan=True), Case.status.in_(LIVE))
            .order_by(
                case((Case.officer_id.is_(None), 0), else_=1),
                case((Case.next_due.is_(None), 1), else_=0),
                Case.next_due,
                Case.id,
            )
            .limit(limit)
        ).all()
        total = raw[0][6] if raw else 0
        stages: dict[tuple[int, int], tuple[date, str, str]] = {}
        names: dict[int, str] = {}
        for chunk in _chunks([r[0] for r in raw]):
            for cid, number, requested, login, name in s.exec(
                select(Stage.case_id, Stage.number, Stage.requested, Officer.login, Officer.name)
                .outerjoin(Officer, Officer.id == Stage.officer_id)
                .where(Stage.case_id.in_(chunk))
            ).all():
                stages[(cid, number)] = (requested, login or "", name or login or "")
        for chunk in _chunks(sorted({r[2] for r in raw})):
            names.update(s.exec(select(Resident.id, Resident.name).where(Resident.id.in_(chunk))).all())
        # Open cases per officer from the covering (officer_id, closed, ...) index; Stage 2
        # ones by one scan (grouped on an expression so that no index order is chased).
        workload: dict[int, list[int]] = {}
        for oid, closed, n in s.exec(
            select(Case.officer_id, Case.closed, func.count()).group_by(Case.officer_id, Case.closed)
        ).all():
            if oid is not None and not closed:
                workload.setdefault(oid, [0, 0])[0] += n
        officer_key = func.coalesce(Case.officer_id, 0)
        for oid, n in s.exec(
            select(officer_key, func.count()).where(Case.stage == 2, _not_closed(scan=True)).group_by(officer_key)
        ).all():
            if oid in workload:
                workload[oid][1] += n
        people = s.exec(
            select(Officer.id, Officer.login, Officer.name, Officer.role)
            .where(Officer.active == True)
            .order_by(Officer.name, Officer.login)
        ).all()
    cases = []
    for cid, ref, rid, status, due, kind, _ in raw:
        left = cal.days_left(due, today) if due is not None else None
        requested, stage2_officer, stage2_name = stages.get((cid, 2), (None, "", ""))
        _, stage1_officer, stage1_name = stages.get((cid, 1), (None, "", ""))
        cases.append(
            AllocationCase(
                case_id=cid,
                reference=ref,
                resident=names.get(rid, ""),
                status=status,
                requested=requested,
                stage1_officer=stage1_officer,
                stage2_officer=stage2_officer,
                next_due=due,
                due_kind=kind or "",
                days_left=left,
                rag=rag(left),
                stage1_officer_name=stage1_name,
                stage2_officer_name=stage2_name,
            )
        )
    return Allocation(
        cases=tuple(cases),
        total=int(total),
        officers=tuple(
            OfficerLoad(
                login=login,
                name=name,
                role=role,
                open_cases=workload.get(oid, [0, 0])[0],
                stage2_open=workload.get(oid, [0, 0])[1],
            )
            for oid, login, name, role in people
        ),
    )


def eligibility(store: Store, case_id: int) -> list[Eligibility]:
    """Every active officer and whether they may take ``case_id`` at Stage 2 (6.13).

    Raises:
        LookupError: there is no such case.
    """
    with store.session() as s:
        row = s.get(Case, case_id)
        if row is None:
            raise LookupError(f"unknown case {case_id}")
        facts = case_facts(s, row)
        people = s.exec(
            select(Officer.login, Officer.name, Officer.role)
            .where(Officer.active == True)
            .order_by(Officer.name, Officer.login)
        ).all()
    out = []
    for login, name, role in people:
        refusal = stage2_ineligibility(facts, login)
        out.append(
            Eligibility(
                login=login,
                name=name,
                role=role,
                eligible=refusal is None,
                reason="" if refusal is None else str(refusal),
            )
        )
    return out
