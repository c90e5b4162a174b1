"""Read model of one case: everything the case detail screen shows, as frozen dataclasses.

Opening a case is a handful of indexed queries (by primary key, ``case_id``, ``stage_id``,
``action_id`` and ``resident_id``); the deadline and its explanation are recomputed from
the stored dates by the rules, exactly as the services compute ``next_due``. The
dataclasses themselves live in :mod:`caseworker.store.queries.case_model` and are
re-exported here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from caseworker.rules.calendar import short_date
from caseworker.rules.deadlines import next_deadline, stage_breaches
from caseworker.rules.facts import (
    GROUND_LABELS,
    CaseFacts,
    CaseType,
    Extension,
    StageFacts,
    Status,
)
from caseworker.rules.policy import Policy
from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    ActionUpdate,
    Adjustment,
    Case,
    Correspondence,
    Disability,
    Exclusion,
    Officer,
    Remedy,
    Representative,
    Resident,
    Restriction,
    ServiceRequest,
    Stage,
)
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.queries.case_model import (
    ActionInfo,
    ActionUpdateInfo,
    AdjustmentInfo,
    CaseDetail,
    CaseHeader,
    CorrespondenceInfo,
    DeadlineInfo,
    DisabilityInfo,
    ExclusionInfo,
    ExtensionInfo,
    RemedyInfo,
    RepresentativeInfo,
    ResidentInfo,
    RestrictionInfo,
    StageInfo,
    TimelineEntry,
    as_utc,
    rag,
)
from caseworker.store.queries.timeline import correspondence_info, read_page, read_whole, timeline_count


def case_extension_requests(store: Store, case_id: int):
    """A case's extension requests (see :mod:`caseworker.store.queries.approvals`)."""
    from caseworker.store.queries.approvals import case_extension_requests as requests

    return requests(store, case_id)


