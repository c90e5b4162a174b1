"""Case forms for the officer's working week: move an outstanding action's due date
with the update given to the resident (6.6, 6.17), record an interval of updates agreed with
the resident and an update given (5.9)."""

from __future__ import annotations

from caseworker.rules.calendar import short_date
from caseworker.rules.facts import Refusal
from caseworker.screens.dialogs.case_form import CaseContext, CaseForm, Done
from caseworker.screens.dialogs.form import Field
from caseworker.screens.dialogs.records import OpenActionForm

HOW_CHOICES = (
    ("Phone call", "phone"),
    ("Email", "email"),
    ("Letter", "letter"),
    ("Visit", "visit"),
    ("Text message", "text message"),
    ("In person", "in person"),
)


class MoveActionDueDialog(OpenActionForm):
    """Move an open action's due date: why, and what the resident was told (6.6, 6.17)."""

    SAVE_LABEL = "Move due date"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Move an outstanding action's due date on {ctx.reference}"
        self.INTRO = (
            "The resident must be kept informed of progress on outstanding actions (Code 6.6, 6.17): "
            "say why the date moves and what they were told."
        )
        super().__init__(ctx)

    def fields(self):
        return (
            self.action_field(),
            Field("new_due", "New due date", "date", required=True),
            Field("reason", "Why the date moves", "textarea", required=True),
            Field("resident_update", "What the resident was told", "textarea", required=True),
            Field("how", "How they were told", "select", options=HOW_CHOICES, default="phone"),
            Field("told_on", "Date they were told", "date", default=self.ctx.today),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        versions = {a.id: a.version for a in self.ctx.detail.actions}
        return sv.move_action_due(
            store,
            login,
            int(v["action"]),
            v["new_due"],
            v["reason"],
            v["resident_update"],
            how=v["how"] or "",
            told_on=v["told_on"],
            version=versions.get(int(v["action"])),
        )

    def result(self, outcome, v):
        return Done(f"Due date moved to {short_date(v['new_due'])}; the update to the resident is recorded.")


class ResidentUpdatesDialog(CaseForm):
    """Agree with the resident how often they will be updated while the response is late or extended
    (5.9), or record an update given; the next agreed update is a deadline until the response is sent."""

    SAVE_LABEL = "Record"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Updates to the resident on {ctx.reference}"
        self.INTRO = (
            "When a response will be outside the Code's timescales, agree with the resident how often they "
            "will be updated (Code 5.9); each update given moves the next one on."
        )
        super().__init__(ctx)

    def fields(self):
        agree = lambda v: v.get("what") == "agree"  # noqa: E731
        given = lambda v: v.get("what") == "given"  # noqa: E731
        return (
            Field(
                "what",
                "Record",
                "select",
                required=True,
                default="given" if self._has_interval() else "agree",
                options=(
                    ("An interval of updates agreed with the resident", "agree"),
                    ("An update given to the resident", "given"),
                ),
            ),
            Field(
                "every_days",
                "Every (working days)",
                "int",
                required=True,
                show_if=agree,
                help="How often the resident will be updated, e.g. 5 for weekly.",
            ),
            Field("on", "Date", "date", required=True, default=self.ctx.today, aliases=("agreed_on", "given_on")),
            Field("how", "How", "select", options=HOW_CHOICES, default="phone"),
            Field("notes", "Notes", "textarea", show_if=agree, help="Optional: anything else agreed."),
            Field("summary", "What they were told", "textarea", required=True, show_if=given),
        )

    def _has_interval(self) -> bool:
        return self.ctx.detail.header.next_due_kind == "update"


class AgreeUpdatesDialog(ResidentUpdatesDialog):
    """Offered as soon as an extension is recorded: the interval of updates agreed with the resident
    until the later response is sent (5.9). Esc leaves it for now (U on the case records it later)."""

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        from caseworker.rules.facts import LIVE_STATUSES

        if ctx.facts.status not in LIVE_STATUSES:
            return Refusal("the response has been sent: updates under 5.9 are agreed only while it is awaited", "5.9")
        return None

    def __init__(self, ctx: CaseContext) -> None:
        super().__init__(ctx)
        due = ctx.detail.deadline.due if ctx.detail.deadline else None
        self.FORM_TITLE = f"Updates agreed with the resident on {ctx.reference}"
        self.INTRO = (
            "The response is now later"
            + (f" (due {short_date(due)})" if due else "")
            + ": agree with the resident how often they will be updated until then (Code 5.9). The next update "
            "is then a deadline in the inbox and on the board. Esc to record it later (U on the case)."
        )

    def _has_interval(self) -> bool:
        return False  # offered to agree an interval, whatever was agreed before

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        if v["what"] == "agree":
            return sv.agree_update_interval(
                store,
                login,
                self.ctx.detail.header.id,
                v["every_days"],
                v["on"],
                how=v["how"] or "",
                notes=v["notes"] or "",
            )
        return sv.record_resident_update(
            store, login, self.ctx.detail.header.id, v["on"], v["summary"] or "", how=v["how"] or ""
        )

    def result(self, outcome, v):
        if v["what"] == "agree":
            return Done(f"Updates every {v['every_days']} working days agreed; the next is now a deadline.")
        return Done("Update to the resident recorded.")
