"""Forms of the service request register (1.4, 1.5): record a request (find the resident or add
one), close a request saying what was done, and raise a complaint from a request (the request
stays open). Each is dismissed with what it saved, or None."""

from __future__ import annotations

from typing import Any

from caseworker.rules import lifecycle as rules
from caseworker.rules.calendar import short_date
from caseworker.rules.facts import CaseType, Refusal
from caseworker.screens.dialogs.form import Choice, Field, FormDialog
from caseworker.screens.dialogs.log_case import CHANNELS
from caseworker.screens.dialogs.resident_picker import ResidentPicker


class NewServiceRequestDialog(ResidentPicker, FormDialog[Any]):
    """Record a service request: who asked, what for, which service, when, and who owns it (1.4)."""

    FORM_TITLE = "Record a service request"
    SAVE_LABEL = "Record request"
    INTRO = (
        "A service request is not a complaint, but it is recorded, monitored and reviewed (Code 1.4). "
        "Find the resident (type part of a name, address, email, phone or a case reference) or add a new one."
    )

    def __init__(self, resident: Choice | None = None, reference: str = "") -> None:
        """``resident`` starts chosen (the resident of the case it was opened from, ``reference``)."""
        self.initial_resident = resident
        self.reference = reference
        if reference:
            self.INTRO = f"From case {reference}. " + self.INTRO
        super().__init__()

    def fields(self):
        ws = self.workspace
        return (
            *self.resident_fields(contacts=False),
            Field("received", "Received on", "date", required=True, default=ws.store.today() if ws else None),
            Field("service_area", "Service area", "text", required=True, placeholder="e.g. Repairs"),
            Field("description", "What they asked for", "textarea", required=True),
            Field(
                "owner",
                "Owner (login)",
                "text",
                required=True,
                default=ws.login if ws else "",
                help="The officer who sees it through; you, unless you pass it on.",
            ),
        )

    def validate(self, v: dict) -> Refusal | None:
        ws = self.workspace
        if ws is not None and v.get("received") is not None and v["received"] > ws.store.today():
            return Refusal(f"the date received ({short_date(v['received'])}) is in the future", "1.4", "received")
        return None

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        resident_id = self.resident_id(store, login, v)
        return sv.add_service_request(
            store,
            login,
            resident_id,
            v["received"],
            v["service_area"] or "",
            v["description"] or "",
            owner=v["owner"] or login,
        )

    def result(self, outcome, v):
        self.app.notify("Service request recorded.", timeout=5)
        return outcome


class CloseServiceRequestDialog(FormDialog[Any]):
    """Close a service request, saying what was done (1.4)."""

    SAVE_LABEL = "Close request"

    def __init__(self, request) -> None:
        self.request = request
        self.FORM_TITLE = f"Close service request {request.reference}"
        self.INTRO = "Say what was done. Complaints raised from it are not affected."
        super().__init__()

    def fields(self):
        ws = self.workspace
        return (
            Field("outcome", "What was done", "textarea", required=True),
            Field("closed_on", "Closed on", "date", required=True, default=ws.store.today() if ws else None),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        sv.close_service_request(
            store, login, self.request.id, v["outcome"] or "", v["closed_on"], version=self.request.version
        )
        return self.request.reference

    def result(self, outcome, v):
        self.app.notify(f"{outcome} closed.", timeout=5)
        return outcome


class RaiseComplaintDialog(FormDialog[Any]):
    """Log a complaint from a service request: the request stays open (1.5)."""

    SAVE_LABEL = "Raise complaint"

    def __init__(self, request) -> None:
        self.request = request
        self.FORM_TITLE = f"Raise a complaint from {request.reference}"
        self.INTRO = (
            f"{request.resident} asked for: {' '.join(request.description.split())[:200]}\n"
            "The service request stays open while the complaint is handled (Code 1.5)."
        )
        super().__init__()

    def fields(self):
        ws = self.workspace
        return (
            Field("received", "Complaint received on", "date", required=True, default=ws.store.today() if ws else None),
            Field("channel", "How it came in", "select", required=True, options=CHANNELS, default="phone"),
            Field("service_area", "Service area", "text", required=True, default=self.request.service_area),
            Field("category", "Category", "text", placeholder="e.g. Damp and mould"),
            Field(
                "summary",
                "What they said",
                "textarea",
                required=True,
                help="The complaint in the resident's own words, or a faithful summary.",
            ),
        )

    def _new(self, v: dict) -> rules.NewCase:
        return rules.NewCase(
            CaseType.COMPLAINT,
            v["received"],
            v["channel"] or "",
            v["service_area"] or "",
            v["category"] or "",
            v["summary"] or "",
        )

    def validate(self, v: dict) -> Refusal | None:
        ws = self.workspace
        if ws is None or v.get("received") is None:
            return None
        return rules.check_log(self._new(v), ws.store.policy(), ws.store.today())

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        return sv.raise_complaint_from_request(store, login, self.request.id, self._new(v))

    def result(self, outcome, v):
        self.app.notify(
            f"{outcome.reference} raised from {self.request.reference}; the request stays open.",
            title="Complaint logged",
            timeout=8,
        )
        return outcome


__all__ = ["CloseServiceRequestDialog", "NewServiceRequestDialog", "RaiseComplaintDialog"]
