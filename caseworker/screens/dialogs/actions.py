"""The case's lifecycle forms at Stage 1 and after: acknowledge, extend, respond, a related
issue (6.8), not accept, withdraw, close. Each validates as the officer types with the rule's own
``check_*`` guard (so the message and Code paragraph are the service's), saves through the
service with the version of the case on screen, and is dismissed with a :class:`Done` saying
what was done. Stage 2 forms are in :mod:`.stage2`; notes, actions, remedies and letters in
:mod:`.records`.
"""

from __future__ import annotations

from dataclasses import replace

from caseworker.rules import lifecycle as rules
from caseworker.rules.calendar import short_date
from caseworker.rules.facts import (
    GROUND_LABELS,
    Decision,
    Definition,
    Extension,
    Ground,
    Refusal,
    Status,
)
from caseworker.screens.dialogs.case_form import (  # noqa: F401  (CaseContext, Done re-exported)
    DECISION_CHOICES,
    GROUND_CHOICES,
    YES_NO,
    CaseContext,
    CaseForm,
    Done,
    _first_status,
    _ground,
    facts_of,
)
from caseworker.screens.dialogs.form import Field

# -- acknowledge -----------------------------------------------------------------------------


class AcknowledgeDialog(CaseForm):
    """Acknowledge the current stage and record the complaint definition (5.6, 5.7, 6.2, 6.11)."""

    SAVE_LABEL = "Acknowledge"
    INTRO = (
        "Record the complaint definition: the issues to investigate, the outcomes the resident seeks, and what "
        "the landlord is and is not responsible for (Code 5.6, 5.7). The response clock starts from this date."
    )

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Acknowledge {ctx.reference} at Stage {ctx.facts.stage}"
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return _first_status(
            rules.check_acknowledge(ctx.facts, ctx.today, Definition("x", "x", "x"), ctx.today), "status", "officer"
        )

    def fields(self):
        stage1 = next((s for s in self.ctx.detail.stages if s.number == 1), None)
        earlier = stage1 if self.ctx.facts.stage == 2 and stage1 is not None else None
        return (
            Field("acknowledged", "Acknowledged on", "date", required=True, default=self.ctx.today),
            Field(
                "issues",
                "Issues to investigate",
                "textarea",
                required=True,
                default=earlier.issues if earlier else "",
                help="What the complaint is about, as agreed with the resident (5.6).",
            ),
            Field(
                "outcomes", "Outcomes sought", "textarea", required=True, default=earlier.outcomes if earlier else ""
            ),
            Field(
                "responsible",
                "Landlord responsible for",
                "textarea",
                required=True,
                default=earlier.responsible if earlier else "",
            ),
            Field(
                "not_responsible",
                "Not responsible for",
                "textarea",
                default=earlier.not_responsible if earlier else "",
                help="Aspects the landlord is not responsible for, and who is (5.7). Optional.",
            ),
        )

    def _definition(self, v: dict) -> Definition:
        return Definition(v["issues"] or "", v["outcomes"] or "", v["responsible"] or "", v["not_responsible"] or "")

    def validate(self, v):
        return rules.check_acknowledge(self.ctx.facts, v["acknowledged"], self._definition(v), self.ctx.today)

    def describe(self, v):
        on = v["acknowledged"]
        if on is None:
            return None
        facts = self.ctx.facts.with_current(acknowledged=on)
        facts = replace(facts, status=Status.OPEN)
        due = self.ctx.response_due(facts)
        return f"The Stage {facts.stage} response will be due {short_date(due)}." if due else None

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.acknowledge(store, login, self.ctx.case_id, self.ctx.version, v["acknowledged"], self._definition(v))

    def result(self, outcome, v):
        return Done(
            f"{self.ctx.reference} acknowledged on {short_date(v['acknowledged'])} and the complaint defined. "
            "Send the acknowledgement letter with l."
        )


# -- extend ----------------------------------------------------------------------------------


