"""One registry of keys: it feeds each screen's BINDINGS, the footer, the command palette and
the F1 help, so a key is described once and users can rebind it by its id (``set_keymap``).

Keys follow what works in Windows Terminal: letters, digits, F1-F10, ctrl+letter, arrows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """A key in one place (scope) of the app."""

    id: str
    key: str
    action: str
    description: str
    help: str
    scope: str
    show: bool = True
    priority: bool = False


KEYS: tuple[Key, ...] = (
    # everywhere
    Key(
        "app.quit",
        "ctrl+q",
        "app.quit",
        "Quit",
        "Leave caseworker. Everything is saved as you go.",
        "global",
        priority=True,
    ),
    Key("app.help", "f1,question_mark", "app.help", "Help", "Show the keys for the place you are in.", "global"),
    Key(
        "app.palette",
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "Open a case by reference, jump to any screen or run any action.",
        "global",
        show=False,
    ),
    Key("go.inbox", "f2", "app.go('inbox')", "Inbox", "Your open cases by next deadline.", "global", show=False),
    Key(
        "go.deadlines",
        "f3",
        "app.go('deadlines')",
        "Deadlines",
        "The countdown board and the calendar in force.",
        "global",
        show=False,
    ),
    Key(
        "go.adjustments",
        "f4",
        "app.go('adjustments')",
        "Adjustments",
        "Disabilities, adjustments and restrictions with reviews due.",
        "global",
        show=False,
    ),
    Key("go.remedy", "f5", "app.go('remedy')", "Remedy", "The remedy calculator.", "global", show=False),
    Key(
        "go.allocation",
        "f6",
        "app.go('allocation')",
        "Stage 2",
        "Allocate and reassign Stage 2 cases (supervisors).",
        "global",
        show=False,
    ),
    Key(
        "go.reports",
        "f7",
        "app.go('reports')",
        "Reports",
        "Annual report, CH01 and CH02.",
        "global",
        show=False,
    ),
    Key(
        "go.service_requests",
        "f9",
        "app.go('service_requests')",
        "Service requests",
        "Record, review and close service requests; raise a complaint from one (Code 1.4, 1.5).",
        "global",
        show=False,
    ),
    Key(
        "go.officers",
        "f8",
        "app.go('officers')",
        "Officers",
        "Officers and roles: add, name, set roles, deactivate (administrators); workloads.",
        "global",
        show=False,
    ),
    Key(
        "go.queue",
        "f10",
        "app.go('queue')",
        "Supervisor's queue",
        "Extension requests awaiting approval and Stage 2 cases awaiting an officer (supervisors).",
        "global",
        show=False,
    ),
    # inbox
    Key("inbox.open", "enter", "open_case", "Open", "Open the highlighted case.", "inbox"),
    Key(
        "inbox.search",
        "slash",
        "search",
        "Search",
        "Search by reference, resident or text (one or two letters: the start of a reference; "
        "names and text from three).",
        "inbox",
    ),
    Key("inbox.new", "n", "new_case", "New case", "Log a complaint, MP enquiry or councillor enquiry.", "inbox"),
    Key(
        "inbox.view",
        "v",
        "cycle_view",
        "Mine/Team/All",
        "Supervisors: switch between your cases, the team's open cases and all cases.",
        "inbox",
    ),
    Key("inbox.stage", "s", "cycle_stage", "Stage", "Filter by stage: all, Stage 1, Stage 2.", "inbox"),
    Key("inbox.status", "t", "cycle_status", "Status", "Filter by status.", "inbox"),
    Key("inbox.overdue", "o", "toggle_overdue", "Overdue", "Show only overdue cases.", "inbox"),
    Key(
        "inbox.soon",
        "w",
        "toggle_soon",
        "Due ≤2 WD",
        "Show only cases due within 2 working days (or overdue).",
        "inbox",
    ),
    Key(
        "inbox.awaiting",
        "e",
        "toggle_awaiting",
        "Awaiting approval",
        "Show only cases with an extension past the cap awaiting a supervisor's approval (rule 14).",
        "inbox",
    ),
    Key("inbox.clear", "c", "clear_filters", "Clear", "Clear every filter and the search.", "inbox"),
    Key("inbox.refresh", "r", "refresh", "Refresh", "Reload the list.", "inbox", show=False),
    # deadlines board
    Key("deadlines.open", "enter", "open_case", "Open", "Open the highlighted case.", "deadlines"),
    Key(
        "deadlines.officer",
        "o",
        "cycle_officer",
        "Officer",
        "Supervisors: show one officer's cases (o again for the next officer; after the last, everyone's).",
        "deadlines",
    ),
    Key(
        "deadlines.calendar",
        "c",
        "toggle_calendar",
        "Calendar",
        "Show or hide the non-working days in force (bank holidays and closure days).",
        "deadlines",
    ),
    Key("deadlines.refresh", "r", "refresh", "Refresh", "Reload the board.", "deadlines", show=False),
    # adjustments register
    Key("adjustments.open", "enter", "open_case", "Open case", "Open the resident's first open case.", "adjustments"),
    Key(
        "adjustments.review",
        "r",
        "review",
        "Review",
        "Record a review of the highlighted adjustment or restriction: keep it with a new review date, or end it (5.10, 5.15).",
        "adjustments",
    ),
    Key(
        "adjustments.add",
        "a",
        "add_adjustment",
        "Adjustment",
        "Record a reasonable adjustment agreed with the highlighted row's resident (5.10).",
        "adjustments",
    ),
    Key(
        "adjustments.disability",
        "d",
        "add_disability",
        "Disability",
        "Record a disability the highlighted row's resident disclosed (5.10).",
        "adjustments",
    ),
    Key(
        "adjustments.restriction",
        "x",
        "add_restriction",
        "Restriction",
        "Record a contact restriction on the highlighted row's resident (5.14, 5.15).",
        "adjustments",
    ),
    Key(
        "adjustments.filter",
        "f",
        "cycle_filter",
        "Filter",
        "Show everything, only reviews due or overdue, or only what is still in force.",
        "adjustments",
    ),
    Key("adjustments.refresh", "ctrl+r", "refresh", "Refresh", "Reload the register.", "adjustments", show=False),
    # remedy calculator and remedies on record
    Key(
        "remedy.tab",
        "ctrl+t",
        "switch_tab",
        "Calc/Record",
        "Switch between the calculator and the remedies on record.",
        "remedy",
    ),
    Key(
        "remedy.add_line",
        "ctrl+n",
        "add_line",
        "Add line",
        "Add the item being typed to the calculation (Enter in its fields does the same).",
        "remedy",
    ),
    Key(
        "remedy.remove_line",
        "ctrl+r",
        "remove_line",
        "Remove line",
        "Remove the highlighted line of the breakdown (or the last line added).",
        "remedy",
    ),
    Key("remedy.clear", "ctrl+l", "clear_calculation", "Clear", "Start a new calculation.", "remedy"),
    Key(
        "remedy.save",
        "ctrl+s,s",
        "save_offer",
        "Save offer",
        "Save the calculation as an offer on a case: what will happen and by when (7.3).",
        "remedy",
    ),
    Key("remedy.open", "enter", "open_case", "Open case", "Open the case of the highlighted remedy.", "remedy"),
    Key("remedy.accept", "a", "move('accepted')", "Accepted", "The resident accepted the highlighted offer.", "remedy"),
    Key(
        "remedy.decline", "d", "move('declined')", "Declined", "The resident declined the highlighted offer.", "remedy"
    ),
    Key("remedy.paid", "p", "move('paid')", "Paid", "The highlighted financial remedy has been paid.", "remedy"),
    Key(
        "remedy.completed",
        "c",
        "move('completed')",
        "Completed",
        "The highlighted remedy has been carried out.",
        "remedy",
    ),
    Key(
        "remedy.filter",
        "f",
        "cycle_state",
        "State",
        "Show remedies in every state, or in one state at a time.",
        "remedy",
    ),
    # Stage 2 allocation
    Key("allocation.open", "enter", "open_case", "Open", "Open the highlighted case.", "allocation"),
    Key(
        "allocation.mark",
        "space",
        "toggle_mark",
        "Mark",
        "Mark or unmark the highlighted case, to assign several at once.",
        "allocation",
    ),
    Key(
        "allocation.assign",
        "g",
        "assign",
        "Assign",
        "Assign or reassign the marked cases (or the highlighted one) to an officer; never the Stage 1 officer (6.13).",
        "allocation",
    ),
    Key("allocation.unmark", "u", "clear_marks", "Unmark all", "Clear every mark.", "allocation"),
    Key("allocation.refresh", "r", "refresh", "Refresh", "Reload the cases and workloads.", "allocation", show=False),
    # supervisor's queue
    Key(
        "queue.approve",
        "a",
        "approve",
        "Approve",
        "Approve the highlighted extension request, saying why; never on a case you hold or a request you made (rule 14).",
        "queue",
    ),
    Key(
        "queue.decline",
        "d",
        "decline",
        "Decline",
        "Decline the highlighted extension request, saying why; the due date stays as it is.",
        "queue",
    ),
    Key("queue.open", "enter", "open_case", "Open", "Open the highlighted case.", "queue"),
    Key("queue.refresh", "r", "refresh", "Refresh", "Reload the queue.", "queue", show=False),
    # officers (administrators manage; everyone sees the team)
    Key(
        "officers.add",
        "n",
        "add_officer",
        "Add",
        "Add an officer: login, full name, job title, role, contact line (administrators).",
        "officers",
    ),
    Key(
        "officers.edit",
        "e",
        "edit_officer",
        "Edit",
        "Change the highlighted officer's name, title, role or contact line (administrators).",
        "officers",
    ),
    Key(
        "officers.deactivate",
        "x",
        "toggle_active",
        "Deactivate/activate",
        "Deactivate the highlighted officer (their cases must be reassigned first), or activate them again.",
        "officers",
    ),
    Key(
        "officers.reassign",
        "g",
        "reassign_cases",
        "Reassign cases",
        "Reassign all the highlighted officer's open cases to someone else, with a reason (so they can be deactivated).",
        "officers",
    ),
    Key("officers.refresh", "r", "refresh", "Refresh", "Reload the officers.", "officers", show=False),
    # case detail (the footer shows the actions possible on the case as it is; the others say why not)
    Key(
        "case.acknowledge",
        "a",
        "acknowledge",
        "Acknowledge",
        "Acknowledge the current stage and record the complaint definition (Code 5.6, 6.2, 6.11).",
        "case",
    ),
    Key(
        "case.extend",
        "x",
        "extend",
        "Extend",
        "Extend the response deadline: reason, date the resident was told; beyond the cap only with a good reason and a supervisor (Code 6.4, 6.15).",
        "case",
    ),
    Key(
        "case.respond",
        "r",
        "respond",
        "Respond",
        "Record the response: decision, reasons, remedy or 'no remedy', actions or 'none' (Code 6.9, 6.19).",
        "case",
    ),
    Key(
        "case.stage2",
        "2",
        "stage2",
        "Stage 2",
        "Record the resident's request for Stage 2; no reason is needed (Code 6.10-6.12).",
        "case",
    ),
    Key(
        "case.assign",
        "g",
        "assign",
        "Assign",
        "Assign or reassign the officer; at Stage 2 never the Stage 1 officer (Code 6.13).",
        "case",
    ),
    Key("case.note", "n", "note", "Note", "Add a note, or record a letter, email, call or visit (Code 5.12).", "case"),
    Key("case.letter", "l", "letter", "Letter", "Choose a letter, preview it, check it and issue it.", "case"),
    Key(
        "case.remedy",
        "m",
        "remedy",
        "Remedy",
        "Record a remedy: what will happen, by when, and any amount (Code 7.3).",
        "case",
    ),
    Key(
        "case.action",
        "o",
        "add_action",
        "Action",
        "Add an outstanding action with an owner and a due date (Code 6.6, 6.17).",
        "case",
    ),
    Key(
        "case.representative",
        "h",
        "representative",
        "Rep contact",
        "Correct the representative's (or the MP's or councillor's office) address, email and phone; audited.",
        "case",
    ),
    Key(
        "case.update",
        "p",
        "update_action",
        "Update",
        "Record progress on an outstanding action, whether the resident was told, or that it is done.",
        "case",
    ),
    Key(
        "case.move_due",
        "d",
        "move_due",
        "Move due",
        "Move an outstanding action's due date, with why and what the resident was told (Code 6.6, 6.17).",
        "case",
        show=False,
    ),
    Key(
        "case.documents",
        "v",
        "documents",
        "Documents",
        "The case's documents: attach a file, open it with your viewer, save a copy, withdraw a wrong one (Code 5.12).",
        "case",
        show=False,
    ),
    Key(
        "case.resident_updates",
        "U",
        "resident_updates",
        "Updates",
        "Agree how often the resident will be updated while the response is late or extended, or record an update given (Code 5.9).",
        "case",
        show=False,
    ),
    Key(
        "case.case_file",
        "b",
        "case_file",
        "Case file",
        "Write the case file for the Ombudsman: one PDF with a contents page and a ZIP of the documents with SHA-256 sums (Code 5.12).",
        "case",
        show=False,
    ),
    Key(
        "case.issue",
        "i",
        "related_issue",
        "New issue",
        "Add a new issue: to this case if related and not delaying the response, else a new linked case (Code 6.8).",
        "case",
    ),
    Key(
        "case.not_accept",
        "u",
        "not_accept",
        "Not accept",
        "Record the complaint as not accepted on a section 2 ground, with reasons (Code 2.1-2.5).",
        "case",
    ),
    Key(
        "case.refuse",
        "f",
        "refuse_escalation",
        "Refuse Stage 2",
        "Refuse to escalate on a section 2 ground, with reasons (Code 5.11).",
        "case",
    ),
    Key(
        "case.withdraw",
        "w",
        "withdraw",
        "Withdraw",
        "The resident withdraws the complaint; record what they said.",
        "case",
    ),
    Key(
        "case.correct",
        "y",
        "correct",
        "Correct",
        "Correct facts recorded wrongly (service area, category, channel, type, dates, the resident's or representative's details), with a reason; old and new values are kept (Code 5.12).",
        "case",
    ),
    Key(
        "case.close",
        "c",
        "close_case",
        "Close",
        "Close a responded case once its outstanding actions are done (Code 6.6, 6.17).",
        "case",
    ),
    Key(
        "case.ombudsman",
        "O",
        "ombudsman",
        "Ombudsman",
        "Record that the case went to the Ombudsman: their reference and dates (findings and orders on the Ombudsman and learning screen).",
        "case",
        show=False,
    ),
    Key(
        "case.learning",
        "L",
        "learning",
        "Learning",
        "The complaint's root cause and themes (Code 9.1, 9.2).",
        "case",
        show=False,
    ),
    Key(
        "case.adjustment",
        "A",
        "register_adjustment",
        "Adjustment",
        "Record a reasonable adjustment for this case's resident, in the adjustments register (Code 5.10).",
        "case",
        show=False,
    ),
    Key(
        "case.disability",
        "D",
        "register_disability",
        "Disability",
        "Record a disability this case's resident disclosed, in the adjustments register (Code 5.10).",
        "case",
        show=False,
    ),
    Key(
        "case.restriction",
        "X",
        "register_restriction",
        "Restriction",
        "Record a contact restriction for this case's resident (Code 5.14, 5.15).",
        "case",
        show=False,
    ),
    Key(
        "case.service_request",
        "S",
        "new_service_request",
        "Service request",
        "Record a service request for this case's resident (Code 1.4).",
        "case",
        show=False,
    ),
    Key(
        "case.remedy_calculator",
        "M",
        "remedy_calculator",
        "Remedy calculator",
        "Work out a financial remedy with the guidance, ready to save as an offer on this case (Code 7.3).",
        "case",
        show=False,
    ),
    Key(
        "case.explain",
        "e",
        "explain",
        "Explain",
        "Show or hide how the live deadline was worked out: start, rule, days skipped and why.",
        "case",
        show=False,
    ),
    Key("case.back", "escape", "back", "Back", "Back to the list you came from (the inbox).", "case", show=False),
    Key(
        "case.next_tab",
        "t",
        "next_tab",
        "Next tab",
        "Show the next tab: Definition, Timeline, Resident, Remedies, Actions, Letters.",
        "case",
        show=False,
    ),
    Key("case.reload", "ctrl+r", "reload", "Reload", "Read the case again from the database.", "case", show=False),
    Key(
        "case.page_down",
        "pagedown",
        "page(1)",
        "Page down",
        "Show the next page of the tab (the Timeline reads older entries as you go).",
        "case",
        show=False,
    ),
    Key("case.page_up", "pageup", "page(-1)", "Page up", "Show the previous page of the tab.", "case", show=False),
    Key(
        "case.end",
        "end",
        "to_end(True)",
        "End",
        "Go to the end of the tab (on the Timeline: the oldest entries read so far, and read more).",
        "case",
        show=False,
    ),
    Key(
        "case.home",
        "home",
        "to_end(False)",
        "Home",
        "Go to the top of the tab (the newest entries on the Timeline).",
        "case",
        show=False,
    ),
    # a case's documents (v on the case)
    Key(
        "documents.attach",
        "a",
        "attach",
        "Attach",
        "Attach a file from this computer to the case record (Code 5.12).",
        "documents",
    ),
    Key(
        "documents.open",
        "o,enter",
        "open_document",
        "Open",
        "Open the highlighted document with your system's viewer.",
        "documents",
        priority=True,
    ),
    Key(
        "documents.save",
        "s",
        "save_copy",
        "Save copy",
        "Save a copy of the highlighted document in a folder (nothing is overwritten).",
        "documents",
    ),
    Key(
        "documents.withdraw",
        "w",
        "withdraw",
        "Withdraw",
        "Withdraw a wrongly attached document, with a reason; it stays stored (Code 5.12).",
        "documents",
    ),
    Key("documents.back", "escape", "close", "Back", "Back to the case.", "documents"),
    # service requests (F9)
    Key(
        "requests.new",
        "n",
        "new_request",
        "New request",
        "Record a service request: resident, what they asked for, service area, date, owner (Code 1.4).",
        "requests",
    ),
    Key(
        "requests.raise",
        "r",
        "raise_complaint",
        "Raise complaint",
        "Log a complaint from the highlighted request; the request stays open (Code 1.5).",
        "requests",
    ),
    Key(
        "requests.close",
        "x",
        "close_request",
        "Close",
        "Close the highlighted request, saying what was done.",
        "requests",
    ),
    Key(
        "requests.open",
        "enter",
        "open_complaint",
        "Open complaint",
        "Open the complaint raised from the highlighted request.",
        "requests",
    ),
    Key(
        "requests.closed",
        "a",
        "toggle_closed",
        "Open/all",
        "Show closed requests too, or only the open ones.",
        "requests",
    ),
    Key(
        "requests.search",
        "slash",
        "search",
        "Search",
        "Search by reference, resident, service area or text.",
        "requests",
    ),
    Key("requests.refresh", "ctrl+r", "refresh", "Refresh", "Reload the register.", "requests", show=False),
    # reports
    Key(
        "reports.previous",
        "left,left_square_bracket",
        "year(-1)",
        "Previous year",
        "Show the previous financial year.",
        "reports",
        priority=True,
    ),
    Key(
        "reports.next",
        "right,right_square_bracket",
        "year(1)",
        "Next year",
        "Show the next financial year.",
        "reports",
        priority=True,
    ),
    Key(
        "reports.cases",
        "enter",
        "drill",
        "Cases",
        "List the cases behind the highlighted figure.",
        "reports",
        priority=True,
    ),
    Key("reports.refresh", "r", "refresh", "Refresh", "Build the report again from the record.", "reports", show=False),
    Key("reports.back", "escape", "back", "Back", "Go back to the inbox.", "reports", show=False),
    Key(
        "reports.assessment",
        "s",
        "self_assessment",
        "Self-assessment",
        "The Code self-assessment for the year shown: every provision with its measured evidence, commentary and approval (8.1).",
        "reports",
    ),
    Key(
        "reports.export",
        "x",
        "export",
        "Export",
        "Write the whole 8.1 report (Markdown, CSV, HTML, Word) and the self-assessment for the year shown, and say where.",
        "reports",
    ),
    # Ombudsman and learning
    Key("account.open", "enter", "open_case", "Open", "Open the case of the highlighted Ombudsman row.", "account"),
    Key(
        "account.record",
        "o",
        "record",
        "Ombudsman case",
        "Record that a case went to the Ombudsman: their reference and dates.",
        "account",
    ),
    Key(
        "account.finding",
        "f",
        "finding",
        "Finding",
        "The Ombudsman's finding on one element of the highlighted case.",
        "account",
    ),
    Key(
        "account.order",
        "d",
        "order",
        "Order",
        "An order or recommendation with its compliance date (a deadline in the officer's inbox).",
        "account",
    ),
    Key(
        "account.complied",
        "c",
        "complied",
        "Complied",
        "Record that the highlighted order was complied with, and the evidence.",
        "account",
    ),
    Key(
        "account.dates",
        "m",
        "dates",
        "Dates",
        "Record or correct the information-requested, information-sent and determination dates.",
        "account",
    ),
    Key(
        "account.chfo",
        "h",
        "failure_order",
        "Failure order",
        "A complaint-handling failure order made on the highlighted case.",
        "account",
    ),
    Key(
        "account.learning",
        "l",
        "learning",
        "Learning",
        "Root cause and themes on a complaint (Code 9.1, 9.2).",
        "account",
    ),
    Key(
        "account.improvement",
        "i",
        "improvement",
        "Improvement",
        "Add a service improvement: what changed, the complaints behind it, owner, status.",
        "account",
    ),
    Key(
        "account.update",
        "u",
        "update_improvement",
        "Update",
        "Move the highlighted service improvement on (planned, in progress, done).",
        "account",
    ),
    Key("account.refresh", "r", "load", "Refresh", "Read the lists again.", "account", show=False),
    # self-assessment
    Key(
        "assessment.approve",
        "a",
        "approve",
        "Approve",
        "Supervisors: approve the year's self-assessment, after a question saying what is missing (who and when are kept).",
        "assessment",
    ),
    Key(
        "assessment.letter",
        "l",
        "letter",
        "Letter",
        "Record the Ombudsman's annual letter: when it came and its key points (what is on record filled in).",
        "assessment",
    ),
    Key(
        "assessment.governing",
        "g",
        "governing_body",
        "Governing body",
        "Record the governing body's response to the report (8.2; what is on record filled in).",
        "assessment",
    ),
    Key(
        "assessment.export",
        "x",
        "export",
        "Export",
        "Write the whole report and the self-assessment to files, and say where.",
        "assessment",
    ),
    # Enter is named on the line above the list, not on the footer: at 80 columns the footer
    # has room for the letter keys only (which Enter, drawn first, pushed off)
    Key(
        "assessment.choose",
        "enter",
        "choose",
        "Edit / cases",
        "Edit the highlighted provision, or list the cases behind a measured line.",
        "assessment",
        show=False,
        priority=True,
    ),
    Key("assessment.back", "escape", "back", "Back", "Back to the reports.", "assessment", show=False),
    # forms and dialogs
    Key(
        "form.save",
        "ctrl+s",
        "save",
        "Save",
        "Save the form; it stays open, with nothing lost, if the change is refused.",
        "form",
        priority=True,
    ),
    Key("form.cancel", "escape", "cancel", "Cancel", "Close the form without saving.", "form"),
    Key(
        "form.help",
        "f1",
        "app.help",
        "Help",
        "What the form needs and the keys that work in it (? types a question mark here).",
        "form",
    ),
    # y only, not Enter: the question follows a key press (Issue, Approve), and a second Enter
    # (a key held or pressed twice) must not take a step that cannot be undone
    Key("confirm.yes", "y", "answer(True)", "Yes", "Go ahead.", "confirm"),
    Key("confirm.no", "n,escape", "answer(False)", "No", "Go back without doing it.", "confirm"),
    Key("picker.cancel", "escape", "cancel", "Cancel", "Close without choosing.", "picker"),
    Key("help.close", "escape,f1,question_mark,q", "dismiss", "Close", "Close this help.", "help"),
    Key("error.close", "escape,enter", "dismiss", "Close", "Close this message.", "error"),
    # letter preview
    Key(
        "letter.issue",
        "i",
        "issue",
        "Issue",
        "Issue the letter: it is kept exactly as sent, in the case's correspondence.",
        "letter",
    ),
    Key("letter.save", "s", "save", "Save copy", "Save a copy of the letter to a folder.", "letter"),
    Key("letter.edit", "e", "edit", "Edit text", "Edit the letter's free-text parts.", "letter"),
    Key("letter.close", "escape", "close", "Close", "Close the preview.", "letter"),
    # the cases behind a report figure
    Key("reports.cases.back", "escape", "dismiss(None)", "Back", "Back to the report.", "reports-cases"),
    Key("nav.down", "j", "cursor_down", "Down", "Move down.", "list", show=False),
    Key("nav.up", "k", "cursor_up", "Up", "Move up.", "list", show=False),
)


def keys_for(scope: str) -> list[Key]:
    """The keys of one scope, in registry order."""
    return [k for k in KEYS if k.scope == scope]


def bindings(*scopes: str) -> list[BindingType]:
    """Textual bindings for the given scopes, each with its registry id (for ``set_keymap``)."""
    return [
        Binding(k.key, k.action, k.description, show=k.show, id=k.id, priority=k.priority)
        for scope in scopes
        for k in keys_for(scope)
    ]


def by_id(*ids: str) -> list[BindingType]:
    """Textual bindings for the registry keys ``ids`` (e.g. Help and Quit on a screen laid over
    another, where the app's own keys are not in force), each with its registry id.

    Raises:
        KeyError: an id not in the registry.
    """
    found = {k.id: k for k in KEYS}
    return [
        Binding(k.key, k.action, k.description, show=k.show, id=k.id, priority=k.priority)
        for k in (found[i] for i in ids)
    ]


def as_bound(entries: list[Key], active_bindings) -> list[Key]:
    """``entries`` with each key as it is really bound now (after a ``[keys]`` rebinding).

    Args:
        entries: registry keys to show.
        active_bindings: a screen's ``active_bindings`` (key name -> ActiveBinding).

    Returns:
        The same keys, in the same order, each with ``key`` replaced by the key names that
        are live for its id (unchanged where the id is not bound on this screen).
    """
    live: dict[str, list[str]] = {}
    for name, active in active_bindings.items():
        binding_id = getattr(active.binding, "id", None)
        if binding_id:
            live.setdefault(binding_id, []).append(name)
    return [replace(k, key=",".join(live[k.id])) if k.id in live else k for k in entries]


def display_key(key: str) -> str:
    """A readable key name: ``f1,question_mark`` -> ``F1 / ?``, ``ctrl+s`` -> ``Ctrl+S``."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "enter": "Enter",
        "escape": "Esc",
        "ctrl+q": "Ctrl+Q",
        "ctrl+p": "Ctrl+P",
        "left": "←",
        "right": "→",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "space": "Space",
    }

    def one(part: str) -> str:
        if part in names:
            return names[part]
        if part.startswith("f") and part[1:].isdigit():
            return part.upper()
        if part.startswith("ctrl+") and len(part) == 6:
            return "Ctrl+" + part[-1].upper()
        return part

    return " / ".join(one(part) for part in key.split(","))
