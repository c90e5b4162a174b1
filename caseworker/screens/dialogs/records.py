"""The case's record forms: a note or correspondence (5.12), an outstanding action and its
updates (6.6, 6.17), a remedy offered (7.3), and the choice of letter to preview. Like the
lifecycle forms, each validates with the rules' guards as the officer types."""

from __future__ import annotations

from caseworker.rules import registers
from caseworker.rules.calendar import short_date
from caseworker.rules.facts import Refusal, RemedyKind
from caseworker.screens.dialogs.case_form import CaseContext, CaseForm, Done
from caseworker.screens.dialogs.form import Choice, Field

CORRESPONDENCE_CHOICES = (
    ("Note (internal)", "note"),
    ("Letter", "letter"),
    ("Email", "email"),
    ("Phone call", "phone"),
    ("Visit", "visit"),
    ("Chaser from the resident", "chaser"),
    ("Escalation request repeated", "escalation-request"),
)
DIRECTION_CHOICES = (("Internal", "internal"), ("From the resident (in)", "in"), ("To the resident (out)", "out"))
REMEDY_CHOICES = (
    ("Apology", RemedyKind.APOLOGY.value),
    ("Explanation", RemedyKind.EXPLANATION.value),
    ("Action", RemedyKind.ACTION.value),
    ("Financial redress", RemedyKind.FINANCIAL.value),
)

#: Letter kinds, as the letters module names them, with what each is for.
LETTER_KINDS = (
    ("acknowledgement", "Acknowledgement", "the complaint definition, the officer, the response date"),
    ("extension", "Extension", "the reason, the new date and the Ombudsman's contact details"),
    ("response", "Response", "items a to g: decision, reasons, remedy, actions, how to escalate"),
    ("not-accepted", "Not accepted", "the ground, the reasons and the right to go to the Ombudsman"),
    ("escalation-refused", "Escalation refused", "the section 2 ground and the Ombudsman route"),
    ("action-update", "Outstanding-action update", "progress on the actions promised"),
    ("remedy-offer", "Remedy offer", "what will happen and by when"),
)


class NoteDialog(CaseForm):
    """Add a note, or record a letter, email, call or visit, to the case record (5.12)."""

    SAVE_LABEL = "Add"
    #: Opens on the text: most of what is added is an internal note dated today (the defaults);
    #: Shift+Tab goes back to the kind, direction and date for a call, letter or visit.
    FIRST_FOCUS = "body"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Add to the record of {ctx.reference}"
        self.INTRO = "Everything added here is kept in the case history, with who added it and when (Code 5.12)."
        super().__init__(ctx)

    def fields(self):
        return (
            Field("kind", "Kind", "select", required=True, options=CORRESPONDENCE_CHOICES, default="note"),
            Field("direction", "Direction", "select", required=True, options=DIRECTION_CHOICES, default="internal"),
            Field(
                "dated",
                "Dated",
                "date",
                default=self.ctx.today,
                aliases=("date",),
                help="When it was sent, made or received (a chaser last week is recorded with its own date).",
            ),
            Field("subject", "Subject", "text", help="Optional: a short heading for the timeline."),
            Field("body", "Text", "textarea", required=True, aliases=("text",)),
        )

    def validate(self, v):
        if v["kind"] == "note" and v["direction"] not in (None, "internal"):
            return Refusal("a note is internal: choose another kind for something sent or received", "", "direction")
        return None

    def describe(self, v):
        """Written up after the day it happened: say so as the timeline will, flagged where the Code cares."""
        from caseworker.rules.recording import late_record

        dated = v.get("dated")
        if not dated or not v.get("kind") or dated > self.ctx.today:
            return None
        late = late_record(v["kind"], v.get("direction") or "internal", dated, self.ctx.today, self.ctx.calendar)
        return f"Kept as {late.text()}." if late else None

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        dated = v.get("dated")
        return sv.add_correspondence(
            store,
            login,
            self.ctx.case_id,
            v["kind"],
            v["body"],
            direction=v["direction"],
            subject=v["subject"] or "",
            dated=None if dated == self.ctx.today else dated,
        )

    def result(self, outcome, v):
        label = {b: a for a, b in CORRESPONDENCE_CHOICES}[v["kind"]]
        return Done(f"{label.split(' (')[0]} added to {self.ctx.reference}.")


