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

NEW = "new"
_NEW_CHOICE = Choice(NEW, "+ A new resident: enter their name and address below")


class NewServiceRequestDialog(FormDialog[Any]):
    """Record a service request: who asked, what for, which service, when, and who owns it (1.4)."""

    FORM_TITLE = "Record a service request"
    SAVE_LABEL = "Record request"
    INTRO = (
        "A service request is not a complaint, but it is recorded, monitored and reviewed (Code 1.4). "
        "Find the resident (type part of a name, address, email or phone) or add a new one."
    )

    def __init__(self) -> None:
        self._created_resident: int | None = None
        self._search_seq = 0
        super().__init__()

    def fields(self):
        new = lambda v: v.get("resident") == NEW  # noqa: E731
        ws = self.workspace
        return (
            Field(
                "search",
                "Find resident",
                "text",
                placeholder="name, address, email or phone",
                help="Matches appear below; ↑/↓ in the list to choose.",
            ),
            Field("resident", "Resident", "pick", required=True, options=(_NEW_CHOICE,)),
            Field("name", "Name", "text", required=True, show_if=new),
            Field("address", "Address", "textarea", show_if=new),
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

    def on_mount(self) -> None:
        super().on_mount()
        self._search("")

    def _focus_first(self) -> None:
        self.query_one("#f-search").focus()

    def on_input_changed(self, event) -> None:
        super().on_input_changed(event)
        if event.input.id == "f-search":
            self._search_seq += 1
            seq, text = self._search_seq, event.value.strip()
            self.set_timer(0.2, lambda: self._search(text) if seq == self._search_seq else None)

    def _search(self, text: str) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.people import find_residents

        seq = self._search_seq
        self.run_db(
            find_residents,
            ws.store,
            text,
            20,
            done=lambda found: self._found(found, text, seq),
            group="resident-search",
        )

    def _found(self, found: list, text: str, seq: int) -> None:
        if seq != self._search_seq:
            return
        self.set_choices("resident", [_NEW_CHOICE] + [Choice(str(r.id), r.label) for r in found])
        if text and found:
            from textual.widgets import OptionList

            self.query_one("#f-resident", OptionList).highlighted = 1
            self.refresh_form()

    def validate(self, v: dict) -> Refusal | None:
        ws = self.workspace
        if ws is not None and v.get("received") is not None and v["received"] > ws.store.today():
            return Refusal(f"the date received ({short_date(v['received'])}) is in the future", "1.4", "received")
        return None

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        if v["resident"] == NEW:
            if self._created_resident is None:
                self._created_resident = sv.add_resident(store, login, v["name"], address=v["address"] or "")
            resident_id = self._created_resident
        else:
            resident_id = int(v["resident"])
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

        sv.close_service_request(store, login, self.request.id, v["outcome"] or "", v["closed_on"])
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
