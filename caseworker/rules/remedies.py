"""Remedy calculator: financial redress worked out from a guidance set, with its basis kept.

Guidance is data, not code (SPEC rule 12): the sets live in ``rules/guidance/*.toml``
and are read through :mod:`importlib.resources`. Two sets ship:

* ``hos-remedies-2024``: the Housing Ombudsman's redress bands (used up to 31 March
  2026). The officer picks a band (a finding and an impact) and an amount in it, or
  records why the amount is outside it.
* ``hos-compensation-2026``: the Compensation guidance 2026 (from 1 April 2026). Fixed
  rates per day, per week or per occurrence, plus amounts the officer enters
  (quantified financial loss, discretionary distress and inconvenience) with a note.

Money is whole pence (``int``) everywhere; :func:`parse_pounds` and
:func:`format_pounds` convert to and from what people type and read. Every figure in
the data names its ``source`` and a ``status`` ("confirmed" or "secondary").

Example:
    >>> g = load_guidance("hos-compensation-2026")
    >>> calc = calculate(g, [LineInput("heating_and_hot_water", quantity=12)])
    >>> format_pounds(calc.total_pence)
    '£180.00'
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

#: The package folder holding the guidance data files.
GUIDANCE_FOLDER = "guidance"

#: Units a tariff item may be counted in. "amount" items have no rate: the officer
#: enters the sum.
UNITS = ("day", "week", "each", "amount")

#: Status of a figure: seen in a primary source, or only in a secondary summary.
STATUSES = ("confirmed", "secondary")

_UNIT_NOUNS = {"day": ("day", "days"), "week": ("week", "weeks"), "each": ("occurrence", "occurrences")}


class GuidanceError(ValueError):
    """A guidance data file is missing, malformed or inconsistent.

    Attributes:
        file: The data file's name.
        key: The key in the file at fault (e.g. ``items[2].rate_pence``).
        problem: What is wrong with it.
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"guidance file {file}: {key}: {problem}")
        self.file, self.key, self.problem = file, key, problem


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


# --------------------------------------------------------------------------- money


_POUNDS = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d*))?")


def parse_pounds(text: str) -> int:
    """Parse a sum of money typed by a person into whole pence.

    Accepts an optional ``£``, thousands commas and up to two decimal places:
    ``"£1,234.50"`` is 123450, ``"1234.5"`` is 123450, ``"1234"`` is 123400 and
    ``"£0.1"`` is 10. Spaces around the text and after the ``£`` are ignored.

    Args:
        text: What was typed.

    Returns:
        The amount in pence (zero or more).

    Raises:
        ValueError: Naming the problem: empty, negative, not a sum of money, or more
            than two decimal places.
        TypeError: ``text`` is not a string (e.g. a float, which is never money here).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_pounds takes text, not {type(text).__name__}")
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("enter an amount in pounds, e.g. £120.50")
    body = cleaned
    if body.startswith(("-", "−")):
        raise ValueError(f"{cleaned!r}: an amount must not be negative")
    body = body.removeprefix("£").lstrip()
    if body.startswith(("-", "−")):
        raise ValueError(f"{cleaned!r}: an amount must not be negative")
    match = _POUNDS.fullmatch(body)
    if not match or not (match["int"] or match["frac"]):
        raise ValueError(f"{cleaned!r} is not a sum of money: use digits, e.g. £1,234.50")
    frac = match["frac"]
    if frac is not None and frac == "":
        raise ValueError(f"{cleaned!r} is not a sum of money: digits must follow the decimal point")
    if frac is not None and len(frac) > 2:
        raise ValueError(f"{cleaned!r} has more than 2 decimal places: give pounds and pence, e.g. £12.34")
    pounds = int(match["int"].replace(",", "") or "0")
    pence = int((frac or "0").ljust(2, "0"))
    return pounds * 100 + pence


def format_pounds(pence: int) -> str:
    """Format whole pence as pounds, always with two decimals: 123450 is ``"£1,234.50"``.

    Args:
        pence: The amount in pence; a negative amount gets a leading minus (``"-£5.00"``).

    Raises:
        TypeError: ``pence`` is not an ``int`` (floats are refused).
    """
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"format_pounds takes whole pence (int), not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class TariffItem:
    """One compensation item of a guidance set.

    Attributes:
        key: Identifier used in inputs and the basis, e.g. ``"heating_and_hot_water"``.
        label: Shown to the officer, e.g. ``"Loss of heating and hot water"``.
        unit: ``"day"``, ``"week"``, ``"each"`` or ``"amount"`` (officer enters the sum).
        rate_pence: Pence per unit; None for ``"amount"`` items.
        source: Where the figure comes from.
        status: ``"confirmed"`` or ``"secondary"``.
        needs_reason: The line's note must be written (e.g. what the loss was).
        note_label: What the note is, for the form (e.g. ``"Why this amount"``).
        phrase: How the line reads in a letter, e.g. ``"without heating and hot water"``.
        phrase_plural: Plural of ``phrase`` for ``"each"`` items.
    """

    key: str
    label: str
    unit: str
    rate_pence: int | None
    source: str
    status: str
    needs_reason: bool = False
    note_label: str = "Note"
    phrase: str = ""
    phrase_plural: str = ""

    @property
    def rate_text(self) -> str:
        """The rate as read by a person: ``"£15.00 a day"``, ``"£15.00 each"``, ``"amount entered"``."""
        if self.rate_pence is None:
            return "amount entered"
        money = format_pounds(self.rate_pence)
        return f"{money} each" if self.unit == "each" else f"{money} a {self.unit}"


@dataclass(frozen=True)
class Band:
    """One redress band: a finding and impact mapped to a range of pounds.

    Attributes:
        key: Identifier used in :class:`BandChoice`, e.g. ``"maladministration_adverse"``.
        finding: The Ombudsman finding, e.g. ``"Maladministration"``.
        impact: The impact on the resident, e.g. ``"Significant impact"``.
        low_pence: Lowest amount in the band (inclusive).
        high_pence: Highest amount (inclusive); None for no upper limit, in which case
            the officer must always record why the amount chosen is right.
        source: Where the band comes from.
        status: ``"confirmed"`` or ``"secondary"``.
        description: Plain-English circumstances the band is for.
    """

    key: str
    finding: str
    impact: str
    low_pence: int
    high_pence: int | None
    source: str
    status: str
    description: str = ""

    @property
    def range_text(self) -> str:
        """The band's range: ``"£100.00 to £600.00"`` or ``"£1,000.00 or more"``."""
        if self.high_pence is None:
            return f"{format_pounds(self.low_pence)} or more"
        return f"{format_pounds(self.low_pence)} to {format_pounds(self.high_pence)}"

    def contains(self, pence: int) -> bool:
        """Whether ``pence`` lies within the band (both ends inclusive)."""
        return pence >= self.low_pence and (self.high_pence is None or pence <= self.high_pence)