class ExtendDialog(CaseForm):
    """Extend the response deadline (6.4, 6.5; 6.15, 6.16)."""

    SAVE_LABEL = "Extend"
    INTRO = (
        "An extension needs a reason explained to the resident and the date they were told. Up to the cap an "
        "officer may extend; beyond it only with a good reason and a supervisor's approval. The extension "
        "letter must include the Ombudsman's contact details."
    )

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Extend the Stage {ctx.facts.stage} response on {ctx.reference}"
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        if ctx.facts.status != Status.OPEN:
            return _first_status(
                rules.check_extend(
                    ctx.facts, Extension(1, "x", ctx.today), ctx.actor, ctx.policy, ctx.calendar, ctx.today
                )
            )
        due = ctx.response_due()
        if due is not None and ctx.today > due:
            ref = ctx.policy.stage(ctx.facts.stage).extension_code_ref
            return Refusal(
                f"the response was due {short_date(due)} and that date has passed: an extension cannot "
                "be recorded after the due date; the breach stays on record",
                ref,
                "working_days",
            )
        return None

    def _beyond(self, v: dict) -> bool:
        days = v.get("working_days") or 0
        cap = self.ctx.policy.stage(self.ctx.facts.stage).extension_cap
        return days > 0 and (cap is None or self.ctx.facts.current.extended_days + days > cap)

    def fields(self):
        return (
            Field(
                "working_days",
                "Working days",
                "int",
                required=True,
                unit="working days",
                help="How many working days to add.",
            ),
            Field(
                "reason",
                "Reason",
                "textarea",
                required=True,
                help="The reason for the extension, as explained to the resident.",
            ),
            Field(
                "resident_told",
                "Resident told on",
                "date",
                required=True,
                default=self.ctx.today,
                help="Within the original timescale.",
            ),
            Field(
                "good_reason",
                "Good reason",
                "textarea",
                show_if=self._beyond,
                help="Beyond the cap: the good reason. Saving records your approval as supervisor."
                if self._may_approve()
                else "Beyond the cap: the good reason. Saving asks for approval: the request goes to the supervisors' "
                "queue (F10) and the due date stays as it is until a supervisor who does not hold the case "
                "approves it.",
            ),
        )

    def _may_approve(self) -> bool:
        """Whether this officer may approve an extension past the cap here (a supervisor not holding the case)."""
        return self.ctx.actor.supervises and self.ctx.facts.current.officer != self.ctx.actor.login

    def _asking(self, v: dict) -> bool:
        return self._beyond(v) and not self._may_approve()

    def _extension(self, v: dict) -> Extension:
        return Extension(v["working_days"] or 0, v["reason"] or "", v["resident_told"], v["good_reason"] or "")

    def validate(self, v):
        if v["working_days"] is None or v["resident_told"] is None:
            return None
        if self._asking(v):
            from caseworker.rules.approvals import check_request_extension

            return check_request_extension(
                self.ctx.facts, self._extension(v), self.ctx.actor, self.ctx.policy, self.ctx.calendar, self.ctx.today
            )
        return rules.check_extend(
            self.ctx.facts, self._extension(v), self.ctx.actor, self.ctx.policy, self.ctx.calendar, self.ctx.today
        )

    def describe(self, v):
        facts, policy = self.ctx.facts, self.ctx.policy
        stage_policy = policy.stage(facts.stage)
        cap, ref = stage_policy.extension_cap, stage_policy.extension_code_ref
        so_far = facts.current.extended_days
        due = self.ctx.response_due()
        lines = [f"Stage {facts.stage} response due {short_date(due)}" if due else "No response date yet"]
        days = v["working_days"]
        if not days or days < 1:
            lines.append(f"extended so far: {so_far} working day(s); cap {cap if cap is not None else 'none set'}")
            return "; ".join(lines) + "."
        total = so_far + days
        if cap is None:
            cap_text = (
                f"{so_far} + {days} = {total} working days: no cap is set in this policy, so it needs a good "
                f"reason and a supervisor (Code {ref})"
            )
        elif total > cap:
            cap_text = (
                f"{so_far} + {days} = {total} of {cap} working days: beyond the cap — needs a good reason and "
                f"a supervisor (Code {ref})"
            )
        else:
            cap_text = f"{so_far} + {days} = {total} of {cap} working days: within the cap (Code {ref})"
        new_due = self.ctx.response_due(
            facts.with_current(extensions=facts.current.extensions + (Extension(days, "", self.ctx.today),))
        )
        return f"{lines[0]}, would become {short_date(new_due)}.\n{cap_text}." if new_due else cap_text + "."

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        if self._asking(v):
            return sv.request_extension(store, login, self.ctx.case_id, self.ctx.version, self._extension(v))
        return sv.extend(store, login, self.ctx.case_id, self.ctx.version, self._extension(v))

    def result(self, outcome, v):
        facts = self.ctx.facts
        if self._asking(v):
            return Done(
                f"Asked for {v['working_days']} working day(s) past the cap on {self.ctx.reference}: the request "
                "is in the supervisors' queue (F10). The due date stays as it is until a supervisor approves it."
            )
        new_due = self.ctx.response_due(facts.with_current(extensions=facts.current.extensions + (self._extension(v),)))
        return Done(
            f"Stage {facts.stage} response extended by {v['working_days']} working day(s); now due "
            f"{short_date(new_due)}. Send the extension letter (with the Ombudsman's details) with l.",
            then="agree_updates",  # 5.9: agree with the resident how often they will hear from us meanwhile
        )


