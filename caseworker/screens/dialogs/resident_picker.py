"""The resident picker every form that needs a resident shares (logging a case, recording a
service request, the adjustments register): a search box (part of a name, address, email,
phone or a case reference), a list of matches to choose from, and "+ A new resident" with the
fields to add one.

:class:`ResidentPicker` is a mixin for a :class:`~caseworker.screens.dialogs.form.FormDialog`:
put it first in the bases, add :meth:`ResidentPicker.resident_fields` to the form's fields and
call :meth:`ResidentPicker.resident_id` in ``perform`` (it adds the new resident once, so a
retry after a refusal does not add them twice).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList

from caseworker.screens.dialogs.fields import Choice, Field

NEW = "new"
NEW_CHOICE = Choice(NEW, "+ A new resident: enter their details below")
#: How long typing must pause before the search runs (seconds): one query per pause, not per key.
SEARCH_PAUSE = 0.2


def is_new(values: dict[str, Any]) -> bool:
    """True when the form's resident is a new one (its details are typed below)."""
    return values.get("resident") == NEW


class ResidentPicker:
    """Find a resident or add a new one, inside a FormDialog (see the module docstring).

    ``initial`` is a resident already known (the register row highlighted, the case the form
    was opened from): it starts chosen, and stays in the list whatever is searched.
    """

    initial_resident: Choice | None = None
    _picker_seq = 0
    _picker_matches: dict[str, Any]
    _created_resident: int | None = None

    def resident_fields(self, *, contacts: bool = True, required: bool = True) -> tuple[Field, ...]:
        """The search box, the list, and the new resident's name, address (every pasted line
        kept) and, with ``contacts``, email and phone (validated)."""
        initial = self.initial_resident
        fields = [
            Field(
                "search",
                "Find resident",
                "text",
                placeholder="name, address, email, phone or case reference",
                help="Matches appear below; ↑/↓ in the list to choose.",
            ),
            Field(
                "resident",
                "Resident",
                "pick",
                required=required,
                options=(NEW_CHOICE,) + ((initial,) if initial else ()),
                default=initial.value if initial else None,
            ),
            Field("name", "Name", "text", required=True, show_if=is_new),
            Field("address", "Address", "address", show_if=is_new, help="Every line is kept (paste a whole address)."),
        ]
        if contacts:
            fields += [
                Field("email", "Email", "email", show_if=is_new, placeholder="e.g. jo.smith@example.org.uk"),
                Field("phone", "Phone", "phone", show_if=is_new, placeholder="e.g. 01632 960123"),
            ]
        return tuple(fields)

    def _focus_first(self) -> None:
        """Open with the cursor in the search box."""
        self.query_one("#f-search").focus()  # type: ignore[attr-defined]

    # -- searching (the query runs in a worker; a newer search wins) ---------------------------------

    def on_mount(self) -> None:
        self._picker_matches = {}
        self.call_after_refresh(self._search_residents, "")  # type: ignore[attr-defined]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "f-search":
            self._picker_seq += 1
            seq, text = self._picker_seq, event.value.strip()
            self.set_timer(  # type: ignore[attr-defined]
                SEARCH_PAUSE, lambda: self._search_residents(text) if seq == self._picker_seq else None
            )

    def _search_residents(self, text: str) -> None:
        ws = self.workspace  # type: ignore[attr-defined]
        if ws is None:
            return
        from caseworker.store.queries.people import find_residents

        seq = self._picker_seq
        self.run_db(  # type: ignore[attr-defined]
            find_residents,
            ws.store,
            text,
            20,
            done=lambda found: self._residents_found(found, text, seq),
            group="resident-search",
        )

    def _residents_found(self, found: list, text: str, seq: int) -> None:
        if seq != self._picker_seq or not self.is_attached:  # type: ignore[attr-defined]
            return
        self._picker_matches = {str(r.id): r for r in found}
        initial = self.initial_resident
        choices = [NEW_CHOICE]
        if initial is not None and initial.value not in self._picker_matches:
            choices.append(initial)
        choices += [Choice(str(r.id), r.label) for r in found]
        self.set_choices("resident", choices)  # type: ignore[attr-defined]
        options = self.query_one("#f-resident", OptionList)  # type: ignore[attr-defined]
        if text and found:  # the officer searched: offer the best match, clearly named
            options.highlighted = next(i for i, c in enumerate(choices) if c.value == str(found[0].id))
        elif initial is not None:
            options.highlighted = next(i for i, c in enumerate(choices) if c.value == initial.value)
        self.refresh_form()  # type: ignore[attr-defined]

    # -- what was chosen ---------------------------------------------------------------------------

    def resident_label(self, values: dict[str, Any]) -> str:
        """The chosen resident in words ("a new resident" for one being added), or ""."""
        chosen: Any = values.get("resident")
        if chosen == NEW:
            return "a new resident (details below)"
        if chosen in getattr(self, "_picker_matches", {}):
            return self._picker_matches[chosen].label
        if self.initial_resident is not None and chosen == self.initial_resident.value:
            return self.initial_resident.label
        return ""

    def resident_id(self, store: Any, login: str, values: dict[str, Any]) -> int:
        """In the save worker: the chosen resident's id, adding the new resident (once) first."""
        if values.get("resident") != NEW:
            return int(values["resident"])
        if self._created_resident is None:
            from caseworker.store import services as sv

            self._created_resident = sv.add_resident(
                store,
                login,
                values["name"],
                address=values.get("address") or "",
                email=values.get("email") or "",
                phone=values.get("phone") or "",
            )
        return self._created_resident


__all__ = ["NEW", "NEW_CHOICE", "ResidentPicker", "is_new"]
