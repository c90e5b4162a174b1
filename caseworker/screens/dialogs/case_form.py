"""What every case form shares: the case on screen as the rules see it (:class:`CaseContext`),
the :class:`Done` a form is dismissed with, and the :class:`CaseForm` base with its ``precheck``
(why the form cannot be used on the case as it is, so the screen need not open it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from caseworker.rules import lifecycle as rules
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.facts import (
    Actor,
    CaseFacts,
    CaseType,
    Decision,
    Ground,
    Refusal,
    Role,
    Status,
)
from caseworker.rules.policy import Policy
from caseworker.screens.dialogs.form import FormDialog

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.case import CaseDetail


@dataclass(frozen=True)
class Done:
    """What a form did, for the case screen to announce; ``case_id`` of a new linked case, if any;
    ``then``: the case form to offer next (a key of the case screen's ``DIALOGS``), or ""."""

    message: str
    case_id: int | None = None
    then: str = ""


def facts_of(detail: CaseDetail, stage_policies: dict[int, Policy] | None = None) -> CaseFacts:
    """The rules' view of the case on screen (as the services build it from the rows);
    ``stage_policies``: a stage's own profile by stage number, when it is not the case's."""
    from caseworker.store.queries.case import stage_facts

    by_number = {st.number: st for st in detail.stages}
    own = stage_policies or {}
    h = detail.header
    return CaseFacts(
        case_type=CaseType(h.case_type),
        received=h.received,
        status=Status(h.status),
        stage1=stage_facts(by_number[1], own.get(1)),
        stage2=stage_facts(by_number[2], own.get(2)) if 2 in by_number else None,
        issue_date=h.issue_date,
        open_actions=sum(1 for a in detail.actions if not a.done),
        logged=h.logged,
    )


@dataclass(frozen=True)
class CaseContext:
    """The case on screen and who is working on it: what every case form validates against."""

    detail: CaseDetail
    actor: Actor
    name: str  # the officer's own name
    policy: Policy
    calendar: WorkingCalendar
    today: date
    stage_policies: dict[int, Policy] | None = None  # a stage's own profile, when not the case's

    @classmethod
    def build(cls, detail: CaseDetail, workspace: Any) -> CaseContext:
        """From the displayed detail and the open workspace (policy and calendar are cached, no query)."""
        store, officer = workspace.store, workspace.officer
        own = {
            st.number: store.policy(st.policy_key)
            for st in detail.stages
            if st.policy_key and st.policy_key != detail.header.policy_key
        }
        return cls(
            detail,
            Actor(officer.login, Role(officer.role)),
            officer.name,
            store.policy(detail.header.policy_key),
            store.calendar,
            store.today(),
            own or None,
        )

    @cached_property
    def facts(self) -> CaseFacts:
        """The case as the rules see it."""
        return facts_of(self.detail, self.stage_policies)

    @property
    def case_id(self) -> int:
        return self.detail.header.id

    @property
    def version(self) -> int:
        """The version on screen: a save is refused if someone changed the case since."""
        return self.detail.header.version

    @property
    def reference(self) -> str:
        return self.detail.header.reference

    def response_due(self, facts: CaseFacts | None = None) -> date | None:
        """The current stage's response due date for ``facts`` (the case as it is by default)."""
        facts = facts or self.facts
        d = rules.response_deadline(facts, facts.current, self.policy, self.calendar)
        return d.due if d else None


def _first_status(refusal: Refusal | None, *fields: str) -> Refusal | None:
    """The refusal if it is about the case's state (so the form is not worth opening)."""
    return refusal if refusal is not None and refusal.field in (fields or ("status",)) else None


class CaseForm(FormDialog[Done]):
    """A form about one case."""

    def __init__(self, ctx: CaseContext) -> None:
        self.ctx = ctx
        #: True once a save was refused: the case screen reads the case again when the form
        #: closes (someone else may have changed it, whatever the case's own version says).
        self.refused = False
        super().__init__()

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        """Why this form cannot be used on the case as it is (then it is not opened), or None."""
        return None

    def save_failed(self, exc: Exception) -> None:
        """Someone else saved the case meanwhile: re-read it, keep what was typed, check again."""
        from caseworker.store.services import ConcurrentChange

        self.refused = True
        if isinstance(exc, ConcurrentChange) and self.workspace is not None:
            from caseworker.store.queries.case import case_detail

            self._changed_by = exc.refusal.message
            self.run_db(
                case_detail, self.workspace.store, case_id=self.ctx.case_id, done=self._reread, group="case-reread"
            )

    def _reread(self, detail: CaseDetail | None) -> None:
        if detail is None:
            return
        self.ctx = replace(self.ctx, detail=detail)
        self.case_reread()
        message = self._changed_by.split(";")[0]
        self.notice(
            f"{message[:1].upper()}{message[1:]}. This form now checks against the case as it is now, "
            "with what you typed kept: save again if it still applies."
        )
        self._tried = False
        self.refresh_form()

    def case_reread(self) -> None:
        """The case was read again after a refused save (``self.ctx`` is the case as it is now):
        bring the form's own choices up to date (override; the live check runs after this)."""


GROUND_CHOICES = (
    (
        "Over 12 months: the issue arose or became known over 12 months before (2.2 a, 2.3)",
        Ground.OVER_TWELVE_MONTHS.value,
    ),
    ("Legal proceedings started: a claim filed at court (2.2 b)", Ground.LEGAL_PROCEEDINGS.value),
    ("Previously considered under the complaints policy (2.2 c)", Ground.PREVIOUSLY_CONSIDERED.value),
)
DECISION_CHOICES = (
    ("Upheld", Decision.UPHELD.value),
    ("Partly upheld", Decision.PARTLY_UPHELD.value),
    ("Not upheld", Decision.NOT_UPHELD.value),
)
YES_NO = (("Yes", "yes"), ("No", "no"))


def _ground(value: str | None) -> Ground | None:
    return Ground(value) if value else None


__all__ = ["DECISION_CHOICES", "GROUND_CHOICES", "YES_NO", "CaseContext", "CaseForm", "Done", "facts_of"]