# -- respond ---------------------------------------------------------------------------------


class RespondDialog(CaseForm):
    """Record the stage's response: decision, reasons, remedy or none, actions or none (6.9, 6.19)."""

    SAVE_LABEL = "Record response"

    def __init__(self, ctx: CaseContext) -> None:
        stage = ctx.facts.stage
        self.FORM_TITLE = f"Stage {stage} response on {ctx.reference}"
        self.INTRO = (
            "The response letter must cover the stage, the complaint definition, the decision, the reasons, "
            "the remedy (or an explicit 'no remedy'), outstanding actions (or 'none') and how to escalate "
            f"(Code {'6.9' if stage == 1 else '6.19'}). Record remedies (m) and actions (o) first."
        )
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        probe = rules.Response(ctx.today, Decision.UPHELD, "x", no_remedy=True, no_actions=True)
        return _first_status(rules.check_respond(ctx.facts, probe, ctx.today))

    def _counts(self) -> tuple[int, int]:
        stage = self.ctx.facts.stage
        remedies = sum(1 for r in self.ctx.detail.remedies if r.stage_number == stage)
        actions = sum(1 for a in self.ctx.detail.actions if a.stage_number == stage)
        return remedies, actions

    def fields(self):
        return (
            Field("on", "Response date", "date", required=True, default=self.ctx.today),
            Field("decision", "Decision", "select", required=True, options=DECISION_CHOICES),
            Field("reasons", "Reasons", "textarea", required=True, help="The reasons for the decision on each issue."),
            Field("no_remedy", "No remedy is offered (say so explicitly)", "checkbox", aliases=("remedy",)),
            Field("no_actions", "No outstanding actions (say so explicitly)", "checkbox", aliases=("actions",)),
        )

    def validate(self, v):
        remedies, actions = self._counts()
        if v["no_remedy"] and remedies:
            return Refusal(f"{remedies} remedy(ies) are recorded at this stage: untick 'no remedy'", "", "no_remedy")
        if v["no_actions"] and actions:
            return Refusal(
                f"{actions} outstanding action(s) are recorded at this stage: untick 'no outstanding actions'",
                "",
                "no_actions",
            )
        response = rules.Response(
            v["on"],
            Decision(v["decision"]) if v["decision"] else None,
            v["reasons"] or "",
            remedies=remedies,
            no_remedy=v["no_remedy"],
            actions=actions,
            no_actions=v["no_actions"],
        )
        return rules.check_respond(self.ctx.facts, response, self.ctx.today)

    def describe(self, v):
        remedies, actions = self._counts()
        text = f"Recorded at Stage {self.ctx.facts.stage}: {remedies} remedy(ies), {actions} outstanding action(s)."
        due, on = self.ctx.response_due(), v["on"]
        if due and on:
            if on <= due:
                text += f" Due {short_date(due)}: on time."
            else:
                late = self.ctx.calendar.count(due, on)
                text += f" Due {short_date(due)}: {late} working day(s) late."
        return text

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.respond(
            store,
            login,
            self.ctx.case_id,
            self.ctx.version,
            v["on"],
            Decision(v["decision"]),
            v["reasons"],
            no_remedy=v["no_remedy"],
            no_actions=v["no_actions"],
        )

    def result(self, outcome, v):
        label = {b: a for a, b in DECISION_CHOICES}[v["decision"]]
        return Done(
            f"Stage {self.ctx.facts.stage} response recorded: {label.lower()}. Send the response letter with l."
        )


