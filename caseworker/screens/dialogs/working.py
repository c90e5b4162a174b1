"""Case forms for the officer's working week (issue 14): move an outstanding action's due date
with the update given to the resident (6.6, 6.17), record an interval of updates agreed with
the resident and an update given (5.9)."""

from __future__ import annotations

from caseworker.rules.calendar import short_date
from caseworker.rules.facts import Refusal
from caseworker.screens.dialogs.case_form import CaseContext, CaseForm, Done
from caseworker.screens.dialogs.form import Choice, Field

HOW_CHOICES = (("Phone call", "phone"), ("Email", "email"), ("Letter", "letter"), ("Visit", "visit"),
               ("Text message", "text message"), ("In person", "in person"))


class MoveActionDueDialog(CaseForm):
    """Move an open action's due date: why, and what the resident was told (6.6, 6.17)."""

    SAVE_LABEL = "Move due date"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Move an outstanding action's due date on {ctx.reference}"
        self.INTRO = ("The resident must be kept informed of progress on outstanding actions (Code 6.6, 6.17): "
                      "say why the date moves and what they were told.")
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        if not any(not a.done for a in ctx.detail.actions):
            return Refusal("there are no open outstanding actions on this case: add one with o", "6.6", "action")
        return None

    def fields(self):
        choices = tuple(
            Choice(str(a.id), f"{a.description[:60]} — {a.owner}, due {short_date(a.due)}"
                              + (" (overdue)" if a.overdue else ""))
            for a in self.ctx.detail.actions if not a.done
        )
        return (
            Field("action", "Action", "pick", required=True, options=choices),
            Field("new_due", "New due date", "date", required=True),
            Field("reason", "Why the date moves", "textarea", required=True),
            Field("resident_update", "What the resident was told", "textarea", required=True),
            Field("how", "How they were told", "select", options=HOW_CHOICES, default="phone"),
            Field("told_on", "Date they were told", "date", default=self.ctx.today),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.move_action_due(store, login, int(v["action"]), v["new_due"], v["reason"], v["resident_update"],
                                  how=v["how"], told_on=v["told_on"])

    def result(self, outcome, v):
        return Done(f"Due date moved to {short_date(v['new_due'])}; the update to the resident is recorded.")
