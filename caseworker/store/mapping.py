"""Turn stored rows into the plain facts the rules work on (``rules.facts.CaseFacts``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func
from sqlmodel import Session, select

from caseworker.rules.facts import CaseFacts, CaseType, Consideration, Extension, StageFacts, Status
from caseworker.rules.policy import Policy
from caseworker.store.models import Action, AuditEvent, Case, Officer, Stage
from caseworker.store.models import Extension as ExtensionRow


def officer_logins(session: Session, ids: set[int]) -> dict[int, str]:
    """Officer id to login for the given ids."""
    if not ids:
        return {}
    rows = session.exec(select(Officer.id, Officer.login).where(Officer.id.in_(ids))).all()
    return {i: login for i, login in rows}


def extensions_of(session: Session, stage_ids: list[int]) -> dict[int, list[ExtensionRow]]:
    """The extensions of the given stages, by stage id, in the order they were granted (one query)."""
    out: dict[int, list[ExtensionRow]] = {i: [] for i in stage_ids}
    if stage_ids:
        rows = session.exec(
            select(ExtensionRow).where(ExtensionRow.stage_id.in_(stage_ids)).order_by(ExtensionRow.id)
        ).all()
        for e in rows:
            out[e.stage_id].append(e)
    return out


def stage_facts(
    session: Session,
    stage: Stage,
    logins: dict[int, str],
    policy: Policy | None = None,
    extensions: list[ExtensionRow] | None = None,
) -> StageFacts:
    """One stored stage as rules facts, with its extensions (``policy``: the stage's own profile, if any;
    ``extensions``: the stage's extension rows when already read, else they are read here)."""
    exts = extensions if extensions is not None else extensions_of(session, [stage.id])[stage.id]
    return StageFacts(
        number=stage.number,
        requested=stage.requested,
        officer=logins.get(stage.officer_id) if stage.officer_id else None,
        acknowledged=stage.acknowledged,
        responded=stage.responded,
        extensions=tuple(
            Extension(
                working_days=e.working_days,
                reason=e.reason,
                resident_told=e.resident_told,
                good_reason=e.good_reason,
                approved_by=e.approved_by,
                told_late=bool(e.told_late),
            )
            for e in exts
        ),
        policy=policy,
        promised=stage.promised_due,
        promised_ext_days=stage.promised_ext_days or 0,
    )


def stages_of(session: Session, case_id: int) -> dict[int, Stage]:
    """The stored stages of a case by number."""
    return {s.number: s for s in session.exec(select(Stage).where(Stage.case_id == case_id)).all()}


#: ``session.info`` key: the stage rows of each case read in this transaction, by case id then number.
STAGES_READ = "stages_read"


def _stages_read(
    session: Session, case_id: int, *, with_officers: bool
) -> tuple[dict[int, Stage], dict[int, list[ExtensionRow]], dict[int, str], int]:
    """A case's stages by number, their extensions by stage id and, ``with_officers``, the
    stages' officers' logins and the count of open actions: in one query (a stage row per
    extension, outer-joined), each part of which goes through an index."""
    columns: list = [Stage, ExtensionRow]
    if with_officers:
        open_actions = (
            select(func.count())
            .select_from(Action)
            .where(Action.case_id == case_id, Action.done == False)  # noqa: E712
            .scalar_subquery()
        )
        columns += [Officer.login, open_actions]
    stmt = select(*columns).outerjoin(ExtensionRow, ExtensionRow.stage_id == Stage.id)
    if with_officers:
        stmt = stmt.outerjoin(Officer, Officer.id == Stage.officer_id)
    rows = session.exec(stmt.where(Stage.case_id == case_id).order_by(Stage.number, ExtensionRow.id)).all()
    stages: dict[int, Stage] = {}
    exts: dict[int, list[ExtensionRow]] = {}
    logins: dict[int, str] = {}
    count = 0
    for row in rows:
        stage, ext = row[0], row[1]
        stages[stage.number] = stage
        exts.setdefault(stage.id, [])
        if ext is not None:
            exts[stage.id].append(ext)
        if with_officers:
            if row[2] is not None:
                logins[stage.officer_id] = row[2]
            count = row[3]
    # held for the rest of the transaction (the session maps rows weakly): services.cases._stage_row
    session.info.setdefault(STAGES_READ, {})[case_id] = stages
    return stages, exts, logins, count


def case_facts(session: Session, case: Case, policies: Callable[[str], Policy] | None = None) -> CaseFacts:
    """The rules' view of a stored case (``policies`` loads a stage's own profile by key, when it has one).

    Three queries: the stages with their extensions, officers and the count of open actions;
    then the record for the 6.13 look-back, and the names in it."""
    stages, exts, logins, open_actions = _stages_read(session, case.id, with_officers=True)
    return CaseFacts(
        case_type=CaseType(case.case_type),
        received=case.received,
        status=Status(case.status),
        stage1=stage_facts(session, stages[1], logins, _own(stages[1], case, policies), exts[stages[1].id]),
        stage2=stage_facts(session, stages[2], logins, _own(stages[2], case, policies), exts[stages[2].id])
        if 2 in stages
        else None,
        issue_date=case.issue_date,
        open_actions=open_actions,
        stage1_considered=stage1_considered(session, case.id, logins.get(stages[1].officer_id)),
        logged=case.logged,
    )


def deadline_facts(
    session: Session, case: Case, policies: Callable[[str], Policy] | None = None
) -> tuple[dict[int, Stage], dict[int, StageFacts]]:
    """The stored stages of a case by number, and each as the facts its deadlines are worked
    out from (dates, extensions, promises, own profile), in one query.

    What :func:`services.base.refresh_deadlines` needs after every change: unlike
    :func:`case_facts` it reads neither the officers, the outstanding actions nor the record
    (the 6.13 look-back), which no deadline depends on; officers in these facts are None.
    """
    stages, exts, _logins, _count = _stages_read(session, case.id, with_officers=False)
    return stages, {
        n: stage_facts(session, row, {}, _own(row, case, policies), exts[row.id]) for n, row in stages.items()
    }


#: What each Stage 1 event in the record means for the different-officer rule (6.13).
_CONSIDERED = {"acknowledged": "acknowledged and defined it", "responded": "recorded the Stage 1 response"}


def stage1_considered(session: Session, case_id: int, stage1_officer: str | None) -> tuple[Consideration, ...]:
    """Everyone who considered the complaint at Stage 1, from the case's record (6.13).

    Read from the append-only audit up to the escalation: whoever held Stage 1 (the officer
    now named, and both sides of every Stage 1 assignment), acknowledged and defined it,
    recorded the Stage 1 response or issued the Stage 1 response letter. Full names come
    from the officer table (a login no longer on it is shown as the login).
    """
    found: list[tuple[str, str]] = [(stage1_officer, "held it")] if stage1_officer else []
    events = session.exec(
        select(AuditEvent.action, AuditEvent.actor, AuditEvent.before, AuditEvent.after)
        .where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.id)
    ).all()
    for action, actor, before, after in events:
        if action == "escalated":
            break
        if action in _CONSIDERED:
            found.append((actor, _CONSIDERED[action]))
        elif action in ("assigned", "reassigned"):
            for side in (before, after):
                login = _json(side).get("officer")
                if login:
                    found.append((login, "held it"))
        elif action == "letter issued" and _json(after).get("letter_kind") == "response":
            found.append((actor, "issued the Stage 1 response"))
    if not found:
        return ()
    names = dict(
        session.exec(select(Officer.login, Officer.name).where(Officer.login.in_({f[0] for f in found}))).all()
    )
    out: list[Consideration] = []
    for login, how in found:
        c = Consideration(login, names.get(login) or login, how)
        if c not in out:
            out.append(c)
    return tuple(out)


def _json(text: str) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _own(stage: Stage, case: Case, policies: Callable[[str], Policy] | None) -> Policy | None:
    if policies is None or not stage.policy_key or stage.policy_key == case.policy_key:
        return None
    return policies(stage.policy_key)
