"""Log a complaint, MP enquiry or councillor enquiry (rule 2): find the resident or add a new
one, an optional representative with consent (3.6), what came in and when; an issue over 12
months old is flagged and the officer must accept it with discretion or not accept it (2.3).
Dismissed with the new case's :class:`~caseworker.store.services.CaseRef`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from caseworker.rules import lifecycle as rules
from caseworker.rules import typed
from caseworker.rules.calendar import short_date
from caseworker.rules.facts import (
    CaseFacts,
    CaseType,
    Ground,
    Refusal,
    StageFacts,
    Status,
)
from caseworker.screens.dialogs.form import Field, FormDialog
from caseworker.screens.dialogs.resident_picker import NEW, ResidentPicker

if TYPE_CHECKING:
    from datetime import date

    from caseworker.rules.calendar import WorkingCalendar
    from caseworker.rules.policy import Policy

CASE_TYPES = (
    ("Complaint", CaseType.COMPLAINT.value),
    ("MP enquiry", CaseType.MP_ENQUIRY.value),
    ("Councillor enquiry", CaseType.COUNCILLOR_ENQUIRY.value),
)
#: (label, stored value) of each channel, from the one list the command line checks too.
CHANNELS = tuple((label, value) for value, label in typed.CHANNELS)


class LogCaseDialog(ResidentPicker, FormDialog[Any]):
    """Log a new case at Stage 1, awaiting acknowledgement."""

    FORM_TITLE = "Log a complaint or enquiry"
    SAVE_LABEL = "Log case"
    INTRO = (
        "Find the resident (type part of a name, address, email, phone or a case reference) or add a new one. Fields marked * are "
        "needed. A representative may act only with the resident's consent recorded (Code 3.6)."
    )

    def __init__(self) -> None:
        self._policy: Policy | None = None
        self._calendar: WorkingCalendar | None = None
        self._today: date | None = None
        self._created_rep: tuple[int, str] | None = None
        super().__init__()

    # -- context (policy, calendar, today: cached in the store, no query) ---------------------------

    def _ctx(self) -> bool:
        if self._policy is not None:
            return True
        ws = self.workspace
        if ws is None:
            return False
        self._policy, self._calendar, self._today = ws.store.policy(), ws.store.calendar, ws.store.today()
        return True

    def _out_of_time(self, v: dict) -> bool:
        if not self._ctx() or v.get("received") is None or v.get("issue_date") is None:
            return False
        assert self._policy is not None and self._calendar is not None and self._today is not None  # _ctx() set them
        return rules.is_out_of_time(v["received"], v["issue_date"], self._policy)

    # -- the form ------------------------------------------------------------------------------

    def fields(self):
        def has_rep(v):
            return bool(v.get("rep_name"))

        return (
            Field("case_type", "Type", "select", required=True, options=CASE_TYPES, default=CaseType.COMPLAINT.value),
            *self.resident_fields(),
            Field("rep_name", "Representative", "text", help="Optional: someone acting for the resident."),
            Field("rep_relationship", "Relationship", "text", show_if=has_rep, placeholder="e.g. son, advocate, MP"),
            Field(
                "rep_address",
                "Their address",
                "address",
                show_if=has_rep,
                placeholder="an MP's or councillor's office address; letters by post go here",
            ),
            Field("rep_email", "Their email", "email", show_if=has_rep),
            Field("rep_phone", "Their phone", "phone", show_if=has_rep),
            Field(
                "rep_consent",
                "The resident's consent is recorded (3.6)",
                "checkbox",
                show_if=has_rep,
                aliases=("consent_recorded",),
            ),
            Field("rep_consent_date", "Consent given on", "date", show_if=has_rep),
            Field("received", "Received on", "date", required=True, default=self._today if self._ctx() else None),
            Field("channel", "How it came in", "select", required=True, options=CHANNELS),
            Field("service_area", "Service area", "text", required=True, placeholder="e.g. Repairs"),
            Field("category", "Category", "text", placeholder="e.g. Damp and mould"),
            Field(
                "summary",
                "What they said",
                "textarea",
                required=True,
                help="The complaint in the resident's own words, or a faithful summary.",
            ),
            Field(
                "issue_date",
                "Issue arose on",
                "date",
                help="Or when the resident became aware of it. Optional; over 12 months before receipt needs a "
                "decision (2.3).",
            ),
            Field(
                "out_of_time",
                "Over 12 months: decide",
                "select",
                show_if=self._out_of_time,
                options=(
                    ("Accept it with discretion (give the reason)", "accept"),
                    ("Do not accept it: record it as not accepted (2.2 a)", "not-accept"),
                ),
            ),
            Field(
                "discretion_reason",
                "Why accept it anyway",
                "textarea",
                show_if=lambda v: self._out_of_time(v) and v.get("out_of_time") == "accept",
            ),
            Field(
                "not_accept_reasons",
                "Reasons for not accepting",
                "textarea",
                show_if=lambda v: self._out_of_time(v) and v.get("out_of_time") == "not-accept",
                help="Written reasons, considered case by case; the letter gives the Ombudsman route.",
                aliases=("reasons",),
            ),
        )

    # -- validation ---------------------------------------------------------------------------------

    def _new_case(self, v: dict) -> rules.NewCase:
        accept = v.get("out_of_time") == "accept"
        return rules.NewCase(
            case_type=CaseType(v["case_type"] or CaseType.COMPLAINT.value),
            received=v["received"],
            channel=v["channel"] or "",
            service_area=v["service_area"] or "",
            category=v["category"] or "",
            summary=v["summary"] or "",
            issue_date=v["issue_date"],
            representative=v["rep_name"] or "",
            consent_recorded=bool(v["rep_consent"]),
            discretion_reason=(v["discretion_reason"] or "") if accept else "",
        )

    def validate(self, v: dict) -> Refusal | None:
        if not self._ctx():
            return Refusal("the database is still opening", "")
        assert self._policy is not None and self._calendar is not None and self._today is not None  # _ctx() set them
        if v["resident"] == NEW and not v["name"]:
            return Refusal("the new resident's name is required (or choose a resident from the list)", "5.12", "name")
        if v["rep_name"] and (not v["rep_consent"] or v["rep_consent_date"] is None):
            field = "rep_consent" if not v["rep_consent"] else "rep_consent_date"
            return Refusal(
                "record the resident's consent, and the date it was given, before a representative acts for them",
                "3.6",
                field,
            )
        if v["rep_consent_date"] is not None and v["rep_consent_date"] > self._today:
            return Refusal(
                f"the consent date ({short_date(v['rep_consent_date'])}) is in the future", "3.6", "rep_consent_date"
            )
        out_of_time = self._out_of_time(v)
        if out_of_time and v["out_of_time"] is None:
            return Refusal(
                f"the issue arose over {self._policy.age_limit_months} months before the complaint was "
                "received: accept it with discretion (record the reason) or do not accept it",
                self._policy.age_limit_code_ref,
                "out_of_time",
            )
        declining = out_of_time and v["out_of_time"] == "not-accept"
        refusal = rules.check_log(self._new_case(v), self._policy, self._today, declining=declining)
        if refusal is None and declining and not v["not_accept_reasons"]:
            refusal = Refusal(
                "written reasons for not accepting, considered case by case, are required", "2.1", "not_accept_reasons"
            )
        return refusal

    def describe(self, v: dict):
        if not self._ctx():
            return None
        assert self._policy is not None and self._calendar is not None and self._today is not None  # _ctx() set them
        lines = []
        if chosen := self.resident_label(v):
            lines.append(f"Resident: {chosen}.")
        if v.get("received") is not None:
            facts = CaseFacts(
                case_type=CaseType(v.get("case_type") or "complaint"),
                received=v["received"],
                status=Status.AWAITING_ACK,
                stage1=StageFacts(1, v["received"]),
            )
            due = rules.acknowledgement_deadline(facts, facts.stage1, self._policy, self._calendar)
            lines.append(f"Acknowledgement due {short_date(due.due)} (Code {due.code_ref}).")
        if self._out_of_time(v):
            lines.append(
                f"⚠ The issue arose over {self._policy.age_limit_months} months before receipt "
                f"(Code {self._policy.age_limit_code_ref}): decide below."
            )
        return "\n".join(lines) or None

    def result(self, outcome, v):
        declined = self._out_of_time(v) and v["out_of_time"] == "not-accept"
        self.app.notify(
            f"{outcome.reference} logged and recorded as not accepted (over 12 months). Send the not-accepted letter "
            "with l: it gives the right to go to the Ombudsman."
            if declined
            else f"{outcome.reference} logged.",
            title="Case logged",
            timeout=8,
        )
        return outcome

    # -- saving (in a worker) ---------------------------------------------------------------------------

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        not_accept = self._out_of_time(v) and v["out_of_time"] == "not-accept"
        resident_id = self.resident_id(store, login, v)
        rep_id = None
        if v["rep_name"]:
            if self._created_rep is None or self._created_rep[1] != f"{resident_id}:{v['rep_name']}":
                rep = sv.add_representative(
                    store,
                    login,
                    resident_id,
                    v["rep_name"],
                    relationship=v["rep_relationship"] or "",
                    consent_recorded=v["rep_consent"],
                    consent_date=v["rep_consent_date"],
                    address=v["rep_address"] or "",
                    email=v["rep_email"] or "",
                    phone=v["rep_phone"] or "",
                )
                self._created_rep = (rep, f"{resident_id}:{v['rep_name']}")
            rep_id = self._created_rep[0]
        declined = (Ground.OVER_TWELVE_MONTHS, v["not_accept_reasons"]) if not_accept else None
        return sv.log_case(
            store, login, resident_id, self._new_case(v), representative_id=rep_id, not_accepted=declined
        )


__all__ = ["LogCaseDialog"]
