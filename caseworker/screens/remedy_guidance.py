"""The calculator's first part: the case the remedy is for and the guidance set to work it
out under (Code 7.4). A case reference typed here is looked up in a worker; the guidance in
force for it is named with the date that decides it, and another set is allowed but marked:
saving then asks why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Select, Static

from caseworker import inert
from caseworker.rules.guidance_sets import Guidance, guidance_keys, load_guidance
from caseworker.rules.remedy_calculator import RemedyError, guidance_for
from caseworker.screens.base import WorkerMixin

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.remedies import CaseGuidance


def _guidance_label(g: Guidance) -> str:
    if g.effective_from and g.effective_to:
        when = f"{g.effective_from:%d %b %Y} to {g.effective_to:%d %b %Y}"
    elif g.effective_from:
        when = f"from {g.effective_from:%d %b %Y}"
    elif g.effective_to:
        when = f"up to {g.effective_to:%d %b %Y}"
    else:
        when = "any date"
    return f"{g.name} ({when})"


class GuidanceChoice(WorkerMixin, Vertical):
    """The case field, the guidance set, and a note saying whether it is the one in force.

    Attributes:
        case: The case typed and its guidance in force, once found; else None.
    """

    class Chosen(Message):
        """The officer chose a guidance set (or it was chosen for the case)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class CaseFound(Message):
        """The case typed was found: ``case.in_force`` is its guidance in force."""

        def __init__(self, case: CaseGuidance) -> None:
            super().__init__()
            self.case = case

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case: CaseGuidance | None = None

    def compose(self) -> ComposeResult:
        yield Static("Case", classes="label")
        yield Input(placeholder="reference: chooses the guidance in force for it", id="case")
        yield Static("", id="case-note", classes="note", markup=False)
        yield Static("Guidance", classes="label")
        yield Select(
            [(inert.cell(_guidance_label(load_guidance(k))), k) for k in guidance_keys()],
            allow_blank=False,
            id="guidance",
        )
        yield Static("", id="guidance-note", markup=False)
        yield Static("", id="guidance-source", classes="note", markup=False)

    def on_mount(self) -> None:
        try:
            key = guidance_for(self.app.clock.today()).key  # type: ignore[attr-defined]
        except RemedyError:
            key = guidance_keys()[0]
        self.query_one("#guidance", Select).value = key
        self._note()

    @property
    def key(self) -> str:
        """The guidance set chosen."""
        return str(self.query_one("#guidance", Select).value)

    def choose(self, key: str) -> None:
        """Choose the guidance set ``key`` (as if the officer had)."""
        self.query_one("#guidance", Select).value = key

    def set_case(self, reference: str) -> None:
        """Type ``reference`` into the case field and look it up."""
        self.query_one("#case", Input).value = reference

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "guidance":
            return
        event.stop()
        if event.value is not Select.NULL:
            self._note()
            self.post_message(self.Chosen(str(event.value)))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "case":
            return
        event.stop()
        self._look_up(event.value)

    def _look_up(self, reference: str) -> None:
        ws = self.workspace
        ref = reference.strip()
        if ws is None or not ref:
            self.case = None
            self.query_one("#case-note", Static).update("")
            self._note()
            return
        from caseworker.store.queries.remedies import guidance_for_case

        def found(result: CaseGuidance | None) -> None:
            if self.query_one("#case", Input).value.strip() != ref:
                return  # typed on since
            self.case = result
            note = self.query_one("#case-note", Static)
            note.update("" if result else inert.text(f"There is no case {ref}: check the reference."))
            self._note()
            if result is not None:
                self.post_message(self.CaseFound(result))

        def failed(exc: Exception) -> None:
            self.case = None
            self.query_one("#case-note", Static).update(inert.text(f"{ref}: {exc}"))
            self._note()

        self.run_db(guidance_for_case, ws.store, ref, done=found, failed=failed, group="case-guidance")

    def _note(self) -> None:
        """Say whether the guidance chosen is the one in force for the case (or today), and its source."""
        g = load_guidance(self.key)
        case = self.case
        if case is not None:
            in_force = case.in_force
            if in_force.guidance.key == g.key:
                note = f"The guidance for {case.reference}: {in_force.because}."
            else:
                note = (
                    f"Not the guidance in force for {case.reference} (the {in_force.guidance.name} is, "
                    f"{in_force.because}): saving asks why (7.4)."
                )
        else:
            today = self.app.clock.today()  # type: ignore[attr-defined]
            note = "" if g.applies_on(today) else f"Not the guidance in force on {today:%d %b %Y}."
        box = self.query_one("#guidance-note", Static)
        box.update(inert.text(note))
        box.display = bool(note)
        self.query_one("#guidance-source", Static).update(inert.text(f"Source: {g.source}"))
