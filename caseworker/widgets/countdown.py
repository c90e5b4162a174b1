"""How a deadline looks everywhere: working days left coloured red / amber / green, the
countdown sentence, and the flags a case carries. One place, so the inbox, the deadline
board, the allocation list and the case header always agree."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from caseworker.rules.calendar import short_date

#: Rich styles for the RAG colours: red is overdue or due today, amber within 2 working days.
RAG_STYLE = {"red": "bold red", "amber": "bold dark_orange", "green": "green", "": "dim"}

#: Flag names from the queries, and the letter each shows as in a list.
FLAG_MARK = (("adjustments", "A"), ("restriction", "R"), ("vulnerable", "V"), ("overdue-actions", "!"))


def flag_text(flags: frozenset[str]) -> str:
    """``AR!``-style flags: adjustments, restriction, vulnerable, overdue actions."""
    return "".join(mark for name, mark in FLAG_MARK if name in flags)


#: What a list shows after the due date for each kind of deadline ("" for a response).
DUE_KIND_MARK = {"acknowledge": " ack", "ombudsman order": " Omb", "action": " action", "update": " update"}


def due_text(due: date | None, kind: str) -> str:
    """``Tue 30 Dec`` with a mark for the kind of deadline (`` ack`` acknowledgement, `` Omb`` an Ombudsman order), or ``–``."""
    if due is None:
        return "–"
    return f"{due:%a %d %b}" + DUE_KIND_MARK.get(kind, "")


def left_text(days_left: int | None, rag: str) -> Text:
    """Working days left, coloured: red overdue or due today, amber within 2, green otherwise."""
    if days_left is None:
        return Text("–", style="dim")
    label = f"{days_left:+d}" if days_left < 0 else str(days_left)
    return Text(label, style=RAG_STYLE.get(rag, ""), justify="right")


def countdown_text(label: str, due: date, left: int, rag: str, code_ref: str) -> Text:
    """``Stage 1 response due Tue 30 Dec 2025 · 5 working days left (Code 6.3)``, coloured by RAG."""
    if left > 0:
        words = f"{left} working day{'s' if left != 1 else ''} left"
    elif left == 0:
        words = "due today"
    else:
        words = f"{-left} working day{'s' if left != -1 else ''} overdue"
    return Text.assemble(
        (f"{label} due {short_date(due)}", "bold"),
        " · ",
        (words, RAG_STYLE.get(rag, "")),
        (f"  (Code {code_ref})" if code_ref else "", "dim"),
        ("   e: why this date", "dim italic"),
    )
