"""Reading a tracker file: an Excel workbook (.xlsx, streamed) or CSV text in the encodings
Excel writes, and the dates in it as people type them and Excel writes them.

:func:`open_sheet` looks at the file's first bytes to tell what it is, refuses what it
cannot read with the cause (an old .xls workbook, a PDF, a zip archive, binary data, UTF-16
without a byte-order mark), and returns a :class:`Sheet`: the header and an iterator of
``(line, cells)`` that reads the file as it goes (never the whole file at once). Cells are
always text: Excel's date cells come as ISO text (``2025-04-03`` or ``2025-04-03 10:30:00``),
numbers as their digits.

:func:`parse_date` reads one date, UK day-first always.
"""

from __future__ import annotations

import codecs
import csv
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain
from pathlib import Path
from typing import Self

from caseworker.inert import csv_uncell
from caseworker.rules import typed

#: Bytes read to tell what a file is.
_SNIFF = 8192
#: Bytes of the file checked at a time for its encoding.
_CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as a tracker; the message names the cause and what to do."""


@dataclass
class Sheet:
    """An open tracker: what it is (``kind``, e.g. "CSV, UTF-16"), its header and its rows.

    ``rows`` yields ``(line, cells)``: the line (CSV) or row (Excel) number a person would
    look for, and the cells as text. Close it (or use it in a ``with``) when done.
    """

    kind: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    _close: list = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Close the file."""
        for close in self._close:
            close()
        self._close.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_sheet(path: str | Path) -> Sheet:
    """Open a tracker file: .xlsx, or CSV (comma, semicolon or tab separated).

    CSV text may be UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 (told by its
    byte-order mark, as Excel's "Unicode text" writes it) or Windows-1252 (Excel's "CSV" on
    Windows). Cells that the product's own CSV writer neutralised (a leading ``'`` before
    ``=``, ``+``, ``-``, ``@``, tab or carriage return) are read back as they were stored
    (``inert.csv_uncell``, the writer's own inverse).

    Raises:
        UnreadableFile: the file cannot be opened, is empty, or is not a spreadsheet or
            text (the message says what it looks like and what to do).
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if not head:
        raise UnreadableFile(f"{path.name} is empty (0 bytes): the first line must name the columns")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    _refuse_binary(path, head)
    encoding, label = _encoding(path, head)
    return _open_csv(path, encoding, label)


#: The signature of a Microsoft compound file: an Excel 97-2003 workbook, or an .xlsx saved
#: with a password (Excel then wraps the encrypted workbook in one, [MS-OFFCRYPTO] 2.3.4).
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _encrypted_package(path: Path) -> bool:
    """Whether a compound file holds the ``EncryptedPackage`` stream of a password-protected
    Office document ([MS-OFFCRYPTO] 2.3.4.4): its name, UTF-16 in the file's directory, is looked
    for a chunk at a time (the directory may lie anywhere in the file)."""
    name = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if name in tail + chunk:
                return True
            tail = chunk[-len(name) :]
    return False


def _refuse_binary(path: Path, head: bytes) -> None:
    """Refuse files that are not text, naming what they look like."""
    if head.startswith(_COMPOUND_FILE):
        if _encrypted_package(path):
            raise UnreadableFile(
                f"{path.name} is protected with a password (an encrypted Excel workbook), which caseworker "
                "cannot open: open it in Excel, remove the password (File > Info > Protect Workbook > "
                "Encrypt with Password, clear it), save it as .xlsx or 'CSV UTF-8', and import that copy"
            )
        raise UnreadableFile(
            f"{path.name} is an Excel 97-2003 workbook (.xls), which caseworker cannot read: "
            "open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        )
    if head.startswith(b"%PDF"):
        raise UnreadableFile(
            f"{path.name} is a PDF document, not a spreadsheet: export the tracker from Excel as .xlsx or CSV"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return  # text with a byte-order mark
    if b"\x00" in head:
        pairs = head[: len(head) // 2 * 2]
        if pairs and (pairs[1::2].count(0) > len(pairs) // 4 or pairs[0::2].count(0) > len(pairs) // 4):
            raise UnreadableFile(
                f"{path.name} looks like UTF-16 text without a byte-order mark, which cannot be read "
                "safely: save it from Excel as 'CSV UTF-8' or 'Unicode Text'"
            )
        raise UnreadableFile(
            f"{path.name} is not a text or Excel file (it holds binary data: a zero byte at offset "
            f"{head.index(0)}): save the tracker as .xlsx or CSV"
        )
    controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13))
    if controls > len(head) // 100 + 1:
        raise UnreadableFile(
            f"{path.name} is not a text or Excel file ({controls} control bytes in its first "
            f"{len(head):,} bytes): save the tracker as .xlsx or CSV"
        )


def _encoding(path: Path, head: bytes) -> tuple[str, str]:
    """The file's text encoding and how to name it, read through once in chunks (never held)."""
    for bom, encoding, label in (
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if head.startswith(bom):
            return encoding, label
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8", "UTF-8"
        except UnicodeDecodeError:
            pass
    # Not UTF-8 (rare): Windows-1252, unless it holds a byte that encoding leaves undefined.
    undefined = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
    offset, lines, bad_1252 = 0, 1, None
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if m := undefined.search(chunk):
                bad_1252 = offset + m.start()
                lines += chunk.count(b"\n", 0, m.start())
                break
            offset += len(chunk)
            lines += chunk.count(b"\n")
    if bad_1252 is not None:
        raise UnreadableFile(
            f"{path.name} is neither UTF-8 nor Windows-1252 text (line {lines:,}, byte {bad_1252:,}, cannot be "
            "read in either): save it from Excel as 'CSV UTF-8'"
        )
    return "cp1252", "Windows-1252"


def _open_csv(path: Path, encoding: str, label: str) -> Sheet:
    fh = path.open("r", encoding=encoding, newline="")
    try:
        first = fh.readline()
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=counts.__getitem__)
        reader = csv.reader(chain([first], fh), delimiter=best if counts[best] else ",")
        header = next(reader, [])
    except UnicodeDecodeError as exc:
        fh.close()
        raise UnreadableFile(
            f"{path.name} is not {label} text after all ({exc.reason} at byte {exc.start}): "
            "save it from Excel as 'CSV UTF-8'"
        ) from None
    except BaseException:
        fh.close()
        raise
    if not "".join(header).strip():
        fh.close()
        raise UnreadableFile(f"{path.name}: the first line is blank: it must name the columns")
    name = {",": "comma", ";": "semicolon", "\t": "tab"}[best] if counts[best] else "comma"

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            for record in reader:
                start, line = line + 1, reader.line_num
                if "\x1f'" in "\x1f" + "\x1f".join(record):  # a cell starting with ' (rare): look closer
                    record = [csv_uncell(cell) for cell in record]
                yield start, record
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"{path.name}: line {line + 1} is not {label} text ({exc.reason}): "
                "save the file from Excel as 'CSV UTF-8'"
            ) from None
        except csv.Error as exc:
            raise UnreadableFile(f"{path.name}: line {line + 1} cannot be read as CSV ({exc})") from None

    return Sheet(f"CSV, {label}, {name} separated", header, rows(), [fh.close])