# -- related issue (6.8) --------------------------------------------------------------------


class RelatedIssueDialog(CaseForm):
    """A new issue raised during the case: added here, or logged as a new linked case (6.8)."""

    SAVE_LABEL = "Add issue"
    INTRO = (
        "A new issue raised before the Stage 1 response is added to this case if it is related and adding it "
        "would not unreasonably delay the response; otherwise it becomes a new complaint linked to this one (6.8)."
    )

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"New issue raised on {ctx.reference}"
        super().__init__(ctx)

    def fields(self):
        return (
            Field("description", "The new issue", "textarea", required=True),
            Field("raised_on", "Raised on", "date", required=True, default=self.ctx.today),
            Field(
                "related",
                "Related?",
                "select",
                required=True,
                options=YES_NO,
                help="Is the new issue related to this complaint?",
            ),
            Field(
                "would_delay",
                "Would it delay?",
                "select",
                required=True,
                options=YES_NO,
                show_if=lambda v: v.get("related") == "yes",
                help="Would adding it unreasonably delay the Stage 1 response?",
            ),
            # A new complaint is filed where the new issue belongs, not under this case's area (6.8).
            Field(
                "service_area",
                "New case: service area",
                "text",
                show_if=self._splits,
                placeholder=f"e.g. {self.ctx.detail.header.service_area or 'Repairs'}",
                help="Where the new complaint belongs (it need not be this case's)",
            ),
            Field("category", "New case: category", "text", show_if=self._splits, placeholder="e.g. Noise"),
            Field(
                "officer",
                "New case: officer",
                "text",
                show_if=self._splits,
                default=self.ctx.detail.header.officer_login or "",
                help="Login of the officer who will handle it (this case's officer unless you change it)",
            ),
        )

    def _splits(self, v) -> bool:
        if v.get("related") is None or (v.get("related") == "yes" and v.get("would_delay") is None):
            return False
        return not rules.decide_related_issue(
            self.ctx.facts, v["related"] == "yes", v.get("would_delay") == "yes"
        ).add_to_case

    def validate(self, v):
        if v["raised_on"] is not None and v["raised_on"] > self.ctx.today:
            return Refusal(f"the date raised ({short_date(v['raised_on'])}) is in the future", "5.12", "raised_on")
        if self._splits(v) and not (v.get("service_area") or "").strip():
            return Refusal(
                "the new complaint needs its service area (it may not be this case's)", "5.12", "service_area"
            )
        return None

    def describe(self, v):
        if v["related"] is None or (v["related"] == "yes" and v["would_delay"] is None):
            return "Answer both questions to see where the issue goes."
        decision = rules.decide_related_issue(self.ctx.facts, v["related"] == "yes", v["would_delay"] == "yes")
        where = (
            f"added to {self.ctx.reference}"
            if decision.add_to_case
            else f"a new complaint linked to {self.ctx.reference}"
        )
        return f"It will be {where}: {decision.why} (Code 6.8)."

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        split = self._splits(v)
        return sv.add_related_issue(
            store,
            login,
            self.ctx.case_id,
            self.ctx.version,
            v["description"],
            related=v["related"] == "yes",
            would_delay=v["would_delay"] == "yes",
            raised_on=v["raised_on"],
            service_area=(v.get("service_area") or "").strip() if split else None,
            category=(v.get("category") or "").strip() if split else None,
            officer_login=(v.get("officer") or "").strip() or None,
        )

    def result(self, outcome, v):
        if outcome.added_to_case:
            return Done(f"The issue was added to {self.ctx.reference}: {outcome.why}.")
        return Done(
            f"The issue was logged as {outcome.case.reference}, linked to {self.ctx.reference}: {outcome.why}.",
            case_id=outcome.case.id,
        )


