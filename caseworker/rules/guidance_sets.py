"""Guidance sets: the Housing Ombudsman's remedy guidance as data (SPEC rule 12).

The sets live in ``rules/guidance/*.toml`` and are read through :mod:`importlib.resources`.
Two ship:

* ``hos-remedies-2024``: the Housing Ombudsman's redress bands (used up to 31 March
  2026). The officer picks a band (a finding and an impact) and an amount in it, or
  records why the amount is outside it.
* ``hos-compensation-2026``: the Compensation guidance 2026 (from 1 April 2026). Fixed
  rates per day, per week or per occurrence, plus amounts the officer enters
  (quantified financial loss, discretionary distress and inconvenience) with a note.

Every figure in the data names its ``source`` and a ``status`` ("confirmed" or
"secondary"). A malformed file is refused naming the file and the key
(:class:`GuidanceError`). The calculator over these sets is
:mod:`caseworker.rules.remedy_calculator`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

from caseworker.rules.money import format_pounds

#: The package folder holding the guidance data files.
GUIDANCE_FOLDER = "guidance"

#: Units a tariff item may be counted in. "amount" items have no rate: the officer
#: enters the sum.
UNITS = ("day", "week", "each", "amount")

#: Status of a figure: seen in a primary source, or only in a secondary summary.
STATUSES = ("confirmed", "secondary")


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
        day = as_date(day)
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


def as_date(day: date) -> date:
    """The day of ``day``: a datetime is cut to its date, a date is returned as it is."""
    return day.date() if isinstance(day, datetime) else day