@dataclass(frozen=True)
class Guidance:
    """A guidance set: its dates, items and bands.

    Attributes:
        key: The file's stem, e.g. ``"hos-compensation-2026"``.
        name: Title as it reads in a letter after "under the".
        effective_from: First date it applies (inclusive); None: every earlier date.
        effective_to: Last date it applies (inclusive); None: still in force.
        source: The guidance document itself.
        items: Tariff items (may be empty).
        bands: Redress bands (may be empty).
    """

    key: str
    name: str
    effective_from: date | None
    effective_to: date | None
    source: str
    items: tuple[TariffItem, ...] = ()
    bands: tuple[Band, ...] = ()

    def applies_on(self, day: date) -> bool:
        """Whether this guidance applies on ``day``."""
        day = _as_date(day)
        return (self.effective_from is None or day >= self.effective_from) and (
            self.effective_to is None or day <= self.effective_to
        )

    def item(self, key: str) -> TariffItem | None:
        """The item ``key``, or None."""
        return next((i for i in self.items if i.key == key), None)

    def band(self, key: str) -> Band | None:
        """The band ``key``, or None."""
        return next((b for b in self.bands if b.key == key), None)


_TOP_KEYS = {"key", "name", "source", "effective_from", "effective_to", "items", "bands"}
_ITEM_KEYS = {
    "key",
    "label",
    "unit",
    "rate_pence",
    "source",
    "status",
    "needs_reason",
    "note_label",
    "phrase",
    "phrase_plural",
}
_BAND_KEYS = {"key", "finding", "impact", "low_pence", "high_pence", "source", "status", "description"}


def _field(table: dict, name: str, path: str, file: str, kind: str, *, required: bool = True):
    where = f"{path}.{name}" if path else name
    if name not in table:
        if required:
            raise GuidanceError(file, where, "missing")
        return None
    value = table[name]
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise GuidanceError(file, where, f"must be non-empty text, not {value!r}")
        return value.strip()
    if kind == "pence":
        if isinstance(value, bool) or not isinstance(value, int):
            raise GuidanceError(file, where, f"must be whole pence (e.g. 1_500 for £15.00), not {value!r}")
        if value < 0:
            raise GuidanceError(file, where, f"must not be negative (got {value})")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise GuidanceError(file, where, f"must be true or false, not {value!r}")
        return value
    if kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise GuidanceError(file, where, f"must be a date (e.g. 2026-04-01), not {value!r}")
        return value
    raise AssertionError(kind)  # pragma: no cover