def _first_line(text: str, width: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "\u2026"


# -- queries ----------------------------------------------------------------------------


def case_id_for_reference(store: Store, reference: str) -> int | None:
    """The id of the case with ``reference`` (exact, then upper-cased), or None."""
    ref = (reference or "").strip()
    if not ref:
        return None
    with store.session() as s:
        for candidate in dict.fromkeys((ref, ref.upper())):
            found = s.exec(select(Case.id).where(Case.reference == candidate)).scalar_one_or_none()
            if found is not None:
                return found
    return None


def newest_case_id(store: Store) -> int | None:
    """The id of the case logged last (the highest id), or None on an empty database."""
    with store.session() as s:
        return s.exec(select(func.max(Case.id))).scalar()


def case_detail(
    store: Store,
    case_id: int | None = None,
    reference: str | None = None,
    whole_history: bool = False,
    count_timeline: bool = True,
) -> CaseDetail | None:
    """The case with ``case_id`` (or ``reference``) for the detail screen, or None if there is none.

    ``timeline`` holds the newest page of the history (:data:`~caseworker.store.queries.timeline.TIMELINE_PAGE`
    entries; the screen reads older pages as the officer scrolls) and ``correspondence`` every
    letter and the items on that page. ``whole_history=True`` (the case file) reads all of it,
    with the audit events that announce correspondence as well. ``count_timeline=False`` leaves
    ``timeline_total`` None when the history is longer than that page (count it with
    :func:`~caseworker.store.queries.timeline.timeline_total`), so reading a case costs the same
    however long its history.
    """
    if case_id is None:
        if reference is None:
            raise TypeError("case_detail needs case_id or reference")
        case_id = case_id_for_reference(store, reference)
        if case_id is None:
            return None
    today = store.today()
    with store.session() as s:
        related = aliased(Case)
        head = s.exec(
            select(
                Case,
                Resident,
                Representative,
                Officer.login,
                Officer.name,
                related.reference,
                ServiceRequest.reference,
                Officer.title,
            )
            .join(Resident, Resident.id == Case.resident_id)
            .outerjoin(Representative, Representative.id == Case.representative_id)
            .outerjoin(Officer, Officer.id == Case.officer_id)
            .outerjoin(related, related.id == Case.related_case_id)
            .outerjoin(ServiceRequest, ServiceRequest.id == Case.service_request_id)
            .where(Case.id == case_id)
        ).first()
        if head is None:
            return None
        case, res, rep, off_login, off_name, related_ref, sr_ref, off_title = head
        # complaint_case.related_case_id has no index yet: this one query scans the table
        # (~20 ms at 100,000 cases on SQLite); an index would make it a lookup.
        linked = tuple(
            s.exec(select(Case.reference).where(Case.related_case_id == case_id).order_by(Case.id)).scalars()
        )

        stage_rows = s.exec(
            select(Stage, Officer.login, Officer.name, Officer.title)
            .outerjoin(Officer, Officer.id == Stage.officer_id)
            .where(Stage.case_id == case_id)
            .order_by(Stage.number)
        ).all()
        stage_ids = [st.id for st, *_ in stage_rows]
        exts: dict[int, list[ExtensionRow]] = {i: [] for i in stage_ids}
        if stage_ids:
            for e in s.exec(
                select(ExtensionRow).where(ExtensionRow.stage_id.in_(stage_ids)).order_by(ExtensionRow.id)
            ).scalars():
                exts[e.stage_id].append(e)
        stages = tuple(
            StageInfo(
                number=st.number,
                officer_login=login or "",
                officer_name=name or "",
                requested=st.requested,
                request_reason=st.request_reason,
                acknowledged=st.acknowledged,
                responded=st.responded,
                ack_due=st.ack_due,
                response_due=st.response_due,
                issues=st.issues,
                outcomes=st.outcomes,
                responsible=st.responsible,
                not_responsible=st.not_responsible,
                decision=st.decision,
                reasons=st.reasons,
                no_remedy=st.no_remedy,
                no_actions=st.no_actions,
                policy_key=st.policy_key or "",
                promised_due=st.promised_due,
                promised_ext_days=st.promised_ext_days or 0,
                extensions=tuple(
                    ExtensionInfo(
                        id=e.id,
                        working_days=e.working_days,
                        reason=e.reason,
                        good_reason=e.good_reason,
                        approved_by=e.approved_by or "",
                        beyond_cap=e.beyond_cap,
                        resident_told=e.resident_told,
                        recorded_on=e.recorded_on,
                        recorded_by=e.recorded_by,
                        told_late=bool(e.told_late),
                    )
                    for e in exts[st.id]
                ),
                officer_title=title or "",
            )
            for st, login, name, title in stage_rows
        )

        exclusions = tuple(
            ExclusionInfo(
                id=x.id,
                kind=x.kind,
                ground=x.ground,
                ground_label=_ground_label(x.ground),
                reasons=x.reasons,
                decided_on=x.decided_on,
                decided_by=x.decided_by,
            )
            for x in s.exec(select(Exclusion).where(Exclusion.case_id == case_id).order_by(Exclusion.id)).scalars()
        )
        remedies = tuple(
            RemedyInfo(
                id=r.id,
                stage_number=r.stage_number,
                kind=r.kind,
                description=r.description,
                by_when=r.by_when,
                amount_pence=r.amount_pence,
                guidance_key=r.guidance_key,
                calculation_basis=r.calculation_basis,
                rationale=r.rationale,
                state=r.state,
                offered_on=r.offered_on,
                accepted_on=r.accepted_on,
                declined_on=r.declined_on,
                paid_on=r.paid_on,
                completed_on=r.completed_on,
                version=r.version,
                payment_reference=r.payment_reference,
                guidance_reason=r.guidance_reason,
            )
            for r in s.exec(select(Remedy).where(Remedy.case_id == case_id).order_by(Remedy.id)).scalars()
        )

        action_rows = (
            s.exec(select(Action).where(Action.case_id == case_id).order_by(Action.due, Action.id)).scalars().all()
        )
        updates: dict[int, list[ActionUpdateInfo]] = {a.id: [] for a in action_rows}
        if action_rows:
            for u in s.exec(
                select(ActionUpdate)
                .where(ActionUpdate.action_id.in_(list(updates)))
                .order_by(ActionUpdate.on, ActionUpdate.id)
            ).scalars():
                updates[u.action_id].append(
                    ActionUpdateInfo(id=u.id, on=u.on, text=u.text, resident_told=u.resident_told, by=u.by)
                )
        # An owner recorded as an officer's login is shown by the officer's name (letters, screens).
        owner_logins = {a.owner for a in action_rows if a.owner}
        owner_names = (
            dict(s.exec(select(Officer.login, Officer.name).where(Officer.login.in_(owner_logins))).all())
            if owner_logins
            else {}
        )
        actions = tuple(
            ActionInfo(
                id=a.id,
                stage_number=a.stage_number,
                description=a.description,
                owner=a.owner,
                due=a.due,
                done=a.done,
                completed_on=a.completed_on,
                overdue=not a.done and a.due < today,
                updates=tuple(updates[a.id]),
                version=a.version,
                owner_name=owner_names.get(a.owner, ""),
            )
            for a in action_rows
        )

        # The newest page of the history (a case may hold thousands of events), and every letter.
        cal = store.calendar
        page = read_whole(s, case_id, cal) if whole_history else read_page(s, case_id, None, calendar=cal)
        timeline_total: int | None = len(page.entries)
        if page.older is not None:
            timeline_total = timeline_count(s, case_id) if count_timeline else None
        letters = [
            correspondence_info(c, cal)
            for c in s.exec(
                select(Correspondence)
                .where(Correspondence.case_id == case_id, Correspondence.kind == "letter")
                .order_by(Correspondence.at, Correspondence.id)
            ).scalars()
        ]
        seen = {c.id for c in letters}
        correspondence = tuple(
            sorted(letters + [c for c in page.correspondence if c.id not in seen], key=lambda c: (c.at, c.id))
        )
        names = {login: name for login, name in s.exec(select(Officer.login, Officer.name)).all() if name}

        disabilities = tuple(
            DisabilityInfo(id=d.id, description=d.description, disclosed_on=d.disclosed_on, recorded_by=d.recorded_by)
            for d in s.exec(
                select(Disability)
                .where(Disability.resident_id == res.id)
                .order_by(Disability.disclosed_on, Disability.id)
            ).scalars()
        )
        adjustments = tuple(
            AdjustmentInfo(
                id=a.id,
                kind=a.kind,
                details=a.details,
                agreed_on=a.agreed_on,
                review_date=a.review_date,
                active=a.active,
                recorded_by=a.recorded_by,
                review_overdue=a.active and a.review_date < today,
            )
            for a in s.exec(
                select(Adjustment)
                .where(Adjustment.resident_id == res.id)
                .order_by(Adjustment.active.desc(), Adjustment.review_date, Adjustment.id)
            ).scalars()
        )
        restrictions = tuple(
            RestrictionInfo(
                id=r.id,
                restriction=r.restriction,
                evidence=r.evidence,
                authorised_by=r.authorised_by,
                starts_on=r.starts_on,
                review_date=r.review_date,
                active=r.active,
                review_overdue=r.active and r.review_date < today,
            )
            for r in s.exec(
                select(Restriction)
                .where(Restriction.resident_id == res.id)
                .order_by(Restriction.active.desc(), Restriction.review_date, Restriction.id)
            ).scalars()
        )

        header = CaseHeader(
            id=case.id,
            reference=case.reference,
            case_type=case.case_type,
            stage=case.stage,
            status=case.status,
            closed=case.closed,
            officer_login=off_login or "",
            officer_name=off_name or "",
            version=case.version,
            officer_title=off_title or "",
            received=case.received,
            logged=case.logged,
            issue_date=case.issue_date,
            channel=case.channel,
            service_area=case.service_area,
            category=case.category,
            summary=case.summary,
            policy_key=case.policy_key,
            discretion_reason=case.discretion_reason,
            next_due=case.next_due,
            next_due_kind=case.next_due_kind,
            related_case=related_ref or "",
            linked_cases=linked,
            service_request=sr_ref or "",
            updated_at=as_utc(case.updated_at),
            updated_by=case.updated_by,
        )
        resident = ResidentInfo(
            id=res.id,
            name=res.name,
            address=res.address,
            email=res.email,
            phone=res.phone,
            preferred_channel=res.preferred_channel,
            vulnerable=res.vulnerable,
            notes=res.vulnerability_notes,
            version=res.version,
        )
        representative = (
            None
            if rep is None
            else RepresentativeInfo(
                id=rep.id,
                name=rep.name,
                relationship=rep.relationship,
                address=rep.address,
                email=rep.email,
                consent_recorded=rep.consent_recorded,
                consent_date=rep.consent_date,
                consent_notes=rep.consent_notes,
                phone=rep.phone,
                version=rep.version,
            )
        )

    deadline = _deadline(store, header, stages, open_actions=sum(1 for a in actions if not a.done), today=today)
    timeline = tuple(replace(t, who=names.get(t.who, t.who)) for t in reversed(page.entries))
    flags = set()
    if any(a.active for a in adjustments):
        flags.add("adjustments")
    if any(r.active for r in restrictions):
        flags.add("restriction")
    if resident.vulnerable or disabilities:
        flags.add("vulnerable")
    if any(a.overdue for a in actions):
        flags.add("overdue-actions")
    return CaseDetail(
        header=header,
        resident=resident,
        representative=representative,
        deadline=deadline,
        stages=stages,
        exclusions=exclusions,
        remedies=remedies,
        actions=actions,
        correspondence=correspondence,
        disabilities=disabilities,
        adjustments=adjustments,
        restrictions=restrictions,
        timeline=timeline,
        flags=frozenset(flags),
        today=today,
        officer_names=names,
        extension_requests=tuple(case_extension_requests(store, case_id)),
        timeline_total=timeline_total,
        timeline_older=page.older,
    )


def _ground_label(ground: str) -> str:
    for key, label in GROUND_LABELS.items():
        if key.value == ground:
            return label
    return ground


def _stage_facts(st: StageInfo, store: Store, case_key: str) -> StageFacts:
    own = store.policy(st.policy_key) if st.policy_key and st.policy_key != case_key else None
    return stage_facts(st, own)


def stage_facts(st: StageInfo, own: Policy | None = None) -> StageFacts:
    """The rules' facts of one stage from its read model; ``own`` is the stage's own policy
    where it differs from the case's (None: the case's)."""
    return StageFacts(
        number=st.number,
        requested=st.requested,
        officer=st.officer_login or None,
        acknowledged=st.acknowledged,
        responded=st.responded,
        extensions=tuple(
            Extension(
                working_days=e.working_days,
                reason=e.reason,
                resident_told=e.resident_told,
                good_reason=e.good_reason,
                approved_by=e.approved_by or None,
                told_late=e.told_late,
            )
            for e in st.extensions
        ),
        policy=own,
        promised=st.promised_due,
        promised_ext_days=st.promised_ext_days,
    )


def _deadline(
    store: Store, header: CaseHeader, stages: tuple[StageInfo, ...], open_actions: int, today: date
) -> DeadlineInfo | None:
    """The live deadline recomputed by the rules from the stored dates (as the services do)."""
    by_number = {st.number: st for st in stages}
    if 1 not in by_number:
        return None
    facts = CaseFacts(
        case_type=CaseType(header.case_type),
        received=header.received,
        status=Status(header.status),
        stage1=_stage_facts(by_number[1], store, header.policy_key),
        stage2=_stage_facts(by_number[2], store, header.policy_key) if 2 in by_number else None,
        issue_date=header.issue_date,
        open_actions=open_actions,
    )
    cal = store.calendar
    policy = store.policy(header.policy_key)
    d = next_deadline(facts, policy, cal)
    if d is None:
        return None
    left = cal.days_left(d.due, today)
    breaches = tuple(
        str(b)
        for st in (facts.stage1, facts.stage2)
        if st is not None
        for b in stage_breaches(facts, st, policy, cal, today)
    )
    explanation = d.explanation.text()
    if d.promised is not None:
        explanation = (
            f"promised to the resident in an issued letter: {short_date(d.promised)} (a calendar change "
            f"never moves a promise); the Code's timescale gives {explanation}"
        )
    return DeadlineInfo(
        kind=d.kind,
        stage=d.stage,
        label=d.label,
        due=d.due,
        days_left=left,
        rag=rag(left),
        code_ref=d.code_ref,
        explanation=explanation,
        code_due=d.code_due if d.code_due != d.due else None,
        promised=d.promised,
        breaches=breaches,
    )


__all__ = [
    "ActionInfo",
    "ActionUpdateInfo",
    "AdjustmentInfo",
    "CaseDetail",
    "CaseHeader",
    "CorrespondenceInfo",
    "DeadlineInfo",
    "DisabilityInfo",
    "ExclusionInfo",
    "ExtensionInfo",
    "RemedyInfo",
    "RepresentativeInfo",
    "ResidentInfo",
    "RestrictionInfo",
    "StageInfo",
    "TimelineEntry",
    "as_utc",
    "case_detail",
    "case_id_for_reference",
    "rag",
]
