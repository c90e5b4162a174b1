"""The adjustments register's forms (5.10, 5.14, 5.15): record a disclosed disability, an agreed
reasonable adjustment or a contact restriction for ANY resident (found with the resident
picker, or added there and then), and review an adjustment or restriction.

Each form checks as the officer types with the registers' own guards (``rules.registers``)
and the service checks again when saving. Opened from a case (or a register row), the form
starts with that resident chosen and names the case it came from.
"""

from __future__ import annotations

from typing import Any

from caseworker.rules import registers
from caseworker.rules.facts import Refusal
from caseworker.screens.dialogs.form import Choice, Field, FormDialog
from caseworker.screens.dialogs.resident_picker import ResidentPicker

ADJUSTMENT_KINDS = (
    "Large print",
    "Easy read",
    "Interpreter",
    "British Sign Language (BSL) interpreter",
    "Braille",
    "Audio",
    "Preferred channel: phone",
    "Preferred channel: email",
    "Preferred channel: letter",
    "Advocate present",
    "Extra time to respond",
    "Home visit",
    "Named contact",
    "Text relay",
)


class RegisterForm(ResidentPicker, FormDialog[Any]):
    """What the three add forms share: the resident picker, the case it came from, a save that
    adds the new resident (once) and then the register entry.

    Args:
        resident: the resident to start with (a register row's, or a case's), or None to search.
        reference: the case the form was opened from ("" when none), named in the form.
    """

    WHAT = ""  # the intro's Code sentence

    def __init__(self, resident: Choice | None = None, reference: str = "") -> None:
        self.initial_resident = resident
        self.reference = reference
        self.INTRO = (f"From case {reference}. " if reference else "") + self.WHAT
        super().__init__()

    def fields(self):
        return (*self.resident_fields(contacts=False), *self.entry_fields())

    def entry_fields(self) -> tuple[Field, ...]:
        """The register entry's own fields (override)."""
        return ()

    def today(self):
        ws = self.workspace
        return ws.store.today() if ws is not None else None

    def describe(self, v: dict[str, Any]) -> str | None:
        chosen = self.resident_label(v)
        return f"For {chosen}." if chosen else None

    def perform(self, store, login, v):
        return self.add(store, login, self.resident_id(store, login, v), v)

    def add(self, store, login: str, resident_id: int, v: dict[str, Any]) -> Any:
        """The service call for the entry (override; runs in the save worker)."""
        raise NotImplementedError


class AdjustmentForm(RegisterForm):
    """Record a reasonable adjustment agreed with a resident (5.10)."""

    FORM_TITLE = "Record a reasonable adjustment"
    WHAT = "Adjustments are agreed with the resident and kept under active review (5.10)."

    def entry_fields(self):
        return (
            Field(
                "kind",
                "Adjustment",
                required=True,
                placeholder="e.g. Large print (→ completes)",
                suggestions=ADJUSTMENT_KINDS,
            ),
            Field("details", "Details", placeholder="what exactly was agreed (optional)"),
            Field("review_date", "Review date", "date", required=True),
        )

    def validate(self, v) -> Refusal | None:
        return registers.check_adjustment(v["kind"], v["review_date"], self.today())

    def add(self, store, login, resident_id, v):
        from caseworker.store import services as sv

        return sv.add_adjustment(store, login, resident_id, v["kind"], v["review_date"], details=v["details"])


class DisabilityForm(RegisterForm):
    """Record a disability the resident disclosed (5.10)."""

    FORM_TITLE = "Record a disclosed disability"
    WHAT = "Record what the resident disclosed; agree adjustments with them (5.10)."

    def entry_fields(self):
        return (
            Field("description", "Disability", required=True, placeholder="as the resident described it"),
            Field("disclosed_on", "Disclosed on", "date", required=True, default=self.today()),
        )

    def validate(self, v) -> Refusal | None:
        return registers.check_disability(v["description"], v["disclosed_on"], self.today())

    def add(self, store, login, resident_id, v):
        from caseworker.store import services as sv

        return sv.record_disability(store, login, resident_id, v["description"], v["disclosed_on"])


class RestrictionForm(RegisterForm):
    """Record a contact restriction: proportionate, evidenced, authorised, reviewed (5.14, 5.15)."""

    FORM_TITLE = "Record a contact restriction"
    WHAT = (
        "Restrictions must be proportionate, evidenced, authorised and reviewed; the resident can still "
        "complain (5.14, 5.15)."
    )

    def entry_fields(self):
        return (
            Field(
                "restriction",
                "Restriction",
                required=True,
                placeholder="e.g. contact by email only, to a single named officer",
            ),
            Field("evidence", "Evidence", required=True, placeholder="the behaviour and where it is recorded"),
            Field("authorised_by", "Authorised by", required=True, placeholder="name and role of who authorised it"),
            Field("review_date", "Review date", "date", required=True),
        )

    def validate(self, v) -> Refusal | None:
        return registers.check_restriction(
            v["restriction"], v["evidence"], v["authorised_by"], v["review_date"], self.today()
        )

    def add(self, store, login, resident_id, v):
        from caseworker.store import services as sv

        return sv.add_restriction(
            store, login, resident_id, v["restriction"], v["evidence"], v["authorised_by"], v["review_date"]
        )


def review_form(row: Any, store: Any, login: str, intro: str) -> FormDialog[Any]:
    """The review of a register row's adjustment or restriction: its outcome, keep or end, and
    the next review date (asked only when it is kept)."""

    def keep(v: dict[str, Any]) -> bool:
        return v.get("decision") != "end"

    def check(v: dict[str, Any]) -> Refusal | None:
        return registers.check_review(row.kind, v["outcome"], v["next_review"], not keep(v), store.today())

    def save(v: dict[str, Any]) -> Any:
        from caseworker.store import services as sv

        end = not keep(v)
        return sv.record_review(
            store,
            login,
            row.kind,
            row.item_id,
            v["outcome"],
            None if end else v["next_review"],
            end=end,
            version=row.version,
        )

    fields = [
        Field("outcome", "Outcome", required=True, placeholder="what was discussed and decided"),
        Field(
            "decision",
            "Decision",
            "select",
            required=True,
            options=(("Keep it (review again)", "keep"), ("End it", "end")),
            default="keep",
        ),
        Field("next_review", "Next review", "date", required=True, show_if=keep),
    ]
    title = f"Review {'an' if row.kind == 'adjustment' else 'a'} {row.kind}"
    return FormDialog(title, fields, intro=intro, check=check, save=save)


__all__ = ["ADJUSTMENT_KINDS", "AdjustmentForm", "DisabilityForm", "RegisterForm", "RestrictionForm", "review_form"]
