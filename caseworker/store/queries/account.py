"""Read models for the year's account: a case's Ombudsman record and learning, the
service-improvement register, and a year's self-assessment entries and recorded report parts.
Frozen dataclasses only; screens and reports never see ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from caseworker.store.context import Store
from caseworker.store.models import Case, Officer
from caseworker.store.models_account import (
    AnnualAccount,
    CaseLearning,
    ImprovementCase,
    OmbudsmanCase,
    OmbudsmanFinding,
    OmbudsmanOrder,
    ProvisionAssessment,
    ServiceImprovement,
)


@dataclass(frozen=True)
class FindingInfo:
    """The Ombudsman's finding on one element."""

    id: int
    element: str
    finding: str


@dataclass(frozen=True)
class OrderInfo:
    """An order or recommendation, its compliance date and completion."""

    id: int
    kind: str
    description: str
    due: date
    completed_on: date | None
    evidence: str
    version: int = 1  # what a change is checked against


@dataclass(frozen=True)
class OmbudsmanInfo:
    """A case's referral to the Ombudsman with its findings and orders."""

    id: int
    case_id: int
    ombudsman: str  # "hos" or "lgsco"
    reference: str
    referred_on: date
    info_requested_on: date | None
    info_sent_on: date | None
    determined_on: date | None
    chfo_on: date | None
    chfo_details: str
    findings: tuple[FindingInfo, ...]
    orders: tuple[OrderInfo, ...]


def _ombudsman(s, rows) -> list[OmbudsmanInfo]:
    ids = [r.id for r in rows]
    findings: dict[int, list[FindingInfo]] = {}
    orders: dict[int, list[OrderInfo]] = {}
    if ids:
        for f in s.exec(
            select(OmbudsmanFinding).where(OmbudsmanFinding.ombudsman_case_id.in_(ids)).order_by(OmbudsmanFinding.id)
        ).scalars():
            findings.setdefault(f.ombudsman_case_id, []).append(FindingInfo(f.id, f.element, f.finding))
        for o in s.exec(
            select(OmbudsmanOrder)
            .where(OmbudsmanOrder.ombudsman_case_id.in_(ids))
            .order_by(OmbudsmanOrder.due, OmbudsmanOrder.id)
        ).scalars():
            orders.setdefault(o.ombudsman_case_id, []).append(
                OrderInfo(o.id, o.kind, o.description, o.due, o.completed_on, o.evidence, o.version)
            )
    return [
        OmbudsmanInfo(
            r.id,
            r.case_id,
            r.ombudsman,
            r.reference,
            r.referred_on,
            r.info_requested_on,
            r.info_sent_on,
            r.determined_on,
            r.chfo_on,
            r.chfo_details,
            tuple(findings.get(r.id, ())),
            tuple(orders.get(r.id, ())),
        )
        for r in rows
    ]


def ombudsman_cases_of(store: Store, case_id: int) -> list[OmbudsmanInfo]:
    """Every referral of the case to the Ombudsman, oldest first."""
    with store.session() as s:
        rows = (
            s.exec(
                select(OmbudsmanCase)
                .where(OmbudsmanCase.case_id == case_id)
                .order_by(OmbudsmanCase.referred_on, OmbudsmanCase.id)
            )
            .scalars()
            .all()
        )
        return _ombudsman(s, rows)


@dataclass(frozen=True)
class DeterminationRow:
    """A determination made in a period, with the case it was on."""

    reference: str
    service_area: str
    info: OmbudsmanInfo


def determinations_in(store: Store, start: date, end: date) -> list[DeterminationRow]:
    """Ombudsman cases determined between ``start`` and ``end`` (inclusive), or with a
    complaint-handling failure order made then, by date."""
    with store.session() as s:
        rows = (
            s.exec(
                select(OmbudsmanCase)
                .where(OmbudsmanCase.determined_on.between(start, end) | OmbudsmanCase.chfo_on.between(start, end))
                .order_by(OmbudsmanCase.determined_on, OmbudsmanCase.id)
            )
            .scalars()
            .all()
        )
        infos = _ombudsman(s, rows)
        ids = sorted({r.case_id for r in rows})
        cases = (
            {
                cid: (ref, area)
                for cid, ref, area in s.exec(
                    select(Case.id, Case.reference, Case.service_area).where(Case.id.in_(ids))
                ).all()
            }
            if ids
            else {}
        )
    return [DeterminationRow(*cases[i.case_id], i) for i in infos]


@dataclass(frozen=True)
class LearningInfo:
    """A complaint's root cause and themes (9.1, 9.2); empty when none recorded yet."""

    root_cause: str
    themes: tuple[str, ...]
    recorded_by: str
    updated_at: datetime | None


