"""Which tracker column holds which field.

Every field has a name (what ``--map "Header=field"`` uses) and the column headers councils
use for it (:data:`FIELDS`; the README's table is made from it). A header is matched
case-insensitively, with punctuation, spaces, underscores and hyphens alike. A column that
is neither known nor mapped is ignored, and said to be, before anything is stored.

A saved mapping file holds one ``Header = field`` per line (``#`` starts a comment), the
same as ``--map``; the field ``ignore`` marks a column as deliberately left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from caseworker.rules.facts import CaseType, Decision


@dataclass(frozen=True)
class Field:
    """One thing a tracker column can hold: its name, what it means and the headers that name it."""

    name: str
    meaning: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # "text", "date", "days"


FIELDS: tuple[Field, ...] = (
    Field(
        "reference",
        "the case reference (one is made when blank)",
        (
            "ref",
            "ref no",
            "case ref",
            "case reference",
            "complaint ref",
            "complaint reference",
            "reference number",
            "case number",
            "case no",
            "complaint number",
            "complaint no",
            "case id",
            "id",
        ),
    ),
    Field(
        "case type",
        "complaint, MP enquiry or councillor enquiry (blank: complaint)",
        ("type", "complaint type", "enquiry type", "case kind", "kind", "type of case"),
    ),
    Field(
        "resident",
        "the resident's name (required)",
        (
            "name",
            "resident name",
            "customer",
            "customer name",
            "complainant",
            "complainant name",
            "tenant",
            "tenant name",
            "full name",
            "client name",
        ),
    ),
    Field("address", "the resident's address", ("property", "property address", "tenancy address", "resident address")),
    Field("email", "the resident's email address", ("e mail", "email address", "e mail address", "contact email")),
    Field(
        "phone",
        "the resident's phone number",
        (
            "telephone",
            "tel",
            "tel no",
            "contact no",
            "contact number",
            "phone number",
            "phone no",
            "mobile",
            "mobile number",
            "telephone number",
            "contact phone",
        ),
    ),
    Field(
        "received",
        "the date the resident complained (required; every clock runs from it)",
        (
            "date received",
            "received date",
            "received on",
            "date complaint received",
            "complaint date",
            "date of complaint",
            "date raised",
            "complaint received",
        ),
        "date",
    ),
    Field(
        "channel",
        "how it came in (email, phone, letter, web form, in person)",
        ("how received", "method", "contact method", "source", "received via", "method of contact"),
    ),
    Field(
        "service area", "the service the complaint is about", ("service", "department", "team", "directorate", "area")
    ),
    Field("category", "what kind of complaint", ("subject", "complaint category", "issue type", "topic")),
    Field(
        "description",
        "what the resident said",
        (
            "complaint",
            "complaint details",
            "details",
            "summary",
            "what the resident said",
            "complaint summary",
            "nature of complaint",
            "complaint description",
            "description of complaint",
            "complaint text",
        ),
    ),
    Field("stage", "1 or 2 (blank: worked out from the Stage 2 columns)", ("current stage", "complaint stage")),
    Field(
        "stage 1 officer",
        "who handles Stage 1 (login or full name)",
        (
            "officer",
            "case officer",
            "handling officer",
            "investigating officer",
            "assigned to",
            "owner",
            "stage 1 handler",
            "responsible officer",
        ),
    ),
    Field(
        "acknowledged",
        "the date Stage 1 was acknowledged",
        (
            "date acknowledged",
            "acknowledged date",
            "acknowledgement date",
            "acknowledgment date",
            "ack date",
            "date ack",
            "stage 1 acknowledged",
            "stage 1 acknowledgement date",
            "stage 1 ack date",
            "stage 1 date acknowledged",
        ),
        "date",
    ),
    Field(
        "stage 1 response",
        "the date the Stage 1 response was sent",
        (
            "stage 1 response date",
            "stage 1 responded",
            "stage 1 response sent",
            "stage 1 reply date",
            "response date",
            "date responded",
            "date of response",
            "responded",
            "response sent",
            "stage 1 date responded",
        ),
        "date",
    ),
    Field(
        "extension",
        "Stage 1 extension, in working days (or give the extended due date)",
        (
            "extension working days",
            "extension days",
            "stage 1 extension",
            "stage 1 extension working days",
            "stage 1 extension days",
            "extended by",
            "extension wd",
        ),
        "days",
    ),
    Field(
        "extended due date",
        "the new Stage 1 due date agreed with the resident",
        (
            "extension date",
            "new due date",
            "extended to",
            "revised due date",
            "stage 1 extended due date",
            "extended date",
            "extended deadline",
        ),
        "date",
    ),
    Field("extension reason", "why Stage 1 was extended", ("reason for extension", "stage 1 extension reason")),
    Field(
        "extension agreed",
        "the date the resident was told of the Stage 1 extension",
        (
            "extension agreed date",
            "date extension agreed",
            "extension notified",
            "resident told of extension",
            "stage 1 extension agreed",
        ),
        "date",
    ),
    Field(
        "stage 2 requested",
        "the date the resident asked to escalate",
        (
            "escalation date",
            "date escalated",
            "escalated",
            "escalation requested",
            "escalation request date",
            "stage 2 request date",
            "stage 2 requested date",
            "date escalation requested",
            "stage 2 date requested",
        ),
        "date",
    ),
    Field(
        "stage 2 officer",
        "who handles Stage 2 (not the Stage 1 officer, Code 6.13)",
        ("stage 2 handler", "reviewing officer", "stage 2 reviewer"),
    ),
    Field(
        "stage 2 acknowledged",
        "the date the escalation was acknowledged",
        (
            "stage 2 ack date",
            "stage 2 acknowledgement date",
            "stage 2 acknowledgment date",
            "stage 2 date acknowledged",
            "stage 2 acknowledged date",
        ),
        "date",
    ),
    Field(
        "stage 2 response",
        "the date the Stage 2 (final) response was sent",
        (
            "stage 2 response date",
            "stage 2 responded",
            "stage 2 response sent",
            "final response date",
            "stage 2 date responded",
            "stage 2 reply date",
        ),
        "date",
    ),
    Field(
        "stage 2 extension",
        "Stage 2 extension, in working days (or give the extended due date)",
        ("stage 2 extension working days", "stage 2 extension days", "stage 2 extended by"),
        "days",
    ),
    Field(
        "stage 2 extended due date",
        "the new Stage 2 due date agreed with the resident",
        ("stage 2 extension date", "stage 2 new due date", "stage 2 extended to", "stage 2 revised due date"),
        "date",
    ),
    Field("stage 2 extension reason", "why Stage 2 was extended", ("stage 2 reason for extension",)),
    Field(
        "stage 2 extension agreed",
        "the date the resident was told of the Stage 2 extension",
        ("stage 2 extension agreed date", "stage 2 extension notified"),
        "date",
    ),
    Field(
        "outcome",
        "the current stage's decision: upheld, partly upheld, not upheld, or withdrawn",
        ("decision", "result", "stage 1 outcome", "finding"),
    ),
    Field(
        "logged",
        "the date the complaint was logged, when later than received (3.2: clocks run from received)",
        ("date logged", "logged date", "logged on", "date recorded", "recorded on"),
        "date",
    ),
)

#: The field name that marks a column as deliberately not imported.
IGNORE = "ignore"
#: Field names in the order rows are checked (the checker picks the cells in this order).
COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS)
REQUIRED_COLUMNS = ("resident", "received")
DATE_COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind == "date")

#: Outcome words accepted in the ``outcome`` column, to the decision (or withdrawal) they mean.
OUTCOMES = {
    "upheld": Decision.UPHELD.value,
    "partly upheld": Decision.PARTLY_UPHELD.value,
    "partially upheld": Decision.PARTLY_UPHELD.value,
    "part upheld": Decision.PARTLY_UPHELD.value,
    "not upheld": Decision.NOT_UPHELD.value,
    "withdrawn": "withdrawn",
}

#: Case type words (folded) to the type they mean.
CASE_TYPES = {
    **dict.fromkeys(
        ("complaint", "complaints", "formal complaint", "stage 1 complaint", "c", "service complaint"),
        CaseType.COMPLAINT.value,
    ),
    **dict.fromkeys(
        (
            "mp enquiry",
            "mp inquiry",
            "mp",
            "mps enquiry",
            "mp s enquiry",
            "mp letter",
            "mp complaint",
            "member of parliament",
            "member of parliament enquiry",
            "mp enq",
            "mp referral",
        ),
        CaseType.MP_ENQUIRY.value,
    ),
    **dict.fromkeys(
        (
            "councillor enquiry",
            "councillor inquiry",
            "councillor",
            "cllr",
            "cllr enquiry",
            "cllr inquiry",
            "member enquiry",
            "members enquiry",
            "member s enquiry",
            "councillor complaint",
            "cllr enq",
            "ward councillor",
            "elected member enquiry",
        ),
        CaseType.COUNCILLOR_ENQUIRY.value,
    ),
    **{t.value.replace("-", " "): t.value for t in CaseType},
}

_BY_NAME = {f.name: f for f in FIELDS}


def fold(header: str) -> str:
    """A header or value folded for matching: lower case, punctuation and separators as single spaces.

    ``"Stage1 Response-Date"`` and ``"stage 1 response date"`` fold alike; so do ``"Contact No."``
    and ``"contact no"``, ``"MP's Enquiry"`` and ``"mp s enquiry"``.
    """
    words = re.sub(r"[^\w]+|_", " ", header.strip().lower().replace("#", " no ")).strip()
    words = re.sub(r"\b(?:stage|s)\s?([12])\b", r"stage \1", words)
    return re.sub(r"\s+", " ", words)


_ALIASES: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (_field.name, *_field.aliases):
        _ALIASES.setdefault(fold(_alias), _field.name)


def column_key(header: str) -> str:
    """The field a header names, or the folded header when it names none."""
    folded = fold(header)
    return _ALIASES.get(folded, folded)


class MappingError(ValueError):
    """A ``--map`` or mapping-file entry that cannot be used; the message names it and why."""


@dataclass(frozen=True)
class ColumnMapping:
    """How a file's columns map to fields: ``index[field]`` is the column position.

    ``columns`` lists every header with the field it went to, ``"ignore"`` or ``""`` when
    it matched nothing (both ignored); ``duplicates`` the headers naming a field already taken.
    """

    index: dict[str, int]
    columns: tuple[tuple[str, str, str], ...]  # (header, field or "" / "ignore", how: "known", "mapped", "")
    duplicates: tuple[tuple[str, str], ...]  # (header, field it also names)

    @property
    def ignored(self) -> list[str]:
        """The headers of columns not imported (unknown or mapped to ``ignore``), blank headers as ``(column N)``."""
        return [h for h, f, _ in self.columns if f in ("", IGNORE)]

    def missing(self) -> list[str]:
        """Required fields no column holds."""
        return [c for c in REQUIRED_COLUMNS if c not in self.index]


def parse_map(entries: Iterable[str], where: str = "--map") -> dict[str, str]:
    """``"Header=field"`` entries to {folded header: field name}.

    Raises:
        MappingError: an entry without ``=``, or naming a field that does not exist (the
            message lists the fields).
    """
    mapping: dict[str, str] = {}
    for entry in entries:
        header, sep, name = entry.partition("=")
        if not sep or not header.strip():
            raise MappingError(f'{where}: {entry!r} is not Header=field (e.g. "Contact No=phone")')
        target = fold(name)
        field_name = IGNORE if target == IGNORE else _ALIASES.get(target)
        if field_name is None:
            raise MappingError(f"{where}: {name.strip()!r} is not a field; use one of: {', '.join(COLUMNS)}, or ignore")
        mapping[fold(header)] = field_name
    return mapping


def read_map_file(path: str | Path) -> dict[str, str]:
    """A saved mapping file (one ``Header = field`` per line, ``#`` comments) as :func:`parse_map` gives.

    Raises:
        MappingError: the file cannot be read, or a line is not a mapping (naming the line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"--mapping: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    mapping: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith('"') else line.strip()
        if line:
            mapping.update(parse_map([line.replace('"', "")], f"{path.name} line {n}"))
    return mapping


def map_columns(header: Sequence[str], overrides: dict[str, str] | None = None) -> ColumnMapping:
    """Match each header to a field: an override (``--map`` or the mapping file) first, then the known names."""
    overrides = overrides or {}
    index: dict[str, int] = {}
    columns: list[tuple[str, str, str]] = []
    duplicates: list[tuple[str, str]] = []
    for i, raw in enumerate(header):
        shown = raw.strip() or f"(column {i + 1}, no header)"
        folded = fold(raw)
        if folded in overrides:
            target, how = overrides[folded], "mapped"
        else:
            target, how = _ALIASES.get(folded, ""), "known"
        if not target:
            columns.append((shown, "", ""))
        elif target == IGNORE:
            columns.append((shown, IGNORE, how))
        elif target in index:
            duplicates.append((shown, target))
            columns.append((shown, "", ""))
        else:
            index[target] = i
            columns.append((shown, target, how))
    return ColumnMapping(index, tuple(columns), tuple(duplicates))


def mapping_file_text(mapping: ColumnMapping) -> str:
    """A mapping file that maps these columns the same way next time (unknown ones as ``ignore``)."""
    lines = ["# caseworker tracker mapping: one 'Header = field' per line; fields are in the README"]
    for header, target, _ in mapping.columns:
        if not header.startswith("(column "):
            lines.append(f"{header} = {target or IGNORE}")
    return "\n".join(lines) + "\n"


def field_table() -> str:
    """The fields and their known headers as a Markdown table (the README's)."""
    rows = ["| field | holds | headers recognised (any case, punctuation ignored) |", "|---|---|---|"]
    for f in FIELDS:
        rows.append(f"| `{f.name}` | {f.meaning} | {', '.join(f.aliases)} |")
    return "\n".join(rows)


def field_named(name: str) -> Field:
    """The :class:`Field` called ``name``."""
    return _BY_NAME[name]