# -- not accepted, escalation refused, withdrawn, closed -----------------------------------------


class NotAcceptDialog(CaseForm):
    """Record the complaint as not accepted on a section 2 ground (2.1 to 2.5)."""

    SAVE_LABEL = "Not accepted"
    INTRO = (
        "Each decision is made case by case with written reasons. The not-accepted letter states the right to "
        "take the decision to the Ombudsman."
    )

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Do not accept {ctx.reference}"
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return _first_status(rules.check_not_accept(ctx.facts, Ground.LEGAL_PROCEEDINGS, "x", ctx.policy))

    def fields(self):
        out_of_time = rules.is_out_of_time(self.ctx.facts.received, self.ctx.facts.issue_date, self.ctx.policy)
        return (
            Field(
                "ground",
                "Ground",
                "select",
                required=True,
                options=GROUND_CHOICES,
                default=Ground.OVER_TWELVE_MONTHS.value if out_of_time else None,
            ),
            Field("reasons", "Reasons", "textarea", required=True, help="Written reasons, considered case by case."),
        )

    def validate(self, v):
        return rules.check_not_accept(self.ctx.facts, _ground(v["ground"]), v["reasons"] or "", self.ctx.policy)

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.not_accept(store, login, self.ctx.case_id, self.ctx.version, _ground(v["ground"]), v["reasons"])

    def result(self, outcome, v):
        return Done(
            f"{self.ctx.reference} recorded as not accepted ({GROUND_LABELS[_ground(v['ground'])]}). "
            "Send the not-accepted letter with l."
        )


class WithdrawDialog(CaseForm):
    """The resident withdraws the complaint; what they said is kept (5.12)."""

    SAVE_LABEL = "Withdraw"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Withdraw {ctx.reference}"
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return _first_status(rules.check_withdraw(ctx.facts, "x"))

    def fields(self):
        return (Field("reason", "What the resident said", "textarea", required=True),)

    def validate(self, v):
        return rules.check_withdraw(self.ctx.facts, v["reason"] or "")

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.withdraw(store, login, self.ctx.case_id, self.ctx.version, v["reason"])

    def result(self, outcome, v):
        return Done(f"{self.ctx.reference} withdrawn.")


class CloseDialog(CaseForm):
    """Close a responded case once its outstanding actions are done (6.6, 6.17)."""

    SAVE_LABEL = "Close case"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Close {ctx.reference}"
        self.INTRO = "Closing ends the case at this stage. The resident can still escalate a Stage 1 response (6.10)."
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        return rules.check_close(ctx.facts)

    def validate(self, v):
        return rules.check_close(self.ctx.facts)

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.close(store, login, self.ctx.case_id, self.ctx.version)

    def result(self, outcome, v):
        return Done(f"{self.ctx.reference} closed.")


__all__ = [
    "AcknowledgeDialog",
    "CloseDialog",
    "ExtendDialog",
    "NotAcceptDialog",
    "RelatedIssueDialog",
    "RespondDialog",
    "WithdrawDialog",
]
