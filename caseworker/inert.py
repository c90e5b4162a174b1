"""Stored text made inert at each boundary where it leaves (or enters) the store.

One helper per boundary; every screen, command and export uses these and nothing else:

=====================  ==========================  ==============================================
boundary               helper                      what it does
=====================  ==========================  ==============================================
widgets (Textual)      :func:`text`, :func:`cell`  a ``rich.text.Text``, never parsed as markup,
                       :func:`join`,               control characters shown as visible marks
                       :func:`notify`,             (``widgets.table.Table`` applies :func:`cell`
                       :func:`highlighted`,        to every string cell; the App applies
                       :func:`markup_literal`      :func:`visible` to every notification)
terminal (CLI)         :func:`visible`,            the same marks; colour only when Rich says the
                       :func:`console`,            stream is a terminal that supports it
                       :func:`echo`
CSV                    :func:`csv_cell`,           OWASP neutralising of ``= + - @`` tab CR, one
                       :func:`csv_file`,           writer, UTF-8 with a byte-order mark;
                       :func:`csv_uncell`          :func:`csv_uncell` undoes it on import
Markdown               :func:`markdown`            HTML and Markdown syntax escaped
HTML                   :func:`html`                ``markupsafe.escape`` of the visible text
XML / letters (docx)   :func:`xml_text`            the C0 controls XML 1.0 forbids removed
input (forms, import)  :func:`clean`,              XML-forbidden controls removed, reporting
                       :func:`clean_fields`        which field changed
=====================  ==========================  ==============================================

"Control characters" here are C0 (U+0000-U+001F, tab and newline kept where lines are
allowed), DEL, C1 (U+0080-U+009F, including the 8-bit CSI U+009B) and the bidirectional
embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069), which can make
text read differently from what is stored ("Trojan Source"). Each is replaced by a visible
one-character mark: a C0 control by its Unicode Control Picture (ESC shows as ``␛``), the
others as ``�``. So ``ESC[2J`` reaches a terminal as ``␛[2J`` and clears nothing.

Importing this module imports only Rich (already loaded by Textual); csv, markupsafe and
the rest are imported when first used.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rich.text import Text

# -- visible marks ---------------------------------------------------------------------------

#: Bidirectional embedding/override/isolate characters (and the Arabic letter, LTR and RTL marks).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: The mark shown for a C1 control or a bidirectional control (one character, like the others).
REPLACEMENT = "\ufffd"


def _table(newline: str, tab: str, cr: str) -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20)}  # Control Pictures: ␀ ... ␛ ... ␟
    table[0x7F] = "\u2421"  # ␡
    table.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
    table.update({ord(ch): REPLACEMENT for ch in _BIDI})
    table.update({0x0A: newline, 0x09: tab, 0x0D: cr, 0x2028: newline, 0x2029: newline})
    return table


#: Text that may run over several lines: newline and tab kept, a lone CR shown as ␍.
_MULTI = _table("\n", "\t", "\u240d")
#: One line: newline (and CR) shown as ↵, tab as a space.
_LINE = _table("\u21b5", " ", "\u21b5")


def visible(value: object, *, multiline: bool = True) -> str:
    """``value`` as a string with every control character replaced by a visible mark.

    A C0 control shows as its Unicode Control Picture (ESC as ``␛``, so ``ESC[2J`` reaches a
    terminal as ``␛[2J`` and clears nothing), DEL as ``␡``, a C1 control (the 8-bit CSI
    U+009B among them) or a bidirectional control (U+202E and the like, "Trojan Source") as
    ``�``. Every mark is one character, so positions in the text do not move.

    Args:
        value: Any stored value; ``None`` gives ``""``, anything else goes through ``str``.
        multiline: Keep newlines and tabs (``\r\n`` becomes ``\n``; a lone ``\r`` shows as
            ``␍``). When False (a table cell, a one-line label) line breaks show as ``↵`` and
            tabs as a space.

    Returns:
        Text safe to write to a terminal or put in a widget: none of it is a control character.
    """
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    if "\r\n" in s:
        s = s.replace("\r\n", "\n")
    return s.translate(_MULTI if multiline else _LINE)


def sanitise(value: Text) -> Text:
    """A copy of a ``Text`` a screen built (styles and all) with control characters shown as
    visible marks, e.g. ``inert.sanitise(Text.assemble(("Resident: ", "dim"), name))``.
    Line breaks and tabs are kept."""
    out = value.copy()
    plain = out.plain
    safe = plain.translate(_MULTI)
    if safe != plain:
        out.plain = safe  # same length: every mark is one character, so the styles stay in place
    return out


# -- widgets (Textual / Rich) ---------------------------------------------------------------


def text(value: object, style: str = "", *, multiline: bool = True) -> Text:
    """A ``rich.text.Text`` showing ``value`` literally, for any Textual widget.

    ``Smith [/] Jones`` shows as written (never parsed as markup, so it cannot crash a
    widget or carry a ``[@click=...]`` action) and control characters show as visible marks.

    Args:
        value: The stored or typed text (``None`` shows as empty).
        style: A Rich style for the whole text, e.g. ``"bold"`` or ``"red"``.
        multiline: Keep line breaks (False for one-line places: see :func:`cell`).

    Returns:
        A Text to pass to ``Static``, ``Label``, ``update()``, ``add_row`` and the like.
    """
    return Text(visible(value, multiline=multiline), style=style, end="")


def cell(value: object, style: str = "") -> Text:
    """A one-line ``Text`` for a DataTable cell, option or tab label: line breaks show as ``↵``."""
    return text(value, style, multiline=False)


def join(*parts: Text | tuple[object, str] | object) -> Text:
    """One ``Text`` from pieces: a ``Text`` is kept as it is (styles and all), a
    ``(value, style)`` pair is made inert with that style, anything else is made inert plain.

    Lets a screen mix its own styled labels with stored text without writing markup::

        inert.join(("Resident: ", "bold"), detail.resident_name)
    """
    out = Text(end="")
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], str):
            out.append(visible(part[0]), style=part[1] or None)
        else:
            out.append(visible(part))
    return out


def notify(
    target, message: object, *, title: object = "", severity: str = "information", timeout: float | None = None
) -> None:
    """``target.notify(...)`` with the message shown literally (Textual parses a notification's
    message as markup unless told not to).

    Args:
        target: The App or any widget/screen (anything with ``notify``).
        message: The text; control characters are shown as visible marks.
        title: The notification's title (also made visible).
        severity: ``"information"``, ``"warning"`` or ``"error"``.
        timeout: Seconds on screen; None for Textual's default.
    """
    kwargs: dict[str, Any] = {"title": visible(title, multiline=False), "severity": severity, "markup": False}
    if timeout is not None:
        kwargs["timeout"] = timeout
    target.notify(visible(message), **kwargs)


def markup_literal(value: object) -> str:
    """``value`` escaped for the few Textual APIs that accept only a markup string (a
    ``SystemCommand``'s title and help, a palette ``Hit``'s help): brackets are escaped so it
    shows as written; control characters show as visible marks, on one line. Everywhere else
    pass a ``Text`` (:func:`text`) instead."""
    from textual.markup import escape

    return escape(visible(value, multiline=False))


def highlighted(value: object, matcher) -> Text:
    """A command-palette prompt: ``value`` shown literally, with the letters ``matcher`` (a
    ``textual.fuzzy.Matcher``) matched in bold (its own ``highlight`` would read markup)."""
    shown = visible(value, multiline=False)
    out = Text(shown, end="")
    try:
        _score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    except Exception:  # noqa: BLE001 - highlighting is decoration only
        return out
    for offset in offsets:
        if offset < len(shown) and not shown[offset].isspace():
            out.stylize("bold underline", offset, offset + 1)
    return out


# -- terminal (command line) ----------------------------------------------------------------


def console(stream: IO[str] | None = None, *, stderr: bool = False):
    """A Rich ``Console`` for command-line output that never interprets what it prints.

    Rich decides whether ``stream`` is a terminal that supports colour (``NO_COLOR``, ``TERM=dumb``
    and the Windows 10 console included); piped or redirected output gets no escape codes.
    Markup, emoji codes and highlighting are off and lines are never wrapped or padded.

    Args:
        stream: Where to write; default standard output (or standard error with ``stderr``).
        stderr: Write to standard error when no stream is given.
    """
    from rich.console import Console

    file = stream if stream is not None else (sys.stderr if stderr else sys.stdout)
    return Console(file=file, markup=False, emoji=False, highlight=False, soft_wrap=True)


def echo(
    *parts: Text | tuple[object, str] | object, file: IO[str] | None = None, style: str = "", err: bool = False
) -> None:
    """Print one line of command-line output, every stored part made inert.

    Args:
        parts: As for :func:`join`: ``Text`` kept, ``(value, style)`` styled, anything else plain.
        file: The stream (default standard output, or standard error with ``err``).
        style: A style for the whole line (shown only when the stream is a colour terminal).
        err: Write to standard error.
    """
    line = join(*parts)
    if style:
        line.stylize(style)
    console(file, stderr=err).print(line, crop=False, overflow="ignore", no_wrap=True)


def terminal(value: object) -> str:
    """Plain text for ``print`` or ``sys.stdout.write``: control characters shown as marks."""
    return visible(value)


# -- CSV --------------------------------------------------------------------------------------

#: Cell starts a spreadsheet reads as a formula or command (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile(r"'*[=+\-@\t\r]")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection).

    A string starting with ``= + - @``, tab or carriage return (after any single quotes) gets
    one more ``'`` in front, so ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``; exactly
    reversible with :func:`csv_uncell`. Numbers (``int``, ``float``, ``Decimal``) are written as
    numbers; ``None`` as an empty cell; ``True``/``False`` as ``true``/``false``.
    """
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if not isinstance(value, str):
        from decimal import Decimal

        if isinstance(value, (int, float, Decimal)):
            return value
        value = str(value)
    return "'" + value if _NEUTRALISED.match(value) else value


def csv_uncell(value: str) -> str:
    """The text :func:`csv_cell` was given: removes the one ``'`` it added (for importing an export)."""
    return value[1:] if value and value[0] == "'" and _NEUTRALISED.match(value, 1) else value


class CsvWriter:
    """``csv.writer`` that neutralises every cell (see :func:`csv_cell`)."""

    def __init__(self, fh: IO[str], **fmt) -> None:
        import csv

        self._writer = csv.writer(fh, **fmt)
        # Python's csv quotes a cell holding a carriage return only when the line terminator has
        # one; a row with such a cell is written fully quoted, so it stays one row in any reader.
        self._quoted = csv.writer(fh, **{**fmt, "quoting": csv.QUOTE_ALL})

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row, every cell neutralised."""
        cells = [csv_cell(v) for v in row]
        writer = self._quoted if any("\r" in c for c in cells if isinstance(c, str)) else self._writer
        writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows, every cell neutralised."""
        for row in rows:
            self.writerow(row)


#: The encoding of every CSV file the product writes: UTF-8 with a byte-order mark, so Excel
#: on Windows reads "Siân" and "£" correctly.
CSV_ENCODING = "utf-8-sig"


@contextmanager
def csv_file(path: str | Path) -> Iterator[CsvWriter]:
    """Open ``path`` for writing as CSV: UTF-8 with a byte-order mark, cells neutralised.

    Usage::

        with inert.csv_file(folder / "cases.csv") as writer:
            writer.writerow(["reference", "resident"])
            writer.writerows(rows)

    Raises:
        OSError: The file cannot be written (the caller says so; nothing half-written is
            promised: write to a temporary name and ``os.replace`` for that).
    """
    with open(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        yield CsvWriter(fh)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text (``\\n`` line ends), every cell neutralised, no byte-order mark
    (add it when writing the file: ``path.write_text(s, encoding=inert.CSV_ENCODING)``)."""
    import io

    buffer = io.StringIO()
    CsvWriter(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """Rows as the bytes of a CSV file: UTF-8 with a byte-order mark, cells neutralised."""
    return csv_text(rows).encode(CSV_ENCODING)


# -- JSON -----------------------------------------------------------------------------------

#: Characters JSON leaves raw with ``ensure_ascii=False`` that a terminal or editor may act on.
_JSON_ESCAPE = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *map(ord, _BIDI))}


def json_dumps(value: object) -> str:
    """``json.dumps(value, ensure_ascii=False)`` with DEL, C1, bidirectional controls and the
    line/paragraph separators escaped as ``\\uXXXX`` too (JSON already escapes C0): the
    same data when read back, nothing raw for a terminal when printed."""
    import json

    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPE)


# -- Markdown ---------------------------------------------------------------------------------

_MD_ALWAYS = re.compile(r"([\\`*_\[\]|~])")
#: What makes a line a heading, quote, list item or rule in CommonMark (escaped only there, so
#: "4.50", "-3" or "2025-26" stay as they are).
_MD_LINE_START = re.compile(
    r"^(\s*)(?:(\d{1,9})([.)])(?=\s|$)|()(#{1,6}|[-+*])(?=\s|$)|()(>)|()([=-])(?=[=-]*\s*$))", re.MULTILINE
)


def _md_line_start(m: re.Match[str]) -> str:
    lead, number = m.group(1), m.group(2) or ""
    mark = next(g for g in (m.group(3), m.group(5), m.group(7), m.group(9)) if g)
    return f"{lead}{number}\\{mark}"


def markdown(value: object, *, inline: bool = True) -> str:
    """``value`` as Markdown that renders literally: HTML and Markdown syntax escaped.

    ``<script>`` becomes ``&lt;script&gt;`` and ``&`` ``&amp;``; backslash, backtick, ``*``,
    ``_``, brackets, ``|`` and ``~`` are backslash-escaped, and so is anything that would
    start a heading, quote, list or rule at the start of a line. Control characters show as
    visible marks.

    Args:
        value: Stored text (``None`` gives ``""``).
        inline: For a table cell or a line: line breaks become ``<br>``. When False the
            lines are kept (a paragraph).
    """
    s = visible(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_ALWAYS.sub(r"\\\1", s)
    s = _MD_LINE_START.sub(_md_line_start, s)  # "1\. first", "\# heading", "\- item", "\> quote"
    if inline:
        s = s.replace("\t", " ").replace("\n", "<br>")
    return s


# -- HTML -------------------------------------------------------------------------------------


def html(value: object):
    """``value`` escaped for HTML (``markupsafe.escape``; the same escaping Jinja's autoescape
    does), control characters shown as visible marks. Returns ``markupsafe.Markup``."""
    from markupsafe import escape

    return escape(visible(value))


# -- XML (Word letters) and input cleaning ------------------------------------------------------

#: Characters XML 1.0 forbids (C0 controls other than tab, newline, CR; U+FFFE, U+FFFF;
#: unpaired surrogates). python-docx refuses them ("All strings must be XML compatible").
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    """``value`` with the characters XML 1.0 forbids removed, for a Word letter or any XML.

    Text stored before input was cleaned (e.g. Word's optional hyphen U+001F pasted into a
    complaint definition) still renders: the character is dropped, the rest is kept.
    """
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    return _XML_FORBIDDEN.sub("", s)


def clean(value: str | None) -> str | None:
    """Typed or imported text with the characters that cannot appear in a letter removed
    (the C0 controls XML 1.0 forbids, U+FFFE/U+FFFF, unpaired surrogates). Tab, newline,
    carriage return and everything printable are kept. ``None`` stays ``None``.

    Use at every input boundary (forms, import, services), with :func:`clean_fields` to tell
    the officer which field changed.
    """
    if value is None or not isinstance(value, str):
        return value
    return _XML_FORBIDDEN.sub("", value)


def needs_cleaning(value: str) -> bool:
    """True when :func:`clean` would change ``value`` (a quick test for a whole row or file)."""
    return _XML_FORBIDDEN.search(value) is not None


def clean_fields(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Clean every string in ``values`` (see :func:`clean`).

    Args:
        values: Field name (as the officer knows it, e.g. ``"Definition"``) to value.

    Returns:
        The cleaned values (non-strings unchanged) and the names of the fields that changed,
        in order, for :func:`cleaned_message`.
    """
    out: dict[str, Any] = {}
    changed: list[str] = []
    for name, value in values.items():
        cleaned = clean(value) if isinstance(value, str) else value
        if cleaned != value:
            changed.append(name)
        out[name] = cleaned
    return out, changed


def cleaned_message(fields: Iterable[str]) -> str:
    """What to tell the officer when :func:`clean_fields` changed something, or ``""``.

    e.g. ``"Removed invisible control characters (they cannot appear in a letter) from:
    Definition, Resident."``
    """
    names = [visible(f, multiline=False) for f in fields]
    if not names:
        return ""
    return "Removed invisible control characters (they cannot appear in a letter) from: " + ", ".join(names) + "."
