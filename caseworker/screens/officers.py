"""Officers (F8): the team with roles, titles and open workloads; administrators add officers,
change names, titles, roles and contact lines, deactivate and activate them, and reassign a
leaving officer's open cases (SPEC screen 8, rule 15).

The last active administrator can never be demoted or deactivated, and an officer holding
open cases is deactivated only once they are reassigned (g offers that). Everyone else sees
the list and why they cannot change it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from caseworker import inert, keys
from caseworker.inert import cell
from caseworker.rules.facts import Refusal
from caseworker.screens.base import BaseScreen
from caseworker.screens.dialogs.form import Field, FormDialog
from caseworker.widgets.footer import Footer
from caseworker.widgets.table import Table

ROLES = (("Officer", "officer"), ("Supervisor", "supervisor"), ("Administrator", "administrator"))
COLUMNS = (
    ("Name", 20),
    ("Role", 13),
    ("Open", 5),
    ("Active", 6),
    ("Job title", 26),
    ("Email", 28),
    ("Phone", 14),
    ("Login", 12),
)
WHY_NOT = "Only an administrator adds officers, changes their names, titles and roles, or deactivates them"


def _cell(value: object) -> Text:
    """Stored text shown literally in a table cell (never markup, controls as marks)."""
    return cell(value)


class OfficersScreen(BaseScreen):
    """The team: names, titles, roles, active flags and open workloads."""

    TITLE = "Officers"
    HELP_SCOPE = "officers"
    HELP = (
        "Every officer, active first. Administrators: n adds an officer, e changes the highlighted one, x "
        "deactivates (or activates) them, g reassigns all their open cases with a reason. The last active "
        "administrator can never be demoted or deactivated; an officer with open cases is deactivated only once "
        "their cases are reassigned."
    )
    BINDINGS = keys.bindings("officers", "list")
    DEFAULT_CSS = """
    OfficersScreen #summary { height: 1; padding: 0 1; background: $boost; }
    OfficersScreen #officers { height: 1fr; }
    OfficersScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        table = Table(id="officers", cursor_type="row", zebra_stripes=True)
        table.HELP = self.HELP  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield table
        yield Static("Opening the database…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#officers", DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        table.focus()

    @property
    def administers(self) -> bool:
        ws = self.workspace
        return bool(ws and ws.officer.role.value == "administrator")

    def load(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from caseworker.store.queries.officers import officer_list

        self.run_db(officer_list, ws.store, done=self._show, group="officers")

    def _show(self, rows) -> None:
        self._rows = {r.officer.login: r for r in rows}
        table = self.query_one("#officers", DataTable)
        current = self._current()
        with self.app.batch_update():
            table.clear()
            for r in rows:
                o = r.officer
                style = "" if o.active else "dim"
                table.add_row(
                    _cell(o.display_name),
                    o.role,
                    Text(str(r.open_cases), justify="right"),
                    "yes" if o.active else "no",
                    _cell(o.title or "–"),
                    _cell(o.email or "–"),
                    _cell(o.phone or "–"),
                    Text(o.login, style=style),
                    key=o.login,
                )
            if current is not None and current.officer.login in self._rows:
                table.move_cursor(row=table.get_row_index(current.officer.login))
        active = sum(1 for r in rows if r.officer.active)
        self.query_one("#summary", Static).update(
            inert.text(f"{active} active officer(s), {len(rows) - active} deactivated")
        )
        self.query_one("#status", Static).update(
            "n add · e edit · x deactivate/activate · g reassign their cases" if self.administers else WHY_NOT + "."
        )

    def _current(self):
        table = self.query_one("#officers", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(key)

    def _refused(self) -> bool:
        if not self.administers:
            self.notify(WHY_NOT + ".", severity="warning", timeout=5)
            return True
        return False

    def _changed(self, what: str):
        def done(result) -> None:
            if result is not None:
                inert.notify(self, what, timeout=5)
                self.load()

        return done

    # -- actions ---------------------------------------------------------------------------

    def action_add_officer(self) -> None:
        ws = self.workspace
        if ws is None or self._refused():
            return
        from caseworker.rules import officers as rules
        from caseworker.store import services as sv

        store, me = ws.store, ws.login

        def check(v):
            return rules.check_login(v["login"].strip()) or rules.check_full_name(v["name"])

        def save(v):
            return sv.add_officer(
                store,
                me,
                v["login"].strip(),
                v["name"],
                v["role"] or "officer",
                v["email"],
                title=v["title"],
                phone=v["phone"],
            )

        fields = [
            Field(
                "login", "Login", required=True, placeholder="their computer login (team mode: their PostgreSQL role)"
            ),
            Field("name", "Full name", required=True, placeholder="as letters are signed, e.g. Jo Smith"),
            Field("title", "Job title", placeholder="e.g. Complaints Officer"),
            Field("role", "Role", "select", required=True, default="officer", options=ROLES),
            Field("email", "Email", "email", placeholder="the address letters give (optional)"),
            Field("phone", "Phone", "phone", placeholder="the number letters give (optional)"),
        ]
        self.app.push_screen(
            FormDialog(
                "Add an officer",
                fields,
                intro="Letters are signed with the full name and job title.",
                check=check,
                save=save,
            ),
            self._changed("Officer added."),
        )

    def action_edit_officer(self) -> None:
        ws, row = self.workspace, self._current()
        if ws is None or row is None or self._refused():
            return
        from caseworker.rules import officers as rules
        from caseworker.store import services as sv

        store, me, o = ws.store, ws.login, row.officer

        def check(v):
            return rules.check_full_name(v["name"])

        def save(v):
            return (
                sv.set_officer(
                    store,
                    me,
                    o.login,
                    name=v["name"],
                    title=v["title"],
                    role=v["role"] or o.role,
                    email=v["email"],
                    phone=v["phone"],
                )
                or True
            )

        fields = [
            Field("name", "Full name", required=True, default=o.name),
            Field("title", "Job title", default=o.title),
            Field("role", "Role", "select", required=True, default=o.role, options=ROLES),
            Field("email", "Email", "email", default=o.email),
            Field("phone", "Phone", "phone", default=o.phone),
        ]
        self.app.push_screen(
            FormDialog(
                f"Change {o.display_name}",
                fields,
                intro="The last active administrator cannot be demoted.",
                check=check,
                save=save,
            ),
            self._changed(f"{o.display_name} changed."),
        )

    def action_toggle_active(self) -> None:
        ws, row = self.workspace, self._current()
        if ws is None or row is None or self._refused():
            return
        from caseworker.store import services as sv

        o = row.officer
        if o.active and row.open_cases:
            inert.notify(
                self,
                f"{o.display_name} still holds {row.open_cases} open case(s): press g to reassign them, "
                "then deactivate.",
                severity="warning",
                timeout=8,
            )
            return
        call = sv.deactivate_officer if o.active else sv.activate_officer
        word = "deactivated" if o.active else "activated"
        self.run_db(
            call,
            ws.store,
            ws.login,
            o.login,
            done=lambda _: self._changed(f"{o.display_name} {word}.")(True),
            group="officer-change",
        )

    def action_reassign_cases(self) -> None:
        ws, row = self.workspace, self._current()
        if ws is None or row is None or self._refused():
            return
        o = row.officer
        if not row.open_cases:
            inert.notify(self, f"{o.display_name} holds no open cases.", timeout=4)
            return
        from caseworker.store import services as sv

        store, me = ws.store, ws.login
        others = tuple(
            (r.officer.display_name, r.officer.login)
            for r in self._rows.values()
            if r.officer.active and r.officer.login != o.login
        )

        def check(v):
            if not v["to"]:
                return Refusal("choose who takes the cases", "", "to")
            if not v["reason"].strip():
                return Refusal("say why the cases are being reassigned: the record keeps the reason", "", "reason")
            return None

        def save(v):
            return sv.reassign_open_cases(store, me, o.login, v["to"], v["reason"])

        fields = [
            Field(
                "to", "Reassign to", "select", required=True, options=others, default=others[0][1] if others else None
            ),
            Field("reason", "Reason", required=True, placeholder="e.g. leaving the team on 30 November"),
        ]
        self.app.push_screen(
            FormDialog(
                f"Reassign {o.display_name}'s {row.open_cases} open case(s)",
                fields,
                intro="All or none: at Stage 2 nobody who considered the complaint at Stage 1 can take it "
                "(Code 6.13); the refusal names the case.",
                check=check,
                save=save,
            ),
            self._changed(f"{o.display_name}'s open cases reassigned; they can now be deactivated."),
        )

    def action_refresh(self) -> None:
        self.load()

    def action_cursor_down(self) -> None:
        self.query_one("#officers", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#officers", DataTable).action_cursor_up()
