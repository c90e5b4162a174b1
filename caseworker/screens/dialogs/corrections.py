"""Correct the record: a case's facts and the resident's or representative's details (5.12).

Every field starts with what is recorded; change what was wrong and say why. The old and
new values go on the timeline, due dates follow the corrected dates, issued letters stay
as they were sent.
"""

from __future__ import annotations

from textual.widgets import TextArea

from caseworker.rules import corrections as rules
from caseworker.rules.facts import Refusal
from caseworker.screens.dialogs.case_form import CaseContext, CaseForm, Done
from caseworker.screens.dialogs.form import Field
from caseworker.screens.dialogs.log_case import CASE_TYPES, CHANNELS

#: The form field kind of each person's detail (validated as typed; an address keeps its lines).
_KIND = {"address": "address", "email": "email", "phone": "phone"}
_CASE = ("service_area", "category", "channel", "case_type", "received", "logged", "issue_date")


class CorrectDialog(CaseForm):
    """Correct facts recorded wrongly on the case, or the resident's or representative's details."""

    SAVE_LABEL = "Correct"

    def __init__(self, ctx: CaseContext) -> None:
        self.FORM_TITLE = f"Correct the record of {ctx.reference}"
        self.INTRO = (
            "Change only what was recorded wrongly, and say why. The old and new values are kept in the "
            "timeline; due dates follow the corrected dates; letters already issued are not altered (5.12)."
        )
        super().__init__(ctx)

    def _current(self) -> dict:
        h, r, rep = self.ctx.detail.header, self.ctx.detail.resident, self.ctx.detail.representative
        out = {k: getattr(h, k) for k in _CASE}
        out["logged"] = h.logged or h.received
        out.update({f"resident_{k}": getattr(r, k) for k in rules.RESIDENT_FIELDS})
        if rep is not None:
            out.update({f"rep_{k}": getattr(rep, k) for k in rules.REPRESENTATIVE_FIELDS})
        return out

    def fields(self):
        cur = self._current()
        out = [
            Field("service_area", "Service area", "text", required=True, default=cur["service_area"]),
            Field("category", "Category", "text", default=cur["category"]),
            Field(
                "channel",
                "Channel",
                "select",
                required=True,
                options=self._channels(cur["channel"]),
                default=cur["channel"],
            ),
            Field("case_type", "Type", "select", required=True, options=CASE_TYPES, default=cur["case_type"]),
            Field(
                "received",
                "Received",
                "date",
                required=True,
                default=cur["received"],
                help="When the resident first complained to anyone at the landlord (3.2): every clock runs from it.",
            ),
            Field("logged", "Logged", "date", default=cur["logged"]),
            Field("issue_date", "Issue arose", "date", default=cur["issue_date"]),
            *(
                Field(
                    f"resident_{k}",
                    f"Resident's {label}",
                    _KIND.get(k, "text"),
                    required=k == "name",
                    default=cur[f"resident_{k}"],
                )
                for k, label in rules.RESIDENT_FIELDS.items()
            ),
        ]
        if self.ctx.detail.representative is not None:
            out += [
                Field(
                    f"rep_{k}",
                    f"Representative's {label}",
                    _KIND.get(k, "text"),
                    required=k == "name",
                    default=cur[f"rep_{k}"],
                )
                for k, label in rules.REPRESENTATIVE_FIELDS.items()
            ]
        out.append(Field("reason", "Why it is corrected", "textarea", required=True))
        return tuple(out)

    @staticmethod
    def _channels(current: str) -> tuple[tuple[str, str], ...]:
        """The channels the log form offers, and the one recorded if it is none of them (an import's)."""
        if current and current not in {value for _, value in CHANNELS}:
            return (*CHANNELS, (f"{current} (as recorded)", current))
        return CHANNELS

    def _changes(self, v) -> tuple[dict, dict, dict]:
        cur = self._current()
        norm = lambda x: x.strip() if isinstance(x, str) else x  # noqa: E731
        case = {k: norm(v.get(k)) if k not in ("category",) else (v.get(k) or "").strip() for k in _CASE}
        # "Logged" shows the date received when none apart was recorded; the same date means none apart.
        if case["logged"] is not None and case["logged"] == case["received"]:
            case["logged"] = None
        recorded = {**cur, "logged": self.ctx.detail.header.logged}
        case = {k: val for k, val in case.items() if val != recorded[k]}
        resident = {k: (v.get(f"resident_{k}") or "").strip() for k in rules.RESIDENT_FIELDS}
        resident = {k: val for k, val in resident.items() if val != (cur[f"resident_{k}"] or "")}
        rep = {}
        if self.ctx.detail.representative is not None:
            rep = {k: (v.get(f"rep_{k}") or "").strip() for k in rules.REPRESENTATIVE_FIELDS}
            rep = {k: val for k, val in rep.items() if val != (cur[f"rep_{k}"] or "")}
        return case, resident, rep

    def validate(self, v):
        case, resident, rep = self._changes(v)
        if not (case or resident or rep):
            return Refusal("nothing to correct: change the value that was recorded wrongly", "5.12", "service_area")
        if case:
            return rules.check_case_correction(
                self.ctx.facts, self._current(), case, v.get("reason") or "", self.ctx.today
            )
        return rules.check_reason(v.get("reason") or "")

    def describe(self, v):
        case, resident, rep = self._changes(v)
        parts = (
            [rules.CASE_FIELDS[k] for k in case]
            + [f"resident's {k}" for k in resident]
            + [f"representative's {k}" for k in rep]
        )
        return f"Will correct: {', '.join(parts)}." if parts else "Nothing changed yet."

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        case, resident, rep = self._changes(v)
        people = []
        if resident:
            r = self.ctx.detail.resident
            people.append(sv.PersonCorrection(resident, r.version, resident_id=r.id))
        if rep:
            p = self.ctx.detail.representative
            people.append(sv.PersonCorrection(rep, p.version, representative_id=p.id))
        # one transaction: a refusal of any part (the resident changed meanwhile) stores none of it
        return sv.correct_record(store, login, self.ctx.case_id, self.ctx.version, v.get("reason") or "", case, people)

    def _reread(self, detail) -> None:
        """Someone changed the case or the person meanwhile: a detail of the resident or
        representative that the officer left as it was shown takes the value stored now, so
        saving again corrects only what this officer changed (never undoing the other's)."""
        if detail is None:
            return
        shown, typed = self._current(), self.raw_values()
        super()._reread(detail)
        now = self._current()
        for name, was in shown.items():
            if not name.startswith(("resident_", "rep_")) or name not in now or typed.get(name) != (was or ""):
                continue
            widget = self.query_one(f"#f-{name}")
            value = now[name] or ""
            if isinstance(widget, TextArea):
                widget.load_text(value)
            else:
                widget.value = value  # type: ignore[attr-defined]  # an Input of the form's
        self.refresh_form()

    def result(self, outcome, v):
        return Done(f"{outcome} value(s) corrected on {self.ctx.reference}; the timeline keeps the old and new values.")