def _check_keys(table: object, allowed: set[str], path: str, file: str) -> dict:
    if not isinstance(table, dict):
        raise GuidanceError(file, path, "must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise GuidanceError(file, where, f"unknown key; allowed: {', '.join(sorted(allowed))}")
    return table


def _status(table: dict, path: str, file: str) -> str:
    status = _field(table, "status", path, file, "text")
    if status not in STATUSES:
        raise GuidanceError(file, f"{path}.status", f"must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


def _parse_item(table: object, path: str, file: str) -> TariffItem:
    table = _check_keys(table, _ITEM_KEYS, path, file)
    unit = _field(table, "unit", path, file, "text")
    if unit not in UNITS:
        raise GuidanceError(file, f"{path}.unit", f"must be one of {', '.join(UNITS)}, not {unit!r}")
    rate = _field(table, "rate_pence", path, file, "pence", required=unit != "amount")
    if unit == "amount" and rate is not None:
        raise GuidanceError(file, f"{path}.rate_pence", "an 'amount' item has no rate: the officer enters the sum")
    if rate == 0:
        raise GuidanceError(file, f"{path}.rate_pence", "must be more than zero")
    label = _field(table, "label", path, file, "text")
    phrase = _field(table, "phrase", path, file, "text", required=False) or label.lower()
    return TariffItem(
        key=_field(table, "key", path, file, "text"),
        label=label,
        unit=unit,
        rate_pence=rate,
        source=_field(table, "source", path, file, "text"),
        status=_status(table, path, file),
        needs_reason=bool(_field(table, "needs_reason", path, file, "bool", required=False)),
        note_label=_field(table, "note_label", path, file, "text", required=False) or "Note",
        phrase=phrase,
        phrase_plural=_field(table, "phrase_plural", path, file, "text", required=False) or f"{phrase}s",
    )


def _parse_band(table: object, path: str, file: str) -> Band:
    table = _check_keys(table, _BAND_KEYS, path, file)
    low = _field(table, "low_pence", path, file, "pence")
    high = _field(table, "high_pence", path, file, "pence", required=False)
    if high is not None and high < low:
        raise GuidanceError(file, f"{path}.high_pence", f"is below low_pence ({high} < {low})")
    return Band(
        key=_field(table, "key", path, file, "text"),
        finding=_field(table, "finding", path, file, "text"),
        impact=_field(table, "impact", path, file, "text"),
        low_pence=low,
        high_pence=high,
        source=_field(table, "source", path, file, "text"),
        status=_status(table, path, file),
        description=_field(table, "description", path, file, "text", required=False) or "",
    )


def _parse_list(data: dict, name: str, file: str, parse) -> tuple:
    tables = data.get(name, [])
    if not isinstance(tables, list):
        raise GuidanceError(file, name, "must be an array of tables ([[" + name + "]])")
    return tuple(parse(t, f"{name}[{i}]", file) for i, t in enumerate(tables))


def parse_guidance(text: str, file: str = "<guidance>") -> Guidance:
    """Parse one guidance file's text.

    Args:
        text: The TOML text.
        file: The file's name, for error messages.

    Raises:
        GuidanceError: Naming the file and the key at fault.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GuidanceError(file, "(file)", f"not valid TOML: {exc}") from None
    _check_keys(data, _TOP_KEYS, "", file)
    effective_from = _field(data, "effective_from", "", file, "date", required=False)
    effective_to = _field(data, "effective_to", "", file, "date", required=False)
    if effective_from and effective_to and effective_to < effective_from:
        raise GuidanceError(file, "effective_to", f"is before effective_from ({effective_to} < {effective_from})")
    items = _parse_list(data, "items", file, _parse_item)
    bands = _parse_list(data, "bands", file, _parse_band)
    if not items and not bands:
        raise GuidanceError(file, "items", "the file has neither [[items]] nor [[bands]]")
    seen: dict[str, str] = {}
    for kind, entries in (("items", items), ("bands", bands)):
        for i, entry in enumerate(entries):
            if entry.key in seen:
                raise GuidanceError(file, f"{kind}[{i}].key", f"{entry.key!r} is already used by {seen[entry.key]}")
            seen[entry.key] = f"{kind}[{i}]"
    return Guidance(
        key=_field(data, "key", "", file, "text"),
        name=_field(data, "name", "", file, "text"),
        effective_from=effective_from,
        effective_to=effective_to,
        source=_field(data, "source", "", file, "text"),
        items=items,
        bands=bands,
    )


def _folder():
    return resources.files("caseworker.rules") / GUIDANCE_FOLDER


def guidance_keys() -> list[str]:
    """The keys (file stems) of the shipped guidance sets, sorted."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _folder().iterdir()
        if entry.is_file() and entry.name.endswith(".toml")
    )


_cache: dict[str, Guidance] = {}


def load_guidance(key: str) -> Guidance:
    """Load the guidance set ``key`` (e.g. ``"hos-compensation-2026"``).

    Raises:
        GuidanceError: No such set, or its file is malformed (names file and key).
    """
    if key in _cache:
        return _cache[key]
    keys = guidance_keys()
    file = f"{key}.toml"
    if key not in keys:
        raise GuidanceError(file, "key", f"no guidance set named {key!r}; known: {', '.join(keys)}")
    guidance = parse_guidance((_folder() / file).read_text(encoding="utf-8"), file)
    if guidance.key != key:
        raise GuidanceError(file, "key", f"says {guidance.key!r} but the file is named {file}")
    _cache[key] = guidance
    return guidance


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def guidance_for(day: date) -> Guidance:
    """The guidance set that applies on ``day`` (e.g. the date of the offer).

    The redress bands (``hos-remedies-2024``) apply up to 31 March 2026 and the
    Compensation guidance 2026 from 1 April 2026.

    Raises:
        RemedyError: (field ``"date"``) no set, or more than one, applies on ``day``.
    """
    day = _as_date(day)
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
