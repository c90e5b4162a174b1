"""Remedy calculator: financial redress worked out from a guidance set, with its basis kept.

The guidance sets (their items, bands and dates) are :mod:`caseworker.rules.guidance_sets`;
money is whole pence (:mod:`caseworker.rules.money`). :func:`calculate` turns the items and
band an officer chose into a total, an itemised breakdown, a rationale for the letter and
the basis (JSON) to keep with the offer; :class:`RemedyError` names the field at fault.

Example:
    >>> from caseworker.rules.guidance_sets import load_guidance
    >>> g = load_guidance("hos-compensation-2026")
    >>> calc = calculate(g, [LineInput("heating_and_hot_water", quantity=12)])
    >>> format_pounds(calc.total_pence)
    '£180.00'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from caseworker.rules.guidance_sets import Guidance, as_date, guidance_keys, load_guidance
from caseworker.rules.money import format_pounds

_UNIT_NOUNS = {"day": ("day", "days"), "week": ("week", "weeks"), "each": ("occurrence", "occurrences")}


class RemedyError(ValueError):
    """The calculator refuses an input; says which field so a form can highlight it.

    Attributes:
        field: The field at fault: ``"lines"`` (nothing chosen), ``"item"``,
            ``"quantity"``, ``"amount"``, ``"note"``, ``"band"``, ``"band_amount"``,
            ``"band_reason"`` or ``"date"``.
        message: A plain-English explanation, also the exception's text.
        index: For a line's field, the line's position in the input (0-based), else None.
        item_key: For a line's field, the item key it named, else None.
    """

    def __init__(self, field: str, message: str, *, index: int | None = None, item_key: str | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.index, self.item_key = field, message, index, item_key


def guidance_for(day: date) -> Guidance:
    """The guidance set that applies on ``day`` (e.g. the date of the offer).

    The redress bands (``hos-remedies-2024``) apply up to 31 March 2026 and the
    Compensation guidance 2026 from 1 April 2026.

    Raises:
        RemedyError: (field ``"date"``) no set, or more than one, applies on ``day``.
    """
    day = as_date(day)
    found = [g for g in map(load_guidance, guidance_keys()) if g.applies_on(day)]
    if len(found) != 1:
        problem = (
            "no guidance set applies"
            if not found
            else "more than one guidance set applies (" + ", ".join(g.key for g in found) + ")"
        )
        raise RemedyError("date", f"{problem} on {day.isoformat()}")
    return found[0]


# --------------------------------------------------------------------------- calculation


@dataclass(frozen=True)
class LineInput:
    """One item the officer chose.

    Attributes:
        item_key: A :class:`TariffItem` key of the guidance.
        quantity: Whole days, weeks or occurrences (at least 1); must be 1 for an
            ``"amount"`` item. A ``"week"`` item is counted in weeks, not days.
        amount_pence: The sum for an ``"amount"`` item; must be None otherwise.
        note: Free text kept with the line; required where the item ``needs_reason``.
    """

    item_key: str
    quantity: int = 1
    amount_pence: int | None = None
    note: str = ""


@dataclass(frozen=True)
class BandChoice:
    """The band chosen and the amount in it.

    Attributes:
        band_key: A :class:`Band` key of the guidance.
        amount_pence: The amount chosen.
        reason: Why; required when the amount is outside the band or the band has no
            upper limit.
    """

    band_key: str
    amount_pence: int
    reason: str = ""


@dataclass(frozen=True)
class BreakdownLine:
    """One line of a calculation.

    Attributes:
        key: The item or band key.
        label: The item's label, or ``"<finding>: <impact>"`` for a band.
        quantity: Units counted (1 for entered amounts and bands).
        unit: ``"day"``, ``"week"``, ``"each"``, ``"amount"`` or ``"band"``.
        rate_pence: Pence per unit, or None for an entered amount or band.
        amount_pence: The line's sum.
        note: The officer's note or reason, if any.
        basis: How the sum was reached, including the source and its status.
    """

    key: str
    label: str
    quantity: int
    unit: str
    rate_pence: int | None
    amount_pence: int
    note: str
    basis: str


@dataclass(frozen=True)
class Calculation:
    """The result of :func:`calculate`.

    Attributes:
        guidance_key: The guidance set used.
        total_pence: The sum of the lines.
        lines: The breakdown, in input order (band last).
        rationale: Plain English for a letter, naming every line and the total.
        basis: JSON text of the inputs, rates, sources and total, to keep with the offer.
    """

    guidance_key: str
    total_pence: int
    lines: tuple[BreakdownLine, ...]
    rationale: str
    basis: str


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _clean_note(text: object, field: str, index: int | None, key: str | None) -> str:
    if not isinstance(text, str):
        raise RemedyError(field, "the note must be text", index=index, item_key=key)
    return text.strip()


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _line(guidance: Guidance, index: int, line: LineInput) -> tuple[BreakdownLine, str, dict]:
    key = line.item_key
    item = guidance.item(key)
    if item is None:
        known = ", ".join(i.key for i in guidance.items) or "none"
        raise RemedyError(
            "item", f"unknown item {key!r} in {guidance.name} (items: {known})", index=index, item_key=key
        )

    def err(field: str, message: str) -> RemedyError:
        return RemedyError(field, message, index=index, item_key=key)

    note = _clean_note(line.note, "note", index, key)
    if item.needs_reason and not note:
        raise err("note", f"{item.label}: enter {item.note_label.lower()}")
    if not _is_whole(line.quantity):
        raise err("quantity", f"{item.label}: the quantity must be a whole number, not {line.quantity!r}")
    if line.quantity < 1:
        raise err("quantity", f"{item.label}: the quantity must be at least 1 (got {line.quantity})")
    source = f"{item.source} [{item.status}]"
    if item.unit == "amount":
        if line.amount_pence is None:
            raise err("amount", f"{item.label}: enter the amount")
        if not _is_whole(line.amount_pence):
            raise err("amount", f"{item.label}: the amount must be whole pence, not {line.amount_pence!r}")
        if line.amount_pence <= 0:
            raise err(
                "amount", f"{item.label}: the amount must be more than £0.00 (got {format_pounds(line.amount_pence)})"
            )
        if line.quantity != 1:
            raise err("quantity", f"{item.label}: an entered amount has no quantity; enter the total instead")
        amount = line.amount_pence
        basis = f"{format_pounds(amount)} entered by the officer; {source}"
        text = f"{format_pounds(amount)} {item.phrase}" + (f" ({note.rstrip('. ')})" if note else "")
    else:
        if line.amount_pence is not None:
            raise err(
                "amount",
                f"{item.label}: the amount is set by the guidance at {item.rate_text}; enter the quantity only",
            )
        assert item.rate_pence is not None
        amount = item.rate_pence * line.quantity
        one, many = _UNIT_NOUNS[item.unit]
        counted = f"{line.quantity} {_plural(line.quantity, one, many)}"
        basis = f"{counted} × {item.rate_text} = {format_pounds(amount)}; {source}"
        if item.unit == "each":
            what = f"{line.quantity} {_plural(line.quantity, item.phrase, item.phrase_plural)}"
        else:
            what = f"{counted} {item.phrase}"
        if note:
            what += f" ({note.rstrip('. ')})"
        text = f"{what} at {item.rate_text} ({format_pounds(amount)})"
    record = {
        "item": item.key,
        "quantity": line.quantity,
        "unit": item.unit,
        "rate_pence": item.rate_pence,
        "amount_pence": amount,
        "note": note,
        "status": item.status,
        "source": item.source,
    }
    return (
        BreakdownLine(item.key, item.label, line.quantity, item.unit, item.rate_pence, amount, note, basis),
        text,
        record,
    )


def _band_line(guidance: Guidance, choice: BandChoice) -> tuple[BreakdownLine, str, dict]:
    band = guidance.band(choice.band_key)
    if band is None:
        owner = next((k for k in guidance_keys() if k != guidance.key and load_guidance(k).band(choice.band_key)), None)
        if owner:
            message = f"band {choice.band_key!r} belongs to {owner}, not to {guidance.key}"
        elif not guidance.bands:
            message = f"{guidance.name} has no redress bands; choose items instead"
        else:
            message = f"unknown band {choice.band_key!r} in {guidance.name} (bands: {', '.join(b.key for b in guidance.bands)})"
        raise RemedyError("band", message)
    amount = choice.amount_pence
    if not _is_whole(amount):
        raise RemedyError("band_amount", f"the amount must be whole pence, not {amount!r}")
    if amount <= 0:
        raise RemedyError("band_amount", f"the amount must be more than £0.00 (got {format_pounds(amount)})")
    reason = _clean_note(choice.reason, "band_reason", None, None)
    within = band.contains(amount)
    if not within and not reason:
        raise RemedyError(
            "band_reason",
            f"{format_pounds(amount)} is outside the band {band.range_text}: record why, or choose an amount in the band",
        )
    if band.high_pence is None and not reason:
        raise RemedyError(
            "band_reason", f"the band {band.range_text} has no upper limit: record why {format_pounds(amount)} is right"
        )
    label = f"{band.finding}: {band.impact}"
    if within:
        position = f"in the band {band.range_text}"
    else:
        position = f"{'below' if amount < band.low_pence else 'above'} the band {band.range_text}"
    source = f"{band.source} [{band.status}]"
    basis = f"{format_pounds(amount)} {position}; {source}" + (f"; reason: {reason}" if reason else "")
    text = (
        f"{format_pounds(amount)} for {band.finding[0].lower()}{band.finding[1:]} ({band.impact.lower()}), {position}"
    )
    if reason:
        text += f" (reason: {reason.rstrip('. ')})"
    record = {
        "band": band.key,
        "amount_pence": amount,
        "low_pence": band.low_pence,
        "high_pence": band.high_pence,
        "within_band": within,
        "reason": reason,
        "status": band.status,
        "source": band.source,
    }
    return BreakdownLine(band.key, label, 1, "band", None, amount, reason, basis), text, record


def calculate(guidance: Guidance, lines: Sequence[LineInput] = (), band: BandChoice | None = None) -> Calculation:
    """Work out the financial redress under ``guidance``.

    Args:
        guidance: The guidance set (see :func:`load_guidance`, :func:`guidance_for`).
        lines: The items chosen, each with its quantity or entered amount.
        band: The redress band and amount chosen, if the guidance has bands.

    Returns:
        The total, the breakdown, a rationale for the letter and the basis to keep.

    Raises:
        RemedyError: Nothing chosen; an unknown item; a quantity that is not a whole
            number of at least 1; an entered amount missing, not positive or given for a
            fixed-rate item; a required note missing; a band not in this guidance; a band
            amount outside the band (or in an open band) without a reason.
    """
    if not isinstance(guidance, Guidance):
        raise TypeError(f"calculate needs a Guidance, not {type(guidance).__name__}")
    if not lines and band is None:
        raise RemedyError("lines", "choose at least one item")
    results = [_line(guidance, i, line) for i, line in enumerate(lines)]
    band_result = _band_line(guidance, band) if band is not None else None
    if band_result:
        results.append(band_result)
    total = sum(r[0].amount_pence for r in results)
    rationale = (
        f"We have calculated {format_pounds(total)} under the {guidance.name}: "
        + "; ".join(r[1] for r in results)
        + "."
    )
    basis = json.dumps(
        {
            "guidance": guidance.key,
            "guidance_source": guidance.source,
            "lines": [r[2] for r in results[: len(lines)]],
            "band": band_result[2] if band_result else None,
            "total_pence": total,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return Calculation(guidance.key, total, tuple(r[0] for r in results), rationale, basis)
