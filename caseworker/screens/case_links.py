"""Forms the case screen opens that belong to other registers, carrying the case they came from:
the adjustments register's add forms and a service request start with the case's resident
chosen and name the case; the remedy calculator opens with the case's reference ready for the
offer. :class:`CaseLinks` is mixed into the case screen (keys A, D, X, S and M, in keys.py)."""

from __future__ import annotations

from typing import Any


class CaseLinks:
    """Actions of the case screen that open another register's form for this case's resident."""

    detail: Any  # the case screen's CaseDetail (None while loading)

    def _resident_choice(self):
        """The case's resident as the resident picker's starting choice, or None while loading."""
        from caseworker.screens.dialogs.fields import Choice

        if self.detail is None or self.workspace is None:
            self.notify("The case is still loading.", timeout=3)
            return None
        r = self.detail.resident
        where = r.address.replace("\n", ", ").strip()
        return Choice(str(r.id), r.name + (f" — {where}" if where else ""))

    def _push_linked(self, form_cls, done_message: str) -> None:
        resident = self._resident_choice()
        if resident is None:
            return
        reference = self.detail.header.reference

        def done(result) -> None:
            if result is not None:
                self.notify(f"{done_message} ({reference}).", timeout=5)  # type: ignore[attr-defined]
                self.load()  # type: ignore[attr-defined]

        self.app.push_screen(form_cls(resident, reference), done)  # type: ignore[attr-defined]

    def action_register_adjustment(self) -> None:
        from caseworker.screens.dialogs.register_forms import AdjustmentForm

        self._push_linked(AdjustmentForm, "Adjustment recorded for the resident")

    def action_register_disability(self) -> None:
        from caseworker.screens.dialogs.register_forms import DisabilityForm

        self._push_linked(DisabilityForm, "Disability recorded for the resident")

    def action_register_restriction(self) -> None:
        from caseworker.screens.dialogs.register_forms import RestrictionForm

        self._push_linked(RestrictionForm, "Restriction recorded for the resident")

    def action_new_service_request(self) -> None:
        from caseworker.screens.dialogs.service_requests import NewServiceRequestDialog

        self._push_linked(NewServiceRequestDialog, "Service request recorded for the resident")

    def action_remedy_calculator(self) -> None:
        """Open the remedy calculator with this case's reference ready for the offer it saves."""
        if self.detail is None:
            self.notify("The case is still loading.", timeout=3)  # type: ignore[attr-defined]
            return
        reference = self.detail.header.reference
        app = self.app  # type: ignore[attr-defined]

        def ready() -> None:
            from caseworker.screens.remedy_calculator import RemedyCalculator

            found = app.screen.query(RemedyCalculator)
            if found:
                found.first().set_case(reference)  # the guidance in force for the case, and the offer's case

        app.switch_mode("remedy")
        app.call_after_refresh(ready)


__all__ = ["CaseLinks"]
