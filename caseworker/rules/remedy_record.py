"""What is kept with a financial remedy: the guidance it was worked out under (the guidance in
force on the case's dates, or another with a recorded reason, Code 7.4) and its basis read
back in words for the case screen, `caseworker case`, the case file and exports.

Which guidance is in force for a case: the guidance in force on the date of the landlord's
response that makes the offer. A remedy is offered in the stage response (6.x, 7.3), and the
Housing Ombudsman assesses a landlord's offer against the guidance in force when it was made
(the Compensation guidance 2026 applies from 1 April 2026: an offer in a response of 2 April
2026 falls under it even when the complaint was received in March). While the stage has no
response yet, the offer is being made now: the date of the offer counts (normally today).
The received date alone never decides, but it is what an officer sees first, so the reason
names both dates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from caseworker.rules.facts import Refusal
from caseworker.rules.guidance_sets import Guidance, GuidanceError, guidance_keys, load_guidance
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_calculator import guidance_for

#: Each kind of remedy as people read it (7.2).
KIND_LABEL = {
    "apology": "Apology",
    "explanation": "Explanation",
    "action": "Action",
    "financial": "Financial redress",
}


def kind_label(kind: str) -> str:
    """``"financial"`` is ``"Financial redress"``; an unknown kind is shown capitalised."""
    return KIND_LABEL.get(kind, kind.replace("-", " ").replace("_", " ").capitalize())


def guidance_name(key: str) -> str:
    """The guidance set's name (e.g. "Housing Ombudsman's Guidance on remedies") for a stored key;
    "" for none, "guidance no longer installed" for a set not shipped any more."""
    if not key:
        return ""
    found = _guidance(key)
    return found.name if found else "guidance no longer installed"


@dataclass(frozen=True)
class GuidanceInForce:
    """The guidance in force for a remedy on a case, and why.

    Attributes:
        guidance: The guidance set in force.
        on: The date that decided it (the stage response date, or the date of the offer).
        because: Plain words, e.g. "in force on Thu 2 Apr 2026, the date of the Stage 1 response".
    """

    guidance: Guidance
    on: date
    because: str


def guidance_in_force(
    stage_number: int, received_on: date, responded_on: date | None, offered_on: date
) -> GuidanceInForce:
    """The guidance in force for a remedy offered on a case (Code 7.4).

    Args:
        stage_number: The stage the remedy is offered at (1 or 2).
        received_on: When the complaint (or the escalation) was received; named in the reason only.
        responded_on: The date of that stage's response, if it has been sent.
        offered_on: The date of the offer (today for a new offer).

    Returns:
        The guidance in force on the response date, or on the date of the offer while there
        is no response yet.

    Raises:
        RemedyError: (field ``"date"``) no guidance set, or more than one, applies on that date.
    """
    if responded_on is not None:
        on, what = responded_on, f"the date of the Stage {stage_number} response"
    else:
        on, what = offered_on, f"the date of the offer (no Stage {stage_number} response yet)"
    guidance = guidance_for(on)
    because = f"in force on {_d(on)}, {what}; complaint received {_d(received_on)}"
    return GuidanceInForce(guidance, on, because)


def check_guidance_choice(chosen_key: str, in_force: GuidanceInForce, reason: str) -> Refusal | None:
    """Guidance other than the guidance in force is used only with a recorded reason (7.4).

    Args:
        chosen_key: The guidance set the calculation used ("" for a remedy worked out by hand).
        in_force: The guidance in force for the case (:func:`guidance_in_force`).
        reason: Why another set was used (e.g. "the resident was told the old bands in March").

    Returns:
        A refusal on field ``guidance_reason`` naming both sets and the date (or on field
        ``guidance`` for a set that does not exist), or None.
    """
    if not chosen_key or chosen_key == in_force.guidance.key:
        return None
    if chosen_key not in guidance_keys():
        known = ", ".join(load_guidance(k).name for k in guidance_keys())
        return Refusal(f"there is no guidance set {chosen_key!r}: use one of {known}", "7.4", "guidance")
    if reason.strip():
        return None
    chosen = load_guidance(chosen_key).name
    return Refusal(
        f"the calculation uses the {chosen}, but the {in_force.guidance.name} is the guidance "
        f"{in_force.because}: give the reason for using other guidance, or recalculate",
        "7.4",
        "guidance_reason",
    )


def _d(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _guidance(key: object) -> Guidance | None:
    if isinstance(key, str) and key in guidance_keys():
        try:
            return load_guidance(key)
        except GuidanceError:
            return None
    return None


def _money(pence: object) -> str:
    return format_pounds(pence) if isinstance(pence, int) and not isinstance(pence, bool) else "an amount not recorded"


_UNIT_WORDS = {"day": ("day", "days"), "week": ("week", "weeks"), "each": ("time", "times")}


def _line_words(line: dict, guidance: Guidance | None) -> str:
    item = guidance.item(str(line.get("item"))) if guidance else None
    label = item.label if item else "An item no longer in the guidance"
    amount = _money(line.get("amount_pence"))
    qty, rate, unit = line.get("quantity"), line.get("rate_pence"), line.get("unit")
    if isinstance(rate, int) and isinstance(qty, int) and unit in _UNIT_WORDS:
        one, many = _UNIT_WORDS[unit]
        per = "each" if unit == "each" else f"a {unit}"
        text = f"{label}: {qty} {one if qty == 1 else many} at {format_pounds(rate)} {per} = {amount}"
    else:
        text = f"{label}: {amount} entered by the officer"
    note = str(line.get("note") or "").strip()
    return text + (f" ({note})" if note else "")


def _band_words(band: dict, guidance: Guidance | None) -> str:
    found = guidance.band(str(band.get("band"))) if guidance else None
    label = f"{found.finding}, {found.impact.lower()}" if found else "A redress band no longer in the guidance"
    low, high = band.get("low_pence"), band.get("high_pence")
    if isinstance(low, int):
        span = (
            f"{format_pounds(low)} to {format_pounds(high)}"
            if isinstance(high, int)
            else f"{format_pounds(low)} or more"
        )
        where = "in the band" if band.get("within_band") else "outside the band"
        text = f"{label}: {_money(band.get('amount_pence'))}, {where} {span}"
    else:
        text = f"{label}: {_money(band.get('amount_pence'))}"
    reason = str(band.get("reason") or "").strip()
    return text + (f" (reason: {reason})" if reason else "")


def basis_in_words(basis: str) -> str:
    """A stored calculation basis (the calculator's JSON) in words, with labels, never codes.

    Args:
        basis: ``Calculation.basis`` as stored with the remedy ("" for one worked out by hand).

    Returns:
        E.g. "Loss of heating and hot water: 12 days at £15.00 a day = £180.00; total £180.00
        under the Housing Ombudsman's Compensation guidance 2026"; "" for no basis. Text that
        is not the calculator's JSON is returned as it is (it was written in words already).
    """
    if not basis.strip():
        return ""
    try:
        data = json.loads(basis)
    except ValueError:
        return basis
    if not isinstance(data, dict):
        return basis
    guidance = _guidance(data.get("guidance"))
    parts = [_line_words(line, guidance) for line in data.get("lines") or [] if isinstance(line, dict)]
    if isinstance(data.get("band"), dict):
        parts.append(_band_words(data["band"], guidance))
    name = f"the {guidance.name}" if guidance else "guidance no longer installed"
    parts.append(f"total {_money(data.get('total_pence'))} under {name}")
    return "; ".join(parts)


__all__ = [
    "KIND_LABEL",
    "GuidanceInForce",
    "guidance_name",
    "kind_label",
    "basis_in_words",
    "check_guidance_choice",
    "guidance_in_force",
]
