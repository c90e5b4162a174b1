"""Read models for extension requests past the cap (rule 4, 14): the supervisors' queue and a
case's own requests, with who asked, who holds the case and who decided, by full name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from caseworker.store.context import Store
from caseworker.store.models import Case, ExtensionRequest, Officer, Resident, Stage
from caseworker.store.queries.case_model import rag


@dataclass(frozen=True)
class ExtensionRequestInfo:
    """One extension request: what was asked, by whom, on which case, and what became of it."""

    request_id: int
    case_id: int
    reference: str
    resident: str
    stage: int
    working_days: int
    reason: str
    good_reason: str
    resident_told: date
    requested_by: str  # login
    requested_by_name: str
    requested_at: datetime
    state: str  # pending, approved, declined
    decided_by: str | None
    decided_by_name: str
    decided_at: datetime | None
    decision_reason: str
    holder: str  # login of the officer holding the case now, or ""
    holder_name: str
    next_due: date | None
    days_left: int | None
    rag: str
    version: int = 1  # what a decision is checked against (another supervisor may decide first)


def _query():
    asker, decider, holder = aliased(Officer), aliased(Officer), aliased(Officer)
    return (
        select(
            ExtensionRequest,
            Case.reference,
            Resident.name,
            Stage.number,
            asker.name,
            decider.name,
            holder.login,
            holder.name,
            Case.next_due,
        )
        .join(Case, Case.id == ExtensionRequest.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .join(Stage, Stage.id == ExtensionRequest.stage_id)
        .outerjoin(asker, asker.login == ExtensionRequest.requested_by)
        .outerjoin(decider, decider.login == ExtensionRequest.decided_by)
        .outerjoin(holder, holder.id == Case.officer_id)
    )


def _rows(store: Store, stmt) -> list[ExtensionRequestInfo]:
    today, cal = store.today(), store.calendar
    out = []
    with store.session() as s:
        for r, ref, resident, stage, asker, decider, holder, holder_name, due in s.execute(stmt).all():
            left = cal.days_left(due, today) if due is not None else None
            out.append(
                ExtensionRequestInfo(
                    request_id=r.id,
                    case_id=r.case_id,
                    reference=ref,
                    resident=resident,
                    stage=stage,
                    working_days=r.working_days,
                    reason=r.reason,
                    good_reason=r.good_reason,
                    resident_told=r.resident_told,
                    requested_by=r.requested_by,
                    requested_by_name=asker or r.requested_by,
                    requested_at=r.requested_at,
                    state=r.state,
                    decided_by=r.decided_by,
                    decided_by_name=(decider or r.decided_by or ""),
                    decided_at=r.decided_at,
                    decision_reason=r.decision_reason,
                    holder=holder or "",
                    holder_name=holder_name or holder or "",
                    next_due=due,
                    days_left=left,
                    rag=rag(left),
                    version=r.version,
                )
            )
    return out


def extension_requests(store: Store, pending_only: bool = True, limit: int = 500) -> list[ExtensionRequestInfo]:
    """Extension requests, oldest first (waiting ones only unless ``pending_only`` is False)."""
    stmt = _query()
    if pending_only:
        stmt = stmt.where(ExtensionRequest.state == "pending")
    return _rows(store, stmt.order_by(ExtensionRequest.requested_at, ExtensionRequest.id).limit(limit))


def case_extension_requests(store: Store, case_id: int) -> list[ExtensionRequestInfo]:
    """Every extension request on one case, oldest first."""
    return _rows(store, _query().where(ExtensionRequest.case_id == case_id).order_by(ExtensionRequest.id))


@dataclass(frozen=True)
class OrderDue:
    """An Ombudsman order or recommendation not yet complied with, for the supervisor's queue."""

    order_id: int
    case_id: int
    reference: str
    kind: str  # "order" or "recommendation"
    description: str
    due: date
    days_left: int
    rag: str


def ombudsman_orders_open(store: Store, limit: int = 200) -> list[OrderDue]:
    """Ombudsman orders and recommendations not yet complied with, soonest due first."""
    from caseworker.store.models_account import OmbudsmanOrder

    today, cal = store.today(), store.calendar
    with store.session() as s:
        rows = s.execute(
            select(
                OmbudsmanOrder.id,
                OmbudsmanOrder.case_id,
                Case.reference,
                OmbudsmanOrder.kind,
                OmbudsmanOrder.description,
                OmbudsmanOrder.due,
            )
            .join(Case, Case.id == OmbudsmanOrder.case_id)
            .where(OmbudsmanOrder.completed_on.is_(None))
            .order_by(OmbudsmanOrder.due, OmbudsmanOrder.id)
            .limit(limit)
        ).all()
    out = []
    for oid, cid, ref, kind, description, due in rows:
        left = cal.days_left(due, today)
        out.append(OrderDue(oid, cid, ref, kind, description, due, left, rag(left)))
    return out