class ActionDialog(CaseForm):
    """Record an outstanding action, with an owner and a due date (6.6, 6.17)."""

    SAVE_LABEL = "Add action"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Outstanding action on {ctx.reference} (Stage {ctx.facts.stage})"
        self.INTRO = (
            "Actions promised in the response are tracked to completion, with updates to the resident "
            "(Code 6.6, 6.17). The case cannot be closed while one is open."
        )
        super().__init__(ctx)

    def fields(self):
        return (
            Field("description", "What will be done", "textarea", required=True),
            Field(
                "owner",
                "Owner",
                "text",
                required=True,
                default=self.ctx.actor.login,
                help="Who is responsible: an officer's login, a team or a contractor.",
            ),
            Field("due", "Due", "date", required=True),
        )

    def validate(self, v):
        return registers.check_action(v["description"] or "", v["owner"] or "", v["due"], self.ctx.today)

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.add_action(store, login, self.ctx.case_id, v["description"], v["owner"], v["due"])

    def result(self, outcome, v):
        return Done(f"Action added for {v['owner']}, due {short_date(v['due'])}.")


class OpenActionForm(CaseForm):
    """A form about one of the case's open outstanding actions, chosen from a list (6.6, 6.17).

    When a save is refused because the case changed meanwhile, the list is brought up to date:
    an action completed since stays highlighted, greyed out and saying so, so the form cannot
    say "Ready to save" about it (the service would refuse it: already complete).
    """

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        if not any(not a.done for a in ctx.detail.actions):
            return Refusal("there are no open outstanding actions on this case: add one with o", "6.6", "action")
        return None

    @staticmethod
    def action_choice(a, disabled_reason: str = "") -> Choice:
        """The list entry of action ``a`` (an ``ActionInfo``), greyed out with ``disabled_reason``."""
        label = f"{a.description[:60]} — {a.owner}, due {short_date(a.due)}" + (" (overdue)" if a.overdue else "")
        return Choice(str(a.id), label, disabled_reason)

    def action_field(self) -> Field:
        """The pick list of the case's open actions."""
        choices = tuple(self.action_choice(a) for a in self.ctx.detail.actions if not a.done)
        return Field("action", "Action", "pick", required=True, options=choices)

    def validate(self, v):
        """The action chosen must still be open on the case as last read (6.6)."""
        chosen = next((a for a in self.ctx.detail.actions if str(a.id) == v["action"]), None)
        if v["action"] is not None and (chosen is None or chosen.done):
            return Refusal("this action is already complete: choose another, or press Esc", "6.6", "action")
        return None

    def case_reread(self) -> None:
        """Offer the actions open now; the one chosen, if completed meanwhile, stays highlighted
        and greyed out, saying so, so the form cannot be saved against it."""
        from textual.widgets import OptionList

        from caseworker.screens.dialogs.form_widgets import pick_options

        options = self.query_one("#f-action", OptionList)
        option = options.highlighted_option
        chosen = option.id if option is not None else None
        choices: list[Choice] = []
        keep: int | None = None
        others = any(not a.done and str(a.id) != chosen for a in self.ctx.detail.actions)
        for a in self.ctx.detail.actions:
            if str(a.id) == chosen:
                keep = len(choices)
                when = f" ({short_date(a.completed_on)})" if a.completed_on else ""
                then = "choose another action" if others else "no other action is open: Esc closes this form"
                reason = f"it was completed{when} after this form opened; {then}" if a.done else ""
                choices.append(self.action_choice(a, reason))
            elif not a.done:
                choices.append(self.action_choice(a))
        self._choices["action"] = choices
        options.set_options(pick_options(choices))
        usable = [i for i, c in enumerate(choices) if not c.disabled_reason]
        options.highlighted = keep if keep is not None else (usable[0] if usable else None)


