"""The record of one case for people and scripts (``caseworker case REF [--json]``): who, and
per stage what happened when, its deadlines and whether each was met, judged as the
Housing Ombudsman judges it (:func:`rules.deadlines.within`, :func:`rules.deadlines.stage_breaches`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from caseworker.rules.deadlines import acknowledgement_deadline, response_deadline, stage_breaches, within
from caseworker.rules.facts import CaseFacts, StageFacts
from caseworker.rules.remedy_record import basis_in_words, guidance_name, kind_label
from caseworker.store.context import Store
from caseworker.store.mapping import case_facts, officer_logins, stages_of
from caseworker.store.models import Case, Correspondence, Remedy, Representative, Resident


@dataclass(frozen=True)
class EventRecord:
    """One Code event of a stage: when it was due, when it happened, and whether in time.

    ``within`` is None while it has not happened and is not yet late; False when it never
    happened and its deadline has passed. For a response, ``due`` is the stage's deadline
    (a promise made in an issued letter, when one stands) and ``code_due`` the date the
    Code's timescale gives.
    """

    due: date | None
    done: date | None
    within: bool | None
    code_ref: str
    explanation: str
    code_due: date | None = None
    promised: date | None = None


@dataclass(frozen=True)
class StageRecord:
    """One stage: its profile, officer, dates, the two Code events, extensions and breaches."""

    number: int
    policy_key: str
    officer: str
    requested: date
    acknowledgement: EventRecord
    response: EventRecord
    extensions: tuple[dict, ...]
    breaches: tuple[str, ...]


@dataclass(frozen=True)
class CaseRecord:
    """The case for ``caseworker case``."""

    reference: str
    case_type: str
    status: str
    stage: int
    received: date
    logged: date | None
    policy_key: str
    service_area: str
    category: str
    channel: str
    resident: str
    representative: str
    officer: str
    stages: tuple[StageRecord, ...]
    correspondence: tuple[dict, ...]  # dated correspondence: chasers, repeated escalation requests, letters
    today: date
    remedies: tuple[dict, ...] = ()  # each remedy (7.3): kind, amount, state, dates, basis in words


def _event(dl, done: date | None, today: date) -> EventRecord:
    if dl is None:
        return EventRecord(None, done, None, "", "")
    return EventRecord(
        dl.due, done, within(done, dl.due, today), dl.code_ref, dl.explanation.text(), dl.code_due, dl.promised
    )


def _stage(facts: CaseFacts, st: StageFacts, store: Store, case: Case, policy_key: str, today: date) -> StageRecord:
    policy = store.policy(case.policy_key)
    cal = store.calendar
    ack = acknowledgement_deadline(facts, st, policy, cal)
    resp = response_deadline(facts, st, policy, cal)
    return StageRecord(
        number=st.number,
        policy_key=policy_key,
        officer=st.officer or "",
        requested=st.requested,
        acknowledgement=_event(ack, st.acknowledged, today),
        response=_event(resp, st.responded, today),
        extensions=tuple(
            {
                "working_days": e.working_days,
                "resident_told": e.resident_told.isoformat(),
                "reason": e.reason,
                "told_late": e.told_late,
                "counted": not e.told_late,
            }
            for e in st.extensions
        ),
        breaches=tuple(str(b) for b in stage_breaches(facts, st, policy, cal, today)),
    )


def case_record(store: Store, reference: str) -> CaseRecord:
    """The record of the case ``reference`` (as written, else upper- or lower-cased, as the inbox's
    search finds it whatever its case: ``hos-1`` is HOS-1) as of the store's today.

    Raises:
        LookupError: no case has that reference.
    """
    today = store.today()
    ref = reference.strip()
    with store.session() as session:
        case = None
        for candidate in dict.fromkeys((ref, ref.upper(), ref.lower())):
            case = session.exec(select(Case).where(Case.reference == candidate)).first()
            if case is not None:
                break
        if case is None:
            raise LookupError(reference)
        facts = case_facts(session, case, store.policy)
        stages = stages_of(session, case.id)
        resident = session.get(Resident, case.resident_id)
        rep = session.get(Representative, case.representative_id) if case.representative_id else None
        logins = officer_logins(session, {case.officer_id} if case.officer_id else set())
        letters = session.exec(
            select(Correspondence)
            .where(Correspondence.case_id == case.id)
            .order_by(Correspondence.at, Correspondence.id)
        ).all()
        stage_records = [
            _stage(facts, st, store, case, stages[st.number].policy_key or case.policy_key, today)
            for st in (facts.stage1, facts.stage2)
            if st is not None
        ]
        correspondence = tuple(
            {
                "date": (c.dated or c.at.date()).isoformat(),
                "kind": c.kind,
                "direction": c.direction,
                "subject": c.subject,
                "letter": c.letter_kind,
            }
            for c in letters
        )
        remedies = tuple(
            _remedy(r) for r in session.exec(select(Remedy).where(Remedy.case_id == case.id).order_by(Remedy.id)).all()
        )
        return CaseRecord(
            reference=case.reference,
            case_type=case.case_type,
            status=case.status,
            stage=case.stage,
            received=case.received,
            logged=case.logged,
            policy_key=case.policy_key,
            service_area=case.service_area,
            category=case.category,
            channel=case.channel,
            resident=resident.name if resident else "",
            representative=rep.name if rep else "",
            officer=logins.get(case.officer_id, "") if case.officer_id else "",
            stages=tuple(stage_records),
            correspondence=correspondence,
            today=today,
            remedies=remedies,
        )


def _remedy(r: Remedy) -> dict:
    """A remedy for the record: labels and words, dates ISO, money in pence; never the stored JSON."""
    return {
        "stage": r.stage_number,
        "kind": kind_label(r.kind),
        "what": r.description,
        "amount_pence": r.amount_pence,
        "by_when": _iso(r.by_when),
        "state": r.state,
        "offered": _iso(r.offered_on),
        "accepted": _iso(r.accepted_on),
        "declined": _iso(r.declined_on),
        "paid": _iso(r.paid_on),
        "completed": _iso(r.completed_on),
        "payment_reference": r.payment_reference or None,
        "guidance": guidance_name(r.guidance_key) or None,
        "guidance_reason": r.guidance_reason or None,
        "worked_out": basis_in_words(r.calculation_basis) or None,
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def record_json(rec: CaseRecord) -> dict:
    """The record as the JSON shape ``caseworker case --json`` prints (dates ISO, ``within`` true/false/null)."""

    def event(e: EventRecord) -> dict:
        out = {"due": _iso(e.due), "done": _iso(e.done), "within": e.within, "code_ref": e.code_ref}
        if e.code_due is not None and e.code_due != e.due:
            out["code_due"] = _iso(e.code_due)
        if e.promised is not None:
            out["promised"] = _iso(e.promised)
        out["explanation"] = e.explanation
        return out

    return {
        "reference": rec.reference,
        "type": rec.case_type,
        "status": rec.status,
        "stage": rec.stage,
        "received": _iso(rec.received),
        "logged": _iso(rec.logged or rec.received),
        "policy": rec.policy_key,
        "service_area": rec.service_area,
        "category": rec.category,
        "channel": rec.channel,
        "resident": {"name": rec.resident},
        "representative": {"name": rec.representative} if rec.representative else None,
        "officers": {"case": rec.officer or None, **{f"stage{s.number}": s.officer or None for s in rec.stages}},
        "stages": [
            {
                "number": s.number,
                "policy": s.policy_key,
                "requested": _iso(s.requested),
                "acknowledgement": event(s.acknowledgement),
                "response": event(s.response),
                "extensions": list(s.extensions),
                "breaches": list(s.breaches),
            }
            for s in rec.stages
        ],
        "correspondence": list(rec.correspondence),
        "remedies": list(rec.remedies),
        "as_of": _iso(rec.today),
    }