#: The largest sheet (bytes of its XML, as the zip's directory gives it) read with calamine, which
#: holds the whole sheet in memory: about 1.6 bytes per byte of XML (20,000 tracker rows are
#: 18 MB of XML and took 29 MiB; 200,000 rows 188 MB and 286 MiB). A larger sheet is read with
#: openpyxl's streamed reader, about 18 times slower, so that an import stays under 200 MiB
#: (DESIGN section 4): a 50,000-row tracker, 44 MiB of XML, peaked at 166 MiB read with calamine.
CALAMINE_MAX_SHEET_XML = 48 * 1024 * 1024


def _open_xlsx(path: Path) -> Sheet:
    """An .xlsx workbook's sheet that Excel opens on: read with calamine (python-calamine), or
    with openpyxl's streamed reader when the sheet is very large or holds error cells."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                what = (
                    "an OpenDocument spreadsheet (.ods)"
                    if "content.xml" in names
                    else "a zip archive, not an Excel workbook"
                )
                raise UnreadableFile(f"{path.name} is {what}: save the tracker as .xlsx or CSV")
            active = _active_tab(archive)
            largest = max(
                (i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")), default=0
            )
            streamed = largest > CALAMINE_MAX_SHEET_XML or _has_error_cells(archive, names)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as exc:
        raise UnreadableFile(
            f"{path.name} looks like a zip archive but cannot be opened ({exc}): save the tracker again as .xlsx or CSV"
        ) from None
    if streamed:  # a very large sheet, or error cells (#N/A: calamine reads them blank, openpyxl as their text)
        return _open_xlsx_openpyxl(path)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(path)
        kinds = [m.typ for m in book.sheets_metadata]
        if not 0 <= active < len(kinds) or kinds[active] != SheetTypeEnum.WorkSheet:
            active = kinds.index(SheetTypeEnum.WorkSheet) if SheetTypeEnum.WorkSheet in kinds else 0
        sheet = book.get_sheet_by_index(active)
    except (
        BaseException
    ) as exc:  # calamine raises several kinds for a damaged workbook, and a Rust panic is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise UnreadableFile(f"{path.name} cannot be read as an Excel workbook ({type(exc).__name__}: {exc})") from None
    title = sheet.name
    start = sheet.start
    if start is None:  # no cell holds anything
        book.close()
        raise _empty_sheet(path, title, book.sheet_names)
    # Rows come from the sheet's first row; columns from the first column used (restored here, so
    # a header in column B is still the second column).
    values: Iterator = iter(sheet.iter_rows())
    if start[1]:
        left = [""] * start[1]
        values = (left + raw for raw in values)
    return _sheet(path, title, book.sheet_names, values, book.close)


def _active_tab(archive) -> int:
    """The sheet Excel opens on (``activeTab`` of the workbook's first view; 0 when not given)."""
    from xml.etree import ElementTree

    try:
        with archive.open("xl/workbook.xml") as fh:
            for _event, element in ElementTree.iterparse(fh):
                if element.tag.rpartition("}")[2] == "workbookView":
                    return int(element.get("activeTab", "0"))
                if element.tag.rpartition("}")[2] == "sheets":
                    break
    except (ElementTree.ParseError, ValueError):
        pass
    return 0


def _has_error_cells(archive, names: set[str]) -> bool:
    """Whether any worksheet holds an error cell (``<c r="A1" t="e">``: #N/A, #REF! ...), its XML
    read as bytes a chunk at a time (about a twentieth of calamine's own reading)."""
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        tail = b""
        with archive.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                chunk = tail + chunk
                if b' t="e"' in chunk or b" t='e'" in chunk:
                    return True
                tail = chunk[-6:]
    return False


def _open_xlsx_openpyxl(path: Path) -> Sheet:
    """An .xlsx read with openpyxl's read-only reader: streamed, and error cells given as their text."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds for a damaged workbook)
        raise UnreadableFile(f"{path.name} cannot be read as an Excel workbook ({type(exc).__name__}: {exc})") from None
    sheet = book.active if book.active is not None else book.worksheets[0]
    return _sheet(path, sheet.title, book.sheetnames, sheet.iter_rows(values_only=True), book.close)


def _empty_sheet(path: Path, title: str, sheet_names: list[str]) -> UnreadableFile:
    """The refusal of a workbook whose sheet read (the one Excel opens on) has no header row,
    naming the workbook's other sheets and how to have one of them read."""
    text = f"{path.name}: the sheet {title!r} is empty: its first row must name the columns"
    others = [name for name in sheet_names if name != title]
    if others:
        names = ", ".join(repr(n) for n in others)
        text += (
            f". The workbook also has {names}: the sheet read is the one the workbook was saved on, so "
            "open it in Excel, click the tab of the sheet with the cases, save, and import it again"
        )
    return UnreadableFile(text)


def _sheet(path: Path, title: str, sheet_names: list[str], values: Iterator, close) -> Sheet:
    """The :class:`Sheet` over a workbook sheet's rows of cell values (the first row is row 1)."""
    header: list[str] = []
    number = 0
    for number, raw in enumerate(values, start=1):  # noqa: B007 (the header: the first row naming two columns or more)
        header = [_cell_text(v) for v in raw]
        if sum(1 for h in header if h.strip()) >= 2:  # (a title row above it is passed over)
            break
    else:
        close()
        raise _empty_sheet(path, title, sheet_names)
    while header and not header[-1].strip():
        header.pop()
    text = _cell_text

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, raw in enumerate(values, start=number + 1):
            yield line, [text(v) for v in raw]

    others = [name for name in sheet_names if name != title]
    also = f" (only this sheet is read; the workbook also has {', '.join(repr(n) for n in others)})" if others else ""
    return Sheet(f"Excel workbook, sheet {title!r}{also}", header, rows(), [close])


def _cell_text(value) -> str:
    """An Excel cell's value as text: dates as ISO, whole numbers without ``.0``."""
    cls = value.__class__
    if value is None:
        return ""
    if cls is str:
        return value
    if cls is datetime:
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if cls is int:
        return str(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is date or cls is time:
        return value.isoformat()
    return str(value)


# -- dates -------------------------------------------------------------------------------------

DATE_FORMATS = typed.DATE_FORMATS


def parse_date(raw: str) -> date:
    """A date as people type it in a UK spreadsheet or Excel writes it, read day first, Excel
    serial numbers (``45750``) included: :func:`caseworker.rules.typed.parse_date`, the one
    reader (and wording) of typed dates the forms and the command line use too.

    Raises:
        ValueError: in plain words, what is wrong: not a date, or not a real one
            ("31/02/2026 is not a real date: February 2026 has 28 days").
    """
    return typed.parse_date(raw, excel_serials=True)
