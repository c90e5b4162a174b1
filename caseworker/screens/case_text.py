"""The case screen's tab texts, built from a ``CaseDetail``: the definition, the timeline,
the resident, remedies, outstanding actions and letters, and the flags shown at the top.

They are pure functions of the case read, kept apart from :mod:`caseworker.screens.case` so
that the screen module holds the screen (layout, countdown, actions) and this one the words.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from caseworker import labels
from caseworker.clock import local

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.case import CaseDetail

#: Audit actions that only announce a correspondence row; the timeline shows the row itself instead.
_CORRESPONDENCE_AUDIT = {"note added", "letter added", "email added", "phone added", "visit added", "letter issued"}


def _d(day: date | None) -> str:
    from caseworker.rules.calendar import short_date

    return short_date(day) if day else "–"


def _money(pence: int | None) -> str:
    from caseworker.rules.money import format_pounds

    return format_pounds(pence) if pence else ""


def flag_items(detail: CaseDetail) -> list[str]:
    """What must be honoured on this case: adjustments, restrictions, vulnerability, overdue actions."""
    items = []
    for a in detail.adjustments:
        if a.active:
            text = a.kind + (f" ({a.details})" if a.details else "")
            items.append(text + (" [review overdue]" if a.review_overdue else ""))
    for r in detail.restrictions:
        if r.active:
            items.append(f"Contact restriction: {r.restriction}" + (" [review overdue]" if r.review_overdue else ""))
    if detail.resident.vulnerable or detail.disabilities:
        items.append(
            "Vulnerable" + (f": {detail.resident.notes}" if detail.resident.notes else "")
            if detail.resident.vulnerable
            else "Disability disclosed"
        )
    overdue = sum(1 for a in detail.actions if a.overdue)
    if overdue:
        items.append(f"{overdue} outstanding action(s) overdue")
    for req in detail.pending_requests:
        items.append(
            f"Extension of {req.working_days} WD past the cap awaiting a supervisor (asked by {req.requested_by_name})"
        )
    return items


def _section(out: Text, title: str) -> None:
    if out.plain:
        out.append("\n" if out.plain.endswith("\n") else "\n\n")
    out.append(title + "\n", style="bold underline")


def _pair(out: Text, label: str, value: str) -> None:
    out.append(f"{label}: ", style="dim")
    out.append((value or "–") + "\n")


def definition_text(detail: CaseDetail) -> Text:
    h = detail.header
    out = Text()
    _section(out, "Logged")
    _pair(out, "Received", f"{_d(h.received)} {labels.received_by(h.channel) or '(how it came in not recorded)'}")
    if h.logged and h.logged != h.received:
        _pair(out, "Logged", f"{_d(h.logged)} (every clock runs from the date received, 3.2)")
    _pair(out, "Service area", h.service_area + (f" · {h.category}" if h.category else ""))
    _pair(out, "Issue arose or became known", _d(h.issue_date))
    if h.discretion_reason:
        _pair(out, "Accepted out of time because", h.discretion_reason)
    _pair(out, "Policy", h.policy_key)
    if h.related_case:
        _pair(out, "Linked to", h.related_case)
    if h.linked_cases:
        _pair(out, "Linked cases", ", ".join(h.linked_cases))
    if h.service_request:
        _pair(out, "Raised from service request", h.service_request)
    out.append("What the resident said:\n", style="dim")
    out.append((h.summary or "–") + "\n")
    for st in detail.stages:
        _section(out, f"Stage {st.number}")
        who = (st.officer_name or st.officer_login) if st.officer_login else "not assigned"
        _pair(out, "Officer", who)
        _pair(out, "Received" if st.number == 1 else "Requested", _d(st.requested))
        if st.request_reason:
            _pair(out, "Resident's reason", st.request_reason)
        ack = _d(st.acknowledged) if st.acknowledged else f"not yet (due {_d(st.ack_due)})"
        _pair(out, "Acknowledged", ack)
        if st.acknowledged:
            out.append("Complaint definition\n", style="bold")
            _pair(out, "  Issues", st.issues)
            _pair(out, "  Outcomes sought", st.outcomes)
            _pair(out, "  Landlord responsible for", st.responsible)
            _pair(out, "  Not responsible for", st.not_responsible)
        for e in st.extensions:
            extra = (
                f"; good reason: {e.good_reason}; approved by {detail.name_of(e.approved_by)}" if e.beyond_cap else ""
            )
            _pair(
                out,
                "Extended",
                f"{e.working_days} WD on {_d(e.recorded_on)} by {detail.name_of(e.recorded_by)}: {e.reason} "
                f"(resident told {_d(e.resident_told)}){extra}",
            )
        for r in detail.extension_requests:
            if r.stage != st.number:
                continue
            asked = (
                f"{r.working_days} WD past the cap asked for by {r.requested_by_name} on "
                f"{_d(r.requested_at.date())}; good reason: {r.good_reason}"
            )
            if r.state == "pending":
                _pair(
                    out,
                    "Awaiting approval",
                    f"{asked}. The due date stays as it is until a supervisor who does not hold the case decides",
                )
            else:
                _pair(
                    out,
                    f"Extension {r.state}",
                    f"{asked}; {r.state} by {r.decided_by_name} on "
                    f"{_d(r.decided_at.date() if r.decided_at else None)}: {r.decision_reason}",
                )
        if st.responded:
            _pair(out, "Responded", f"{_d(st.responded)}: {labels.decision(st.decision)}")
            _pair(out, "  Reasons", st.reasons)
            if st.no_remedy:
                out.append("  No remedy offered (stated explicitly)\n")
            if st.no_actions:
                out.append("  No outstanding actions (stated explicitly)\n")
        elif st.acknowledged:
            _pair(out, "Response due", _d(st.response_due))
    for x in detail.exclusions:
        _section(out, "Not accepted" if x.kind == "not-accepted" else "Escalation refused")
        _pair(out, "Ground", x.ground_label)
        _pair(out, "Reasons", x.reasons)
        _pair(out, "Decided", f"{_d(x.decided_on)} by {detail.name_of(x.decided_by)}")
    return out


def timeline_text(detail: CaseDetail) -> Text:
    """The Timeline tab: the newest page of the history (older pages follow as the officer scrolls)."""
    out = Text("Newest first: every event in the case history, with notes and correspondence in full.\n\n", style="dim")
    out.append_text(timeline_entries_text(reversed(detail.timeline), detail.correspondence))
    return out


def timeline_more_text(total: int | None, shown: int) -> Text:
    """The line under the entries shown while older ones are still to be read (``total`` None:
    the history is still being counted)."""
    older = f"{total - shown:,} older entries" if total is not None else "older entries"
    return Text(f"… {older}: scroll on (or End) to read them\n", style="dim italic")


def timeline_entries_text(entries, correspondence) -> Text:
    """Timeline lines for ``entries`` (newest first), with the bodies of notes and correspondence."""
    out = Text()
    bodies = {c.id: c for c in correspondence}
    for t in entries:
        if t.source == "audit" and t.what in _CORRESPONDENCE_AUDIT:
            continue  # shown as the correspondence row itself, below
        at = local(t.at)
        out.append(f"{at:%a %d %b %Y %H:%M}  ", style="dim")
        out.append(f"{t.who:<16} ", style="cyan")
        out.append(t.what, style="bold")
        c = bodies.get(t.source_id) if t.source == "correspondence" else None
        # which way it went, as the note form's choices say it ("From the resident (in)", "To the
        # resident (out)"); an internal note says nothing
        if c is not None and c.direction in ("in", "out"):
            out.append(f" ({c.direction})", style="bold")
        if t.detail:
            out.append(f": {t.detail}")
        out.append("\n")
        if c is not None:
            if c.late is not None:  # recorded after the day it happened: its real date, flagged where the Code cares
                out.append("      ⚑ " if c.late.flagged else "      ", style="bold" if c.late.flagged else "")
                out.append(c.late.text() + "\n", style="bold" if c.late.flagged else "dim")
            if c.kind != "letter" and c.body.strip() and c.body.strip() != t.detail.strip():
                lines = c.body.strip().splitlines()
                shown = "\n".join("      " + line for line in lines[:8])
                out.append(shown + ("\n      …" if len(lines) > 8 else "") + "\n", style="italic")
    return out


def resident_text(detail: CaseDetail) -> Text:
    res, rep = detail.resident, detail.representative
    out = Text()
    _section(out, "Resident")
    _pair(out, "Name", res.name)
    _pair(out, "Address", res.address.replace("\n", ", "))
    _pair(out, "Email", res.email)
    _pair(out, "Phone", res.phone)
    _pair(out, "Preferred channel", res.preferred_channel)
    if res.vulnerable:
        _pair(out, "Vulnerable", res.notes or "yes")
    if rep is not None:
        _section(out, "Representative (3.6)")
        _pair(out, "Name", rep.name + (f" ({rep.relationship})" if rep.relationship else ""))
        _pair(out, "Consent", f"recorded {_d(rep.consent_date)}" if rep.consent_recorded else "NOT recorded")
        if rep.consent_notes:
            _pair(out, "Consent notes", rep.consent_notes)
        _pair(
            out,
            "Contact",
            ", ".join(x for x in (rep.address.replace("\n", ", "), rep.email, rep.phone) if x)
            or "no address, email or phone: h records them (a letter by post needs the address)",
        )
    _section(out, "Disabilities disclosed (5.10)")
    for d in detail.disabilities:
        out.append(f"• {d.description}  ", style="")
        out.append(f"disclosed {_d(d.disclosed_on)}\n", style="dim")
    if not detail.disabilities:
        out.append("None recorded.\n", style="dim")
    _section(out, "Reasonable adjustments (5.10)")
    for a in detail.adjustments:
        out.append(f"• {a.kind}" + (f" ({a.details})" if a.details else ""), style="bold" if a.active else "dim strike")
        out.append(f"  agreed {_d(a.agreed_on)} · review by {_d(a.review_date)}", style="dim")
        if a.review_overdue:
            out.append("  REVIEW OVERDUE", style="bold red")
        if not a.active:
            out.append("  ended", style="dim")
        out.append("\n")
    if not detail.adjustments:
        out.append("None recorded.\n", style="dim")
    _section(out, "Contact restrictions (5.14, 5.15)")
    for r in detail.restrictions:
        out.append(f"• {r.restriction}", style="bold" if r.active else "dim strike")
        out.append(
            f"  from {_d(r.starts_on)} · authorised by {r.authorised_by} · review by {_d(r.review_date)}", style="dim"
        )
        if r.review_overdue:
            out.append("  REVIEW OVERDUE", style="bold red")
        out.append(f"\n    evidence: {r.evidence}\n", style="dim")
    if not detail.restrictions:
        out.append("None recorded.\n", style="dim")
    out.append("\nRecord or review these in the Adjustments register (F4).", style="dim italic")
    return out


def remedies_text(detail: CaseDetail) -> Text:
    """The Remedies tab: each remedy's kind, amount and state, its dates as entered, the payment
    reference, and how the sum was worked out, in words (never the stored JSON)."""
    from caseworker.rules.remedy_record import basis_in_words, guidance_name, kind_label

    out = Text(
        "m records a remedy; the Remedy screen (F5) works out sums and tracks offers to paid or completed.\n",
        style="dim",
    )
    for r in detail.remedies:
        out.append(f"\n• Stage {r.stage_number} · {kind_label(r.kind)}", style="bold")
        money = _money(r.amount_pence)
        if money:
            out.append(f" {money}", style="bold")
        out.append(f" · {r.state}\n", style="cyan")
        out.append(f"  {r.description}\n")
        dates = [f"offered {_d(r.offered_on)}", f"by {_d(r.by_when)}"]
        for label, day in (
            ("accepted", r.accepted_on),
            ("declined", r.declined_on),
            ("paid", r.paid_on),
            ("completed", r.completed_on),
        ):
            if day:
                dates.append(f"{label} {_d(day)}")
        if r.paid_on:
            dates.append(f"payment reference {r.payment_reference or 'not recorded'}")
        out.append("  " + " · ".join(dates) + "\n", style="dim")
        if r.calculation_basis:
            out.append(f"  worked out: {basis_in_words(r.calculation_basis)}\n", style="dim")
        if r.guidance_reason:
            out.append(
                f"  under the {guidance_name(r.guidance_key)}, not the guidance in force, because: "
                f"{r.guidance_reason}\n",
                style="dim",
            )
        if r.rationale:
            out.append(f"  rationale: {r.rationale}\n", style="dim")
    if not detail.remedies:
        out.append("\nNo remedies recorded.", style="dim")
    return out


def actions_text(detail: CaseDetail) -> Text:
    out = Text("o adds an outstanding action; p records an update or marks one done (6.6, 6.17).\n", style="dim")
    for a in detail.actions:
        state = (
            (f"done {_d(a.completed_on)}", "green")
            if a.done
            else (("OVERDUE", "bold red") if a.overdue else ("open", "cyan"))
        )
        out.append("\n• ")
        out.append(a.description, style="bold" if not a.done else "dim")
        out.append(f"\n  Stage {a.stage_number} · owner {a.owner_name or a.owner} · due {_d(a.due)} · ", style="dim")
        out.append(state[0] + "\n", style=state[1])
        for u in a.updates:
            told = " (resident told)" if u.resident_told else ""
            out.append(f"    {_d(u.on)} {u.by}: {u.text}{told}\n", style="italic")
    if not detail.actions:
        out.append("\nNo outstanding actions recorded.", style="dim")
    return out


def letters_text(detail: CaseDetail) -> Text:
    out = Text("l chooses a letter to preview, check and issue. Issued letters:\n\n", style="dim")
    letters = [c for c in detail.correspondence if c.kind == "letter"]
    for c in reversed(letters):
        out.append(f"{local(c.at):%a %d %b %Y %H:%M}  ", style="dim")
        out.append(f"{c.letter_kind or 'letter':<20}", style="bold")
        out.append(f" {c.subject or c.body.strip()[:60]}")
        out.append(f"  ({c.direction}, by {c.by})\n", style="dim")
    if not letters:
        out.append("No letters issued yet.", style="dim")
    return out


__all__ = [
    "actions_text",
    "definition_text",
    "flag_items",
    "letters_text",
    "remedies_text",
    "resident_text",
    "timeline_entries_text",
    "timeline_more_text",
    "timeline_text",
]
