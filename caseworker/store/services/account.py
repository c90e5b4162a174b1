"""Services for the year's account: cases taken to the Ombudsman (findings, orders and
recommendations, complaint-handling failure orders), learning from complaints (root cause
and themes, the service-improvement register, Code section 9), and the self-assessment with
the annual report's recorded parts (Code 8.1, 8.2).

Each function checks ``rules.account``, writes, and appends an audit event in one
transaction. Facts already past are recordable with their real dates; corrections keep the
earlier value in the audit (``before``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from caseworker.rules import account as rules
from caseworker.rules.provisions import code_provisions
from caseworker.store.context import Store
from caseworker.store.models import Case
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
from caseworker.store.services.base import (
    DomainError,
    actor_for,
    add_first,
    audit,
    claim_case,
    claim_row,
    refresh_deadlines,
    refuse,
    utcnow,
)
from caseworker.store.services.cases import transaction

_DATES = ("info_requested_on", "info_sent_on", "determined_on")


def _ombudsman_case(session, ombudsman_case_id: int) -> OmbudsmanCase:
    row = session.get(OmbudsmanCase, ombudsman_case_id)
    if row is None:
        raise DomainError(f"no Ombudsman case with id {ombudsman_case_id}", "", "ombudsman_case")
    return row


# -- the Ombudsman ------------------------------------------------------------------------


def record_ombudsman_case(
    store: Store,
    login: str,
    case_id: int,
    reference: str,
    referred_on: date,
    *,
    ombudsman: str | None = None,
    info_requested_on: date | None = None,
    info_sent_on: date | None = None,
    determined_on: date | None = None,
) -> int:
    """Record that the case went to the Ombudsman: their reference and dates (referred,
    information requested and sent, determination). ``ombudsman`` ("hos" or "lgsco")
    defaults to the one the case's service area routes to, as its letters name.

    Returns the new Ombudsman case's id. Raises DomainError naming the field.
    """
    with transaction(store) as session:
        actor_for(session, login)
        case = claim_case(session, store, case_id, None, login)
        key = ombudsman or store.settings.ombudsman_for(case.service_area).key
        refuse(
            rules.check_ombudsman_case(
                key, reference, referred_on, store.today(), info_requested_on, info_sent_on, determined_on
            )
        )
        row = OmbudsmanCase(
            case_id=case_id,
            ombudsman=key,
            reference=reference.strip(),
            referred_on=referred_on,
            info_requested_on=info_requested_on,
            info_sent_on=info_sent_on,
            determined_on=determined_on,
            recorded_by=login,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "ombudsman case",
            case_id=case_id,
            detail=f"referred to the {rules.OMBUDSMEN[key]} ({row.reference}) on {referred_on:%d %b %Y}",
            after={
                "ombudsman": key,
                "reference": row.reference,
                "referred_on": referred_on,
                "info_requested_on": info_requested_on,
                "info_sent_on": info_sent_on,
                "determined_on": determined_on,
            },
        )
        return row.id


def record_ombudsman_dates(store: Store, login: str, ombudsman_case_id: int, **dates: date | None) -> None:
    """Record or correct the information-requested, information-sent or determination date
    (keyword arguments ``info_requested_on``, ``info_sent_on``, ``determined_on``); the earlier
    values stay in the audit."""
    unknown = sorted(set(dates) - set(_DATES))
    if unknown:
        raise DomainError(f"unknown date {unknown[0]!r}: use one of {', '.join(_DATES)}", "", unknown[0])
    with transaction(store) as session:
        actor_for(session, login)
        row = _ombudsman_case(session, ombudsman_case_id)
        claim_case(session, store, row.case_id, None, login)
        before = {k: getattr(row, k) for k in dates}
        after = {k: dates.get(k, getattr(row, k)) for k in _DATES}
        refuse(rules.check_ombudsman_case(row.ombudsman, row.reference, row.referred_on, store.today(), **after))
        for k, v in dates.items():
            setattr(row, k, v)
        session.add(row)
        audit(
            session,
            store,
            login,
            "ombudsman dates",
            case_id=row.case_id,
            detail=f"{row.reference}: "
            + ", ".join(f"{k.replace('_', ' ')} {v:%d %b %Y}" if v else f"{k} cleared" for k, v in dates.items()),
            before=before,
            after=dates,
        )


def record_finding(store: Store, login: str, ombudsman_case_id: int, element: str, finding: str) -> int:
    """The Ombudsman's finding on one element of the complaint (one of ``rules.account.FINDINGS``)."""
    refuse(rules.check_finding(element, finding))
    with transaction(store) as session:
        actor_for(session, login)
        om = _ombudsman_case(session, ombudsman_case_id)
        claim_case(session, store, om.case_id, None, login)
        row = OmbudsmanFinding(
            ombudsman_case_id=om.id, element=element.strip(), finding=finding, created_at=utcnow(store)
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "ombudsman finding",
            case_id=om.case_id,
            detail=f"{om.reference}: {rules.FINDING_LABELS[finding]} on {row.element}",
            after={"element": row.element, "finding": finding},
        )
        return row.id