def learning_of(store: Store, case_id: int) -> LearningInfo:
    """The root cause and themes recorded on the case."""
    with store.session() as s:
        row = s.get(CaseLearning, case_id)
        if row is None:
            return LearningInfo("", (), "", None)
        return LearningInfo(
            row.root_cause, tuple(t for t in row.themes.splitlines() if t), row.recorded_by, row.updated_at
        )


@dataclass(frozen=True)
class ImprovementInfo:
    """One entry of the service-improvement register with the complaints that prompted it."""

    id: int
    what_changed: str
    service_area: str
    owner: str
    status: str
    status_on: date
    case_references: tuple[str, ...]
    version: int = 1  # what a change is checked against


def improvements(store: Store, start: date | None = None, end: date | None = None) -> list[ImprovementInfo]:
    """The register, newest status first; with ``start``/``end``, only entries whose status
    date falls in that period."""
    with store.session() as s:
        q = select(ServiceImprovement)
        if start is not None and end is not None:
            q = q.where(ServiceImprovement.status_on.between(start, end))
        rows = s.exec(q.order_by(ServiceImprovement.status_on.desc(), ServiceImprovement.id)).scalars().all()
        links: dict[int, list[str]] = {}
        if rows:
            for iid, ref in s.exec(
                select(ImprovementCase.improvement_id, Case.reference)
                .join(Case, Case.id == ImprovementCase.case_id)
                .where(ImprovementCase.improvement_id.in_([r.id for r in rows]))
                .order_by(Case.reference)
            ).all():
                links.setdefault(iid, []).append(ref)
        return [
            ImprovementInfo(
                r.id,
                r.what_changed,
                r.service_area,
                r.owner,
                r.status,
                r.status_on,
                tuple(links.get(r.id, ())),
                r.version,
            )
            for r in rows
        ]


@dataclass(frozen=True)
class ProvisionEntry:
    """What was saved for one provision in one year."""

    provision: str
    complies: str
    evidence: str
    commentary: str
    updated_by: str
    updated_at: datetime
    version: int = 1  # what ``services.save_provision`` is given back (the version check)


@dataclass(frozen=True)
class AccountInfo:
    """A year's recorded report parts: the Ombudsman's annual letter, the governing body's
    response and the self-assessment's approval."""

    year: int
    letter_received_on: date | None = None
    letter_key_points: str = ""
    response_on: date | None = None
    governing_body_response: str = ""
    approved_by: str = ""
    approved_at: datetime | None = None
    #: What the year's saves are given back (the version check); 0 when nothing is recorded yet.
    version: int = 0
    #: The approving supervisor's full name (their login when they have none), for screens.
    approved_by_name: str = ""


def _name(session, login: str) -> str:
    """The officer's full name, their login when they have none, "" for no login."""
    if not login:
        return ""
    return session.exec(select(Officer.name).where(Officer.login == login)).scalar() or login


def year_account(store: Store, year: int) -> tuple[AccountInfo, dict[str, ProvisionEntry]]:
    """The year's recorded parts and its saved provision entries by number."""
    with store.session() as s:
        acc = s.get(AnnualAccount, year)
        info = (
            AccountInfo(year)
            if acc is None
            else AccountInfo(
                year,
                acc.letter_received_on,
                acc.letter_key_points,
                acc.response_on,
                acc.governing_body_response,
                acc.approved_by,
                acc.approved_at,
                acc.version,
                _name(s, acc.approved_by),
            )
        )
        entries = {
            p.provision: ProvisionEntry(
                p.provision, p.complies, p.evidence, p.commentary, p.updated_by, p.updated_at, p.version
            )
            for p in s.exec(select(ProvisionAssessment).where(ProvisionAssessment.year == year)).scalars()
        }
    return info, entries


def ombudsman_register(store: Store, limit: int = 500) -> list[DeterminationRow]:
    """Every case taken to the Ombudsman, those with orders still to comply with first, then
    the most recently referred; at most ``limit``."""
    with store.session() as s:
        rows = (
            s.exec(
                select(OmbudsmanCase).order_by(OmbudsmanCase.referred_on.desc(), OmbudsmanCase.id.desc()).limit(limit)
            )
            .scalars()
            .all()
        )
        infos = _ombudsman(s, rows)
        ids = sorted({r.case_id for r in rows})
        cases = (
            {
                cid: (ref, area)
                for cid, ref, area in s.exec(
                    select(Case.id, Case.reference, Case.service_area).where(Case.id.in_(ids))
                ).all()
            }
            if ids
            else {}
        )
    out = [DeterminationRow(*cases[i.case_id], i) for i in infos]
    return sorted(out, key=lambda d: not any(o.completed_on is None for o in d.info.orders))
