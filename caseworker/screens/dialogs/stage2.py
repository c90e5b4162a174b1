"""Stage 2 forms: record the resident's request (no reason needed, 6.12), assign or reassign
the officer (never the Stage 1 officer, 6.13: ineligible officers are listed greyed out with the
reason and cannot be chosen), and refuse to escalate on a section 2 ground (5.11)."""

from __future__ import annotations

import re
from typing import Any

from caseworker.rules import lifecycle as rules
from caseworker.rules.calendar import short_date
from caseworker.rules.facts import Ground, Refusal
from caseworker.screens.dialogs.actions import NotAcceptDialog
from caseworker.screens.dialogs.case_form import (
    CaseContext,
    CaseForm,
    Done,
    _first_status,
    _ground,
)
from caseworker.screens.dialogs.form import Choice, Field


def _load_choices(store: Any, case_id: int, stage: int, current: str, for_stage2: bool) -> list[Choice]:
    """Every active officer; at Stage 2 those ineligible (6.13) greyed out with the reason. Runs in a worker."""
    from caseworker.store.queries.allocation import eligibility
    from caseworker.store.queries.officers import officers

    if for_stage2:
        people = [(e.login, e.name, e.role, e.reason) for e in eligibility(store, case_id)]
    else:
        people = [(o.login, o.name, o.role, "") for o in officers(store)]
    out = []
    for login, name, role, reason in people:
        if reason:
            how = re.search(r"at Stage 1 \(([^)]*)\)", reason)
            reason = f"considered Stage 1: {how[1]} (Code 6.13)" if how else reason
        elif login == current:
            reason = f"already the Stage {stage} officer"
        out.append(Choice(login, f"{name} ({role})", reason))
    return out


class RequestStage2Dialog(CaseForm):
    """Record the resident's request to escalate (6.10 to 6.12); a supervisor may name the officer (6.13)."""

    SAVE_LABEL = "Escalate"
    INTRO = "The resident need not give reasons for escalating: the reason below is optional (Code 6.12)."

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Stage 2 request on {ctx.reference}"
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return _first_status(rules.check_request_stage2(ctx.facts, ctx.today, ctx.today), "status", "stage")

    def fields(self):
        out = [
            Field("requested", "Requested on", "date", required=True, default=self.ctx.today),
            Field(
                "reason", "Reason (optional)", "textarea", help="Only if the resident gave one. Not required (6.12)."
            ),
        ]
        if self.ctx.actor.supervises:
            out.append(
                Field(
                    "officer",
                    "Stage 2 officer",
                    "pick",
                    help="Optional: leave on 'not yet' to allocate later. Greyed out: cannot take it (6.13).",
                )
            )
        return out

    def on_mount(self) -> None:
        super().on_mount()
        if self.ctx.actor.supervises and self.workspace is not None:
            self.run_db(
                _load_choices,
                self.workspace.store,
                self.ctx.case_id,
                2,
                "",
                True,
                done=lambda choices: self.set_choices("officer", [Choice("-", "Not yet: allocate later")] + choices),
                group="choices",
            )

    def validate(self, v):
        return rules.check_request_stage2(self.ctx.facts, v["requested"], self.ctx.today)

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        officer = v.get("officer")
        return sv.request_stage2(
            store,
            login,
            self.ctx.case_id,
            self.ctx.version,
            v["requested"],
            v["reason"] or "",
            officer_login=None if officer in (None, "-") else officer,
        )

    def result(self, outcome, v):
        officer = v.get("officer")
        who = f" and allocated to {officer}" if officer not in (None, "-") else "; allocate a Stage 2 officer with g"
        return Done(f"{self.ctx.reference} escalated to Stage 2 on {short_date(v['requested'])}{who}.")


class AssignDialog(CaseForm):
    """Assign or reassign the current stage's officer; at Stage 2 never the Stage 1 officer (6.13)."""

    SAVE_LABEL = "Assign"

    def __init__(self, ctx: CaseContext) -> None:
        stage = ctx.facts.stage
        self.FORM_TITLE = f"Assign the Stage {stage} officer on {ctx.reference}"
        s1 = ctx.facts.stage1.officer
        self.INTRO = (
            f"Every active officer is listed. The Stage 1 officer ({s1}) cannot consider the complaint at "
            "Stage 2 and is greyed out (Code 6.13); only supervisors allocate Stage 2 cases."
            if stage == 2
            else "Every active officer is listed; the current officer is greyed out."
        )
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return rules.check_may_allocate(ctx.facts, ctx.actor)

    def fields(self):
        out = [
            Field(
                "officer", "Officer", "pick", required=True, help="↑/↓ to choose; greyed-out officers cannot be chosen."
            )
        ]
        if self.ctx.facts.current.officer:
            out.append(
                Field(
                    "reason",
                    "Reason for reassigning",
                    "textarea",
                    required=True,
                    help="Why the case changes hands: the record keeps it and shows from whom to whom.",
                )
            )
        return tuple(out)

    def on_mount(self) -> None:
        super().on_mount()
        if self.workspace is not None:
            stage = self.ctx.facts.stage
            self.run_db(
                _load_choices,
                self.workspace.store,
                self.ctx.case_id,
                stage,
                self.ctx.facts.current.officer or "",
                stage == 2,
                done=lambda choices: self.set_choices("officer", choices),
                group="choices",
            )

    def validate(self, v):
        if v["officer"] is None:
            return None
        return rules.check_assign(self.ctx.facts, v["officer"], True, self.ctx.actor, v.get("reason"))

    def describe(self, v):
        current = self.ctx.facts.current.officer
        return f"Now: {current or 'nobody'}." + (f" Chosen: {v['officer']}." if v["officer"] else "")

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.assign(store, login, self.ctx.case_id, self.ctx.version, v["officer"], v.get("reason") or "")

    def result(self, outcome, v):
        return Done(
            f"Stage {self.ctx.facts.stage} of {self.ctx.reference} assigned to {self._officer_name(v['officer'])}."
        )

    def _officer_name(self, login: str) -> str:
        """The chosen officer's full name, as the list showed it."""
        choice = next((c for c in self._choices.get("officer", ()) if c.value == login), None)
        return choice.label.split(" (")[0] if choice is not None else login


class RefuseEscalationDialog(NotAcceptDialog):
    """Refuse to escalate on a section 2 ground, with reasons (5.11)."""

    SAVE_LABEL = "Refuse escalation"
    INTRO = (
        "Refusing to escalate needs a section 2 ground and written reasons (Code 5.11); the letter gives the "
        "route to the Ombudsman."
    )

    def __init__(self, ctx: CaseContext) -> None:
        super().__init__(ctx)
        self.FORM_TITLE = f"Refuse to escalate {ctx.reference} to Stage 2"

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return _first_status(rules.check_refuse_escalation(ctx.facts, Ground.LEGAL_PROCEEDINGS, "x"))

    def validate(self, v):
        return rules.check_refuse_escalation(self.ctx.facts, _ground(v["ground"]), v["reasons"] or "")

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.refuse_escalation(
            store, login, self.ctx.case_id, self.ctx.version, _ground(v["ground"]), v["reasons"]
        )

    def result(self, outcome, v):
        return Done(f"Escalation of {self.ctx.reference} refused. Send the escalation-refused letter with l.")


__all__ = ["AssignDialog", "RefuseEscalationDialog", "RequestStage2Dialog"]
