"""A case's documents (5.12): the files stored on the record with their type, size, SHA-256, who
and when; attach a file (a), open one with the system's viewer (o / Enter), save a copy (s),
withdraw a wrong one with a reason (w). Nothing is ever deleted or changed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from caseworker import keys
from caseworker.clock import local
from caseworker.rules.facts import Refusal
from caseworker.screens.base import WorkerMixin
from caseworker.screens.dialogs.form import Field, FormDialog
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

#: Whether a document stands comes right after its name, so a narrow terminal still shows it.
COLUMNS = (("Name", 30), ("State", 13), ("Size", 10), ("Attached", 17), ("By", 11), ("Type", 18), ("SHA-256", 14))


def _size(n: int) -> str:
    return f"{n:,} B" if n < 1024 else f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:,.1f} MB"


class AttachDocumentDialog(FormDialog[Any]):
    """Attach a file from this computer to the case record."""

    SAVE_LABEL = "Attach"

    def __init__(self, case_id: int, reference: str, limit_mb: float) -> None:
        self.case_id = case_id
        self.FORM_TITLE = f"Attach a document to {reference}"
        self.INTRO = (
            f"The file is stored inside the database, as it is, with its SHA-256 (Code 5.12); up to "
            f"{limit_mb:g} MB per file. It is never changed afterwards: a wrong one is withdrawn."
        )
        super().__init__()

    def fields(self):
        return (
            Field(
                "path",
                "File",
                "text",
                required=True,
                placeholder="e.g. C:\\Users\\me\\Downloads\\survey.pdf",
                help="The full path of the file (paste it, or type it).",
            ),
            Field("description", "What it is", "text", placeholder="e.g. contractor's report, photo of the wall"),
        )

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        path = (v["path"] or "").strip().strip('"').strip("'")
        return sv.attach_file(store, login, self.case_id, path, description=v["description"] or "")

    def result(self, outcome, v):
        return outcome


class WithdrawDocumentDialog(FormDialog[Any]):
    """Withdraw a wrongly attached document with a reason (it stays stored, marked withdrawn)."""

    SAVE_LABEL = "Withdraw"

    def __init__(self, document) -> None:
        self.document = document
        self.FORM_TITLE = f"Withdraw {document.name}"
        self.INTRO = "The document stays stored and listed as withdrawn, with your reason (Code 5.12)."
        super().__init__()

    def fields(self):
        return (Field("reason", "Why", "textarea", required=True),)

    def perform(self, store, login, v):
        from caseworker.store import services as sv

        sv.withdraw_document(store, login, self.document.id, v["reason"] or "")
        return self.document.name

    def result(self, outcome, v):
        return outcome


class SaveCopyDialog(FormDialog[Any]):
    """Save a copy of a stored document to a folder or file on this computer."""

    SAVE_LABEL = "Save copy"

    def __init__(self, document) -> None:
        self.document = document
        self.FORM_TITLE = f"Save a copy of {document.name}"
        self.INTRO = "Nothing is overwritten: an existing file of that name is refused."
        super().__init__()

    def fields(self):
        from pathlib import Path

        return (
            Field(
                "destination",
                "Save to",
                "text",
                required=True,
                default=str(Path.home()),
                help="A folder (the file keeps its name) or a full file name.",
            ),
        )

    def validate(self, v: dict) -> Refusal | None:
        return None

    def perform(self, store, login, v):
        from caseworker.desktop import DesktopError, save_copy
        from caseworker.store.queries.documents import document_content
        from caseworker.store.services import DomainError

        try:
            return save_copy(self.document.name, document_content(store, self.document.id), v["destination"] or "")
        except DesktopError as exc:
            raise DomainError(str(exc), "", "destination") from None

    def result(self, outcome, v):
        return outcome


class DocumentsScreen(WorkerMixin, ModalScreen[None]):
    """The documents of one case."""

    TITLE = "Documents"
    HELP_SCOPE = "documents"
    HELP = (
        "The documents stored on this case (Code 5.12). a attaches a file, o or Enter opens the highlighted "
        "one with your system's viewer, s saves a copy, w withdraws a wrong one with a reason. Esc goes back."
    )
    BINDINGS = [*keys.bindings("documents"), *keys.by_id("app.help", "app.quit")]  # laid over the case: F1 and Quit too
    DEFAULT_CSS = """
    DocumentsScreen { align: center middle; }
    DocumentsScreen #box { width: 140; max-width: 100%; height: 80%; border: thick $primary; background: $surface; }
    DocumentsScreen #title { text-style: bold; color: $accent; padding: 0 1; }
    DocumentsScreen DataTable { height: 1fr; }
    DocumentsScreen #detail { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, case_id: int, reference: str) -> None:
        super().__init__()
        self.case_id, self.reference = case_id, reference
        self._docs: tuple = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text(f"Documents on {self.reference}"), id="title")
            yield Table(id="documents", cursor_type="row", zebra_stripes=True)
            yield Static("", id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        table.focus()
        self.load()

    def load(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.documents import case_documents

        self.run_db(case_documents, ws.store, self.case_id, done=self._loaded, group="documents")

    def _loaded(self, docs) -> None:
        self._docs = docs
        table = self.query_one(DataTable)
        keep = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for d in docs:
                state = Text("withdrawn", style="dim italic") if d.withdrawn else Text("on the record")
                table.add_row(
                    Text(d.name),
                    state,
                    Text(_size(d.size), justify="right"),
                    Text(local(d.added_at).strftime("%d %b %Y %H:%M")),
                    Text(d.added_by),
                    Text(d.media_type),
                    Text(d.sha256[:12] + "…"),
                    key=str(d.id),
                )
        if docs:
            table.move_cursor(row=min(keep, len(docs) - 1))
        self._show_detail()

    def _selected(self):
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((d for d in self._docs if str(d.id) == key), None)

    def _show_detail(self) -> None:
        d = self._selected()
        box = self.query_one("#detail", Static)
        if d is None:
            box.update("No documents yet: a attaches one (an email, a survey, photos, a contractor's report).")
            return
        text = Text(f"SHA-256 {d.sha256}")
        if d.description:
            text.append("\n")
            text.append(d.description)
        if d.withdrawn:
            text.append(f"\nWithdrawn by {d.withdrawn_by}: ")
            text.append(d.withdrawn_reason)
        box.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def action_attach(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        limit = ws.store.settings.document_size_limit_mb

        def attached(doc_id) -> None:
            if doc_id is not None:
                self.notify("Document attached.", timeout=4)
                self.load()

        self.app.push_screen(AttachDocumentDialog(self.case_id, self.reference, limit), attached)

    def action_open_document(self) -> None:
        d = self._selected()
        if d is None or self.workspace is None:
            return
        from caseworker.desktop import open_with_viewer
        from caseworker.store.queries.documents import document_content

        def job():
            return open_with_viewer(d.name, document_content(self.workspace.store, d.id))

        self.run_db(job, done=lambda path: self.notify(f"Opening {d.name}…", timeout=4), group="open-document")

    def action_save_copy(self) -> None:
        d = self._selected()
        if d is not None:
            self.app.push_screen(
                SaveCopyDialog(d), lambda path: self.notify(f"Saved as {path}", timeout=6) if path else None
            )

    def action_withdraw(self) -> None:
        d = self._selected()
        if d is None:
            return
        if d.withdrawn:
            self.notify(f"{d.name} is already withdrawn.", timeout=4)
            return
        self.app.push_screen(WithdrawDocumentDialog(d), lambda name: self.load() if name else None)

    def action_close(self) -> None:
        self.dismiss(None)


class CaseFileDialog(FormDialog[Any]):
    """Produce the case file for the Ombudsman or a subject access request: the PDF and the ZIP
    of original documents with its SHA-256 manifest, in a folder."""

    SAVE_LABEL = "Write case file"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.FORM_TITLE = f"Case file for {reference}"
        self.INTRO = (
            "The complete record (Code 5.12): contents page, chronology of every event with who, the "
            "complaint definition, letters as issued, notes, correspondence, documents, adjustments, "
            "remedies and actions, as one PDF; the original attachments in a ZIP with SHA-256 sums."
        )
        super().__init__()

    def fields(self):
        from pathlib import Path

        return (
            Field(
                "folder",
                "Folder",
                "text",
                required=True,
                default=str(Path.home() / "case-files"),
                help="Made if it does not exist; files of the same name are replaced.",
            ),
        )

    def perform(self, store, login, v):
        from caseworker.casefile import write_casefile
        from caseworker.casefile.build import CaseFileError
        from caseworker.store.services import DomainError

        try:
            return write_casefile(store, self.reference, (v["folder"] or "").strip(), login)
        except CaseFileError as exc:
            raise DomainError(str(exc), "5.12", "folder") from None

    def result(self, outcome, v):
        return outcome