class UpdateActionDialog(OpenActionForm):
    """Record progress on an outstanding action, whether the resident was told, or that it is done."""

    SAVE_LABEL = "Record update"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Update an outstanding action on {ctx.reference}"
        super().__init__(ctx)

    def fields(self):
        return (
            self.action_field(),
            Field("text", "What has happened", "textarea", required=True),
            Field("resident_told", "The resident has been told", "checkbox"),
            Field("done", "The action is complete", "checkbox"),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        versions = {a.id: a.version for a in self.ctx.detail.actions}
        return sv.update_action(
            store,
            login,
            int(v["action"]),
            v["text"],
            resident_told=v["resident_told"],
            done=v["done"],
            version=versions.get(int(v["action"])),
        )

    def result(self, outcome, v):
        return Done("Action completed." if v["done"] else "Action update recorded.")


class RemedyDialog(CaseForm):
    """Record a remedy offered: what will happen and by when, and any amount (7.3)."""

    SAVE_LABEL = "Record remedy"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Remedy on {ctx.reference} (Stage {ctx.facts.stage})"
        self.INTRO = (
            "Say what will happen and by when (Code 7.3). For a financial remedy worked out from the "
            "guidance, close this and press M (or F5): the remedy calculator opens for this case and keeps the basis."
        )
        super().__init__(ctx)

    def fields(self):
        return (
            Field("kind", "Kind", "select", required=True, options=REMEDY_CHOICES),
            Field("description", "What will happen", "textarea", required=True, aliases=("what",)),
            Field("by_when", "By when", "date", required=True),
            Field(
                "offered_on",
                "Date of the offer",
                "date",
                required=True,
                default=self.ctx.today,
                help="Today, or the date it was offered (e.g. in a response already sent): a past date is a fact.",
            ),
            Field(
                "amount",
                "Amount (£)",
                "pounds",
                aliases=("amount_pence",),
                show_if=lambda v: v.get("kind") == RemedyKind.FINANCIAL.value,
                help="Pounds and pence, e.g. £250 or 1,234.50.",
            ),
            Field(
                "rationale", "Rationale", "textarea", help="Optional: why this remedy, for the record and the letter."
            ),
        )

    def validate(self, v):
        if v["kind"] is None:
            return None
        return registers.check_remedy_offer(
            RemedyKind(v["kind"]), v["description"] or "", v["by_when"], v["amount"], self.ctx.today, v["offered_on"]
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.offer_remedy(
            store,
            login,
            self.ctx.case_id,
            RemedyKind(v["kind"]),
            v["description"],
            v["by_when"],
            amount_pence=v["amount"],
            rationale=v["rationale"] or "",
            offered_on=v["offered_on"],
        )

    def result(self, outcome, v):
        from caseworker.rules.money import format_pounds

        money = f" of {format_pounds(v['amount'])}" if v["amount"] else ""
        kind = {b: a for a, b in REMEDY_CHOICES}[v["kind"]].lower()
        return Done(
            f"Remedy recorded: {kind}{money}, by {short_date(v['by_when'])}. Send the remedy-offer letter with l."
        )


def suggested_letter(ctx: CaseContext) -> str:
    """The letter most likely wanted next for the case's state."""
    status = ctx.detail.header.status
    if status in ("not-accepted", "escalation-refused"):
        return status
    if status == "responded":
        return "response"
    if status == "open" and ctx.facts.current.extensions:
        return "extension"
    return "acknowledgement"


class LetterKindDialog(CaseForm):
    """Choose which letter to preview (no save: dismissed with the kind)."""

    SAVES = False
    SAVE_LABEL = "Preview"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Letter for {ctx.reference}"
        self.INTRO = (
            "Choose the letter; the preview checks it has everything the Code requires before it can be issued."
        )
        super().__init__(ctx)

    def fields(self):
        return (
            Field(
                "kind",
                "Letter",
                "pick",
                required=True,
                default=suggested_letter(self.ctx),
                options=tuple(Choice(k, f"{label}: {what}") for k, label, what in LETTER_KINDS),
            ),
        )

    def result(self, outcome, v):
        return v["kind"]


__all__ = [
    "LETTER_KINDS",
    "ActionDialog",
    "LetterKindDialog",
    "NoteDialog",
    "OpenActionForm",
    "RemedyDialog",
    "UpdateActionDialog",
]


class RepresentativeDialog(CaseForm):
    """Correct the contact details of the representative (or the MP's or councillor's office).

    Letters by post go to this address; a letter by post is refused while it is empty. The
    change is audited with the details before and after (5.12).
    """

    SAVE_LABEL = "Save details"

    def __init__(self, ctx: CaseContext) -> None:
        rep = ctx.detail.representative
        member = ctx.detail.header.case_type in ("mp-enquiry", "councillor-enquiry")
        who = "the member's office" if member else "the representative"
        self.FORM_TITLE = f"Contact details of {rep.name if rep else who} ({ctx.reference})"
        self.INTRO = (
            f"Letters by post go to {who}'s address, by email to the email address. Changes are kept in the "
            "case history with the details before and after (Code 5.12)."
        )
        super().__init__(ctx)

    @classmethod
    def precheck(cls, ctx: CaseContext) -> Refusal | None:
        if ctx.detail.representative is None:
            return Refusal("no representative, MP or councillor is recorded on this case", "3.6", "status")
        return None

    def fields(self):
        rep = self.ctx.detail.representative
        return (
            Field(
                "address",
                "Postal address",
                "address",
                default=rep.address if rep else "",
                help="One line per address line (a pasted address keeps every line).",
            ),
            Field("email", "Email", "email", default=rep.email if rep else ""),
            Field("phone", "Phone", "phone", default=rep.phone if rep else ""),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        rep = self.ctx.detail.representative
        return sv.update_representative_contact(
            store,
            login,
            rep.id,
            rep.version,
            address=v["address"] or "",
            email=v["email"] or "",
            phone=v["phone"] or "",
            case_id=self.ctx.case_id,
        )

    def result(self, outcome, v):
        return Done(f"Contact details of {self.ctx.detail.representative.name} saved.")