def record_failure_order(store: Store, login: str, ombudsman_case_id: int, made_on: date, details: str) -> None:
    """A complaint-handling failure order the Ombudsman made on the case (its date and what it said)."""
    if made_on is None or made_on > store.today():
        raise DomainError(
            "give the date the complaint-handling failure order was made (not in the future)", "5.12", "chfo_on"
        )
    if not details.strip():
        raise DomainError("say what the complaint-handling failure order found", "5.12", "chfo_details")
    with transaction(store) as session:
        actor_for(session, login)
        om = _ombudsman_case(session, ombudsman_case_id)
        claim_case(session, store, om.case_id, None, login)
        before = {"chfo_on": om.chfo_on, "chfo_details": om.chfo_details}
        om.chfo_on, om.chfo_details = made_on, details.strip()
        session.add(om)
        audit(
            session,
            store,
            login,
            "complaint-handling failure order",
            case_id=om.case_id,
            detail=f"{om.reference}: {made_on:%d %b %Y}: {om.chfo_details}",
            before=before,
            after={"chfo_on": made_on, "chfo_details": om.chfo_details},
        )


def add_order(store: Store, login: str, ombudsman_case_id: int, kind: str, description: str, due: date) -> int:
    """An order or recommendation of the Ombudsman with its compliance date. While not
    complete it is a deadline of the case, in its officer's inbox and on the board."""
    refuse(rules.check_order(kind, description, due))
    with transaction(store) as session:
        actor_for(session, login)
        om = _ombudsman_case(session, ombudsman_case_id)
        case = claim_case(session, store, om.case_id, None, login)
        row = OmbudsmanOrder(
            ombudsman_case_id=om.id,
            case_id=om.case_id,
            kind=kind,
            description=description.strip(),
            due=due,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        refresh_deadlines(session, store, case)
        audit(
            session,
            store,
            login,
            "ombudsman order",
            case_id=om.case_id,
            detail=f"{rules.ORDER_KIND_LABELS[kind]} due {due:%d %b %Y}: {row.description}",
            after={"kind": kind, "description": row.description, "due": due},
        )
        return row.id


def complete_order(
    store: Store, login: str, order_id: int, completed_on: date, evidence: str, *, version: int | None = None
) -> None:
    """Record that an order or recommendation was complied with, and the evidence (sent to the Ombudsman).

    ``version`` is the order's version as the officer read it (``OrderInfo.version``; None: as
    read now); a change made since raises ConcurrentChange naming who and when (5.12).
    """
    refuse(rules.check_order_completion(completed_on, evidence, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        row = claim_row(session, store, OmbudsmanOrder, order_id, version, login, _order_name)
        case = claim_case(session, store, row.case_id, None, login)
        before = {"completed_on": row.completed_on, "evidence": row.evidence}
        row.completed_on, row.evidence = completed_on, evidence.strip()
        session.add(row)
        session.flush()
        refresh_deadlines(session, store, case)
        late = f" ({(completed_on - row.due).days} days after the date set)" if completed_on > row.due else ""
        audit(
            session,
            store,
            login,
            "ombudsman order complied",
            case_id=row.case_id,
            detail=f"complied {completed_on:%d %b %Y}{late}: {row.evidence}",
            before=before,
            after={"completed_on": completed_on, "evidence": row.evidence},
        )


def _order_name(session, row: OmbudsmanOrder) -> str:
    reference = session.exec(select(Case.reference).where(Case.id == row.case_id)).first() or "?"
    return f"The Ombudsman's {row.kind} on {reference}"


# -- learning (section 9) -------------------------------------------------------------------


def set_learning(store: Store, login: str, case_id: int, root_cause: str, themes: Iterable[str]) -> None:
    """The complaint's root cause and themes, from the configured lists (Code 9.1, 9.2)."""
    settings = store.settings
    chosen = list(dict.fromkeys(t.strip() for t in themes if t.strip()))
    if root_cause and root_cause not in settings.root_causes:
        raise DomainError(
            f"unknown root cause {root_cause!r}: choose one of {', '.join(settings.root_causes)}", "9.1", "root_cause"
        )
    for t in chosen:
        if t not in settings.themes:
            raise DomainError(f"unknown theme {t!r}: choose from {', '.join(settings.themes)}", "9.2", "themes")
    with transaction(store) as session:
        actor_for(session, login)
        claim_case(session, store, case_id, None, login)
        row = session.get(CaseLearning, case_id)
        before = None if row is None else {"root_cause": row.root_cause, "themes": row.themes.splitlines()}
        row = row or CaseLearning(case_id=case_id, recorded_by=login, updated_at=utcnow(store))
        row.root_cause, row.themes = root_cause, "\n".join(chosen)
        row.recorded_by, row.updated_at = login, utcnow(store)
        session.add(row)
        audit(
            session,
            store,
            login,
            "learning",
            case_id=case_id,
            detail=f"root cause {root_cause or '(none)'}; themes {', '.join(chosen) or '(none)'}",
            before=before,
            after={"root_cause": root_cause, "themes": chosen},
        )


def _case_ids(session, references: Iterable[str]) -> list[int]:
    refs = [r.strip() for r in references if r.strip()]
    found = dict(session.exec(select(Case.reference, Case.id).where(Case.reference.in_(refs))).all()) if refs else {}
    missing = [r for r in refs if r not in found]
    if missing:
        raise DomainError(
            f"no case {missing[0]!r}: give the references of the complaints that prompted it", "9.1", "cases"
        )
    return [found[r] for r in dict.fromkeys(refs)]


def add_improvement(
    store: Store,
    login: str,
    what_changed: str,
    owner: str,
    status: str,
    status_on: date,
    *,
    service_area: str = "",
    case_references: Iterable[str] = (),
) -> int:
    """A service improvement in the register: what changed, the complaints that prompted it,
    who owns it, its status and the date of that status (Code 9.1). Returns its id."""
    refuse(rules.check_improvement(what_changed, owner, status, status_on, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        ids = _case_ids(session, case_references)
        row = ServiceImprovement(
            what_changed=what_changed.strip(),
            service_area=service_area.strip(),
            owner=owner.strip(),
            status=status,
            status_on=status_on,
            recorded_by=login,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        for cid in ids:
            session.add(ImprovementCase(improvement_id=row.id, case_id=cid))
            audit(
                session,
                store,
                login,
                "service improvement",
                case_id=cid,
                detail=f"prompted a service improvement: {row.what_changed}",
            )
        audit(
            session,
            store,
            login,
            "service improvement",
            detail=f"{row.what_changed} ({status}, owner {row.owner})",
            after={"id": row.id, "status": status, "status_on": status_on, "cases": list(case_references)},
        )
        return row.id


def update_improvement(
    store: Store,
    login: str,
    improvement_id: int,
    status: str,
    status_on: date,
    *,
    case_references: Iterable[str] | None = None,
    version: int | None = None,
) -> None:
    """Move an improvement on (planned, in progress, done) and optionally reset the complaints linked to it.

    ``version`` is the entry's version as the officer read it (``ImprovementInfo.version``; None:
    as read now); a change made since raises ConcurrentChange naming who and when (9.3).
    """
    with transaction(store) as session:
        actor_for(session, login)
        row = claim_row(
            session,
            store,
            ServiceImprovement,
            improvement_id,
            version,
            login,
            lambda _s, r: f"The service improvement \u201c{r.what_changed[:60]}\u201d",
        )
        refuse(rules.check_improvement(row.what_changed, row.owner, status, status_on, store.today()))
        before = {"status": row.status, "status_on": row.status_on}
        row.status, row.status_on = status, status_on
        session.add(row)
        if case_references is not None:
            ids = _case_ids(session, case_references)
            session.execute(delete(ImprovementCase).where(ImprovementCase.improvement_id == row.id))
            for cid in ids:
                session.add(ImprovementCase(improvement_id=row.id, case_id=cid))
        audit(
            session,
            store,
            login,
            "service improvement",
            detail=f"{row.what_changed}: {status} on {status_on:%d %b %Y}",
            before=before,
            after={"status": status, "status_on": status_on},
        )


# -- the self-assessment and the report's recorded parts (8.1, 8.2) ------------------------


def _claim_account(session, store: Store, login: str, year: int, version: int | None) -> AnnualAccount:
    """The year's account taken for a change, as ``claim_row`` takes a record: created when
    nothing was recorded for the year (``version`` 0, or None), else its version bumped if it is
    still ``version`` (None: the version read now).

    Raises:
        ConcurrentChange: another officer recorded a part of the year's account since
            ``version`` (or created it at the same moment): who and when, in UK local time.
    """
    what = f"The {rules.financial_year_label(year)} record of the annual letter, the governing body's response and the approval"
    if session.get(AnnualAccount, year) is None and not version:
        acc = AnnualAccount(year=year, updated_by=login, updated_at=utcnow(store))
        add_first(session, acc, year, what, "8.2")
        return acc
    return claim_row(session, store, AnnualAccount, year, version, login, lambda _s, _r: what, code_ref="8.2")


def save_provision(
    store: Store,
    login: str,
    year: int,
    provision: str,
    complies: str,
    evidence: str,
    commentary: str,
    *,
    version: int | None = None,
) -> int:
    """Save the self-assessment of one provision for the financial year starting April ``year``:
    complies (yes / partly / no, or "" not yet assessed), evidence typed by the officer (measured
    evidence is added from the record when the assessment is built) and commentary.
    Saving a change after approval withdraws the approval (it must be approved again, 8.2);
    saving the answer as it is stored saves nothing and leaves the approval standing.

    ``version`` is the answer's version the officer read (``ProvisionEntry.version``, 0 when
    nothing was saved for the provision yet); None means the version read now, which still
    lets only one of two simultaneous saves through.

    Returns:
        The answer's new version.

    Raises:
        ConcurrentChange: another officer saved this provision since ``version`` (or first,
            at the same moment): the message says who and when, in UK local time; nothing of
            this save is stored.
        DomainError: an unknown answer or provision (8.1).
    """
    refuse(rules.check_assessment(complies))
    if provision not in code_provisions().numbers:
        raise DomainError(f"{provision!r} is not a provision of the Code's sections 1 to 9", "8.1", "provision")
    what = f"The self-assessment of provision {provision} for {rules.financial_year_label(year)}"
    with transaction(store) as session:
        actor_for(session, login)
        key = (year, provision)
        row = session.get(ProvisionAssessment, key)
        if row is not None and (row.complies, row.evidence, row.commentary) == (
            complies,
            evidence.strip(),
            commentary.strip(),
        ):
            return row.version  # nothing changed: nothing saved, and an approval stands
        if row is None:
            before = None
            row = ProvisionAssessment(year=year, provision=provision, updated_by=login, updated_at=utcnow(store))
            add_first(session, row, key, what, "8.1")
        else:
            row = claim_row(
                session, store, ProvisionAssessment, key, version, login, lambda _s, _r: what, code_ref="8.1"
            )
            before = {"complies": row.complies, "evidence": row.evidence, "commentary": row.commentary}
        row.complies, row.evidence, row.commentary = complies, evidence.strip(), commentary.strip()
        row.updated_by, row.updated_at = login, utcnow(store)
        session.add(row)
        acc = session.get(AnnualAccount, year)
        if acc is not None and acc.approved_by:
            # the account changed, by this officer now: an approval or a record read before is stale
            acc.version = AnnualAccount.version + 1
            acc.updated_by, acc.updated_at = login, utcnow(store)
            audit(
                session,
                store,
                login,
                "self-assessment approval withdrawn",
                detail=f"{year}: provision {provision} changed after approval by {acc.approved_by}",
                before={"approved_by": acc.approved_by, "approved_at": acc.approved_at},
            )
            acc.approved_by, acc.approved_at = "", None
            session.add(acc)
        audit(
            session,
            store,
            login,
            "self-assessment",
            detail=f"{year}: provision {provision}: {complies or 'not assessed'}",
            before=before,
            after={"complies": complies, "evidence": row.evidence, "commentary": row.commentary},
        )
        session.flush()
        return row.version


def approve_self_assessment(store: Store, login: str, year: int, *, version: int | None = None) -> None:
    """A supervisor approves the year's self-assessment (who and when are kept; Code 8.2).

    ``version`` is the year's account's version as the officer read it
    (``SelfAssessment.account_version``, 0 when nothing was recorded for the year); None means
    the version read now, which still lets only one of two simultaneous saves through.

    Raises:
        ConcurrentChange: another officer recorded a part of the year's account since ``version``
            (or first, at the same moment): the message says who and when, in UK local time;
            nothing of this save is stored.
        DomainError: the officer is not a supervisor or administrator.
    """
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        if not actor.supervises:
            raise DomainError("only a supervisor or administrator approves the self-assessment", "8.2", "approved_by")
        acc = _claim_account(session, store, login, year, version)
        acc.approved_by, acc.approved_at = login, utcnow(store)
        acc.updated_by, acc.updated_at = login, utcnow(store)
        session.add(acc)
        audit(
            session,
            store,
            login,
            "self-assessment approved",
            detail=f"financial year {rules.financial_year_label(year)}",
        )


def record_annual_letter(
    store: Store, login: str, year: int, received_on: date, key_points: str, *, version: int | None = None
) -> None:
    """The Ombudsman's annual letter (or report) on the landlord for the year: when it came and
    its key points, as text (8.1).

    ``version``: the year's account's version as read, as :func:`approve_self_assessment`.

    Raises:
        ConcurrentChange: as :func:`approve_self_assessment`; nothing of this save is stored.
        DomainError: no date, a date to come or before 1 April of the year before ``year``,
            or no key points.
    """
    refuse(rules.check_annual_letter(year, received_on, key_points, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        acc = _claim_account(session, store, login, year, version)
        before = {"letter_received_on": acc.letter_received_on, "letter_key_points": acc.letter_key_points}
        acc.letter_received_on, acc.letter_key_points = received_on, key_points.strip()
        acc.updated_by, acc.updated_at = login, utcnow(store)
        session.add(acc)
        audit(
            session,
            store,
            login,
            "ombudsman annual letter",
            detail=f"{year}: received {received_on:%d %b %Y}",
            before=before,
            after={"letter_received_on": received_on, "letter_key_points": acc.letter_key_points},
        )


def record_governing_body_response(
    store: Store, login: str, year: int, response_on: date, text: str, *, version: int | None = None
) -> None:
    """The governing body's response to the year's report (8.2), recorded when it is given.

    ``version``: the year's account's version as read, as :func:`approve_self_assessment`.

    Raises:
        ConcurrentChange: as :func:`approve_self_assessment`; nothing of this save is stored.
        DomainError: no date, a date to come or before the year began (1 April ``year``), or
            no response.
    """
    refuse(rules.check_governing_body_response(year, response_on, text, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        acc = _claim_account(session, store, login, year, version)
        before = {"response_on": acc.response_on, "governing_body_response": acc.governing_body_response}
        acc.response_on, acc.governing_body_response = response_on, text.strip()
        acc.updated_by, acc.updated_at = login, utcnow(store)
        session.add(acc)
        audit(
            session,
            store,
            login,
            "governing body response",
            detail=f"{year}: {response_on:%d %b %Y}",
            before=before,
            after={"response_on": response_on, "governing_body_response": acc.governing_body_response},
        )
