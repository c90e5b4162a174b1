"""Notes and correspondence recorded after the day they happened (5.12): what happened is always
recordable with its real date; where the Code's clocks run from that date, a late record is flagged.

A call taken last Tuesday and written up today is kept as made last Tuesday (its real date),
shown with the day it was recorded. Where the Code cares when something arrived, recording it
late is flagged with the paragraph: a repeated request to escalate starts the Stage 2
acknowledgement clock (6.11) on the day it was made, and anything the resident sent or said
(a chaser, a letter, an email, a call, a visit) is part of the full record that must be kept
(5.12), so one written up days later says so. An internal note is never flagged: it records
the officer's own work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker.rules.calendar import WorkingCalendar, short_date

#: Kinds whose date the Stage 2 clock runs from (6.11).
ESCALATION_KINDS = frozenset({"escalation-request"})


@dataclass(frozen=True)
class LateRecord:
    """A note or correspondence recorded after the day it happened."""

    dated: date  # the day it happened (made, sent, received)
    recorded_on: date  # the day it was entered
    working_days: int  # working days from ``dated`` to ``recorded_on`` (0: same or next non-working day)
    flagged: bool  # True where the Code cares about the delay
    code_ref: str  # the paragraph when flagged, else ""

    def text(self) -> str:
        """The words the timeline and the case file show, e.g. "dated Tue 02 Dec 2025, recorded
        3 working days later: ... (Code 6.11)"."""
        later = (
            f"recorded {self.working_days} working day{'s' if self.working_days != 1 else ''} later"
            if self.working_days
            else f"recorded {short_date(self.recorded_on)}"
        )
        words = f"dated {short_date(self.dated)}, {later}"
        if not self.flagged:
            return words
        if self.code_ref == "6.11":
            why = "the Stage 2 acknowledgement is due 5 working days from the day the request was made"
        else:
            why = "what the resident sent or said belongs in the record when it arrives"
        return f"{words}: recorded late; {why} (Code {self.code_ref})"


def late_record(
    kind: str, direction: str, dated: date | None, recorded_on: date, calendar: WorkingCalendar
) -> LateRecord | None:
    """How a note or correspondence recorded after its real date is shown and flagged.

    Args:
        kind: note, letter, email, phone, visit, chaser or escalation-request.
        direction: in (from the resident), out (to them) or internal.
        dated: the day it happened, or None when it is the day it was recorded.
        recorded_on: the day it was entered (local date).
        calendar: the working-day calendar.

    Returns:
        None when it was recorded on the day it happened (or ``dated`` is None); otherwise a
        :class:`LateRecord`, flagged (with the Code paragraph) when the item came from the resident
        or is a repeated escalation request and was recorded at least one working day later.
    """
    if dated is None or dated >= recorded_on:
        return None
    days = calendar.count(dated, recorded_on)
    cares = kind in ESCALATION_KINDS or (direction == "in" and kind != "note") or kind == "chaser"
    flagged = cares and days >= 1
    code_ref = ("6.11" if kind in ESCALATION_KINDS else "5.12") if flagged else ""
    return LateRecord(dated, recorded_on, days, flagged, code_ref)


__all__ = ["ESCALATION_KINDS", "LateRecord", "late_record"]
