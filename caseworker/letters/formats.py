"""Letters as plain text, a printable HTML page, a Word ``.docx`` document and a PDF, all A4.

Templates render plain text with a light structure that reads well as it is and that the
other formats turn into proper headings and lists:

* a line underlined by a line of ``=`` (or ``-``) is a main (or section) heading;
* lines starting ``- `` are a bulleted list (an indented line continues the item above);
* other consecutive lines are one paragraph, each line kept on its own line;
* blank lines separate paragraphs. The first paragraph is the letterhead, the next the
  addressee (placed for a window envelope), the next the date and reference.

Paper: A4 (210 x 297 mm) with 20 mm side margins. The address block sits where a UK DL
window envelope shows it (:data:`WINDOW`). Large print (5.10) uses the size the resident's
adjustment records (``Letter.font_pt``).

Stored text is made inert for each format (``caseworker.inert``): HTML escaped, and the
control characters XML forbids (Word's optional hyphen U+001F pasted from a document, say)
dropped from Word, HTML and text, so a letter always renders whatever the record holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from caseworker import inert
from caseworker.letters.engine import Letter

FORMATS = ("txt", "html", "docx", "pdf")

BODY_PT = 12
LARGE_PT = 18  # the default large print size; a recorded "16pt" adjustment wins (Letter.font_pt)
FONT = "Arial"  # a clear sans-serif, as accessible-communication guidance recommends (Word and HTML)

#: Where the address block goes on the first page, in mm from the sheet's top-left corner.
#:
#: A DL envelope is 110 x 220 mm (ISO 269). The usual UK DL window, as envelope makers
#: specify it (window size first, then position from the left and from the bottom, flap on
#: top; e.g. response-envelope.com "windows"), is 90 x 35 mm, 20 mm from the left and 15 mm
#: from the bottom edge. An A4 sheet folded in three has a 99 mm top panel that can sit
#: anywhere in the envelope's 110 mm depth, so the window shows the panel from 49 to 84 mm
#: (sheet at the bottom) or 60 to 95 mm (at the top) below the sheet's top edge. An address
#: block 20 mm from the left whose lines start at 50 mm and end by 84 mm is readable in
#: the window, as Royal Mail asks (its Premier customer guide keeps the address clear of the
#: window's edges). ``top``/``left`` place the block; ``width``/``height`` bound it.
WINDOW = {"left": 20.0, "top": 50.0, "width": 90.0, "height": 34.0}
MARGINS = {"left": 20.0, "right": 20.0, "top": 15.0, "bottom": 22.0}
ADDRESS_PT = 12  # the address in the window stays at 12pt (6 lines fit) even in large print


@dataclass
class Block:
    """One piece of a letter's structure: ``h1``, ``h2``, ``para`` or ``bullets``."""

    kind: str
    lines: list[str] = field(default_factory=list)


_UNDERLINE = re.compile(r"(={3,}|-{3,})")


def blocks(text: str) -> list[Block]:
    """Split a rendered letter into headings, paragraphs and bulleted lists."""
    out: list[Block] = []
    current: Block | None = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and not line.startswith("- ") and _UNDERLINE.fullmatch(nxt):
            out.append(Block("h1" if nxt.startswith("=") else "h2", [line.strip()]))
            current = None
            i += 2
            continue
        if not line.strip():
            current = None
        elif line.startswith("- "):
            if current is None or current.kind != "bullets":
                current = Block("bullets")
                out.append(current)
            current.lines.append(line[2:].strip())
        elif line.startswith("  ") and current is not None and current.kind == "bullets":
            current.lines[-1] += " " + line.strip()
        else:
            if current is None or current.kind != "para":
                current = Block("para")
                out.append(current)
            current.lines.append(line.strip())
        i += 1
    return out


@dataclass
class Layout:
    """A letter split for the page: letterhead, address block, date lines, then the body."""

    letterhead: list[str]
    address: list[str]
    dated: list[str]
    body: list[Block]
    notes: list[str]  # the draft's missing items, or [] (printed after the letter)


def layout(letter: Letter) -> Layout:
    """Find the letterhead, the addressee and the date paragraph at the top of the letter.

    A council template that does not follow the shipped order keeps everything in the body.
    """
    bs = blocks(letter.text)
    head: list[str] = []
    address: list[str] = []
    dated: list[str] = []
    if bs and bs[0].kind == "para":
        head = bs.pop(0).lines
    if bs and bs[0].kind == "para" and bs[0].lines and bs[0].lines[0] == letter.addressee.name:
        address = bs.pop(0).lines
    if bs and bs[0].kind == "para" and any(line.startswith("Date:") for line in bs[0].lines):
        dated = bs.pop(0).lines
    return Layout(head, address, dated, bs, list(letter.missing_notes))


def logo_problem(path: str | Path) -> str:
    """Why the logo at ``path`` cannot go on a letter ("" when it is a PNG or JPEG image that opens)."""
    path = Path(path).expanduser()
    if not path.is_file():
        return f"the logo {path} is not a file"
    try:
        from PIL import Image  # installed with fpdf2

        with Image.open(path) as image:
            kind = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - any failure to read it means it cannot be printed
        return f"the logo {path} is not an image that can be read"
    if kind not in ("PNG", "JPEG"):
        return f"the logo {path} is a {kind} image: use a PNG or JPEG file"
    return ""


def _logo(letter: Letter) -> Path | None:
    """The configured logo if it can be printed (the check refuses a letter whose logo cannot)."""
    if not letter.logo or logo_problem(letter.logo):
        return None
    return Path(letter.logo).expanduser()


def _size(letter: Letter) -> float:
    return float(letter.font_pt or BODY_PT)


def _pt(value: float) -> str:
    return f"{value:g}"


def to_text(letter: Letter) -> str:
    """The letter as plain text (as stored in the case record when issued), with any mark."""
    if not letter.mark:
        return letter.text
    out = f"*** {letter.mark} ***\n\n{letter.text}"
    if letter.missing_notes:
        out += "\nMissing before this letter can be issued:\n" + "".join(f"- {m}\n" for m in letter.missing_notes)
    return out


def to_html(letter: Letter) -> str:
    """A self-contained A4 HTML page ready to print; every piece of text is escaped."""
    size = _size(letter)
    lay = layout(letter)

    def esc(value: str) -> str:
        return str(inert.html(inert.xml_text(value)))

    parts: list[str] = []
    for b in lay.body:
        if b.kind in ("h1", "h2"):
            parts.append(f"<{b.kind}>{esc(b.lines[0])}</{b.kind}>")
        elif b.kind == "bullets":
            parts.append("<ul>\n" + "\n".join(f"  <li>{esc(item)}</li>" for item in b.lines) + "\n</ul>")
        else:
            parts.append("<p>" + "<br>\n".join(esc(line) for line in b.lines) + "</p>")
    if lay.notes:
        parts.append(
            '<section class="missing"><h2>Missing before this letter can be issued</h2>\n<ul>\n'
            + "\n".join(f"  <li>{esc(m)}</li>" for m in lay.notes)
            + "\n</ul></section>"
        )
    br = "<br>\n".join
    logo_path = _logo(letter)
    logo = (
        (f'<img class="logo" src="{esc(logo_path.resolve().as_uri())}" alt="{esc(letter.organisation)} logo">')
        if logo_path
        else ""
    )
    mark = f'<div class="mark" role="note">{esc(letter.mark)}</div>\n' if letter.mark else ""
    footer = f"<footer>{esc(letter.footer)}</footer>\n" if letter.footer else ""
    body_class = "large-print" if letter.large_print else "standard-print"
    w = WINDOW
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(letter.subject)}</title>
<style>
  @page {{ size: A4; margin: {MARGINS["top"]:g}mm {MARGINS["right"]:g}mm {MARGINS["bottom"]:g}mm {MARGINS["left"]:g}mm; }}
  body {{ font-family: {FONT}, Helvetica, sans-serif; font-size: {_pt(size)}pt; line-height: 1.5;
         color: #000; background: #fff; max-width: 170mm; margin: 2em auto; padding: 0 1em; }}
  h1 {{ font-size: {_pt(size + 4)}pt; margin: 1.2em 0 0.6em; }}
  h2 {{ font-size: {_pt(size + 2)}pt; margin: 1.2em 0 0.4em; }}
  p, li {{ margin: 0 0 0.8em; }}
  .top {{ position: relative; min-height: {w["top"] + w["height"] - MARGINS["top"] + 6:g}mm; }}
  .logo {{ position: absolute; left: 0; top: 0; max-height: 22mm; max-width: 60mm; }}
  .letterhead {{ position: absolute; right: 0; top: 0; width: 75mm; text-align: right; font-size: {_pt(max(10, size - 2))}pt; }}
  .address {{ position: absolute; left: {w["left"] - MARGINS["left"]:g}mm; top: {w["top"] - MARGINS["top"]:g}mm;
             width: {w["width"]:g}mm; height: {w["height"]:g}mm; overflow: hidden; font-size: {ADDRESS_PT}pt; line-height: 1.2; }}
  .mark {{ font-weight: bold; text-align: center; border: 2px solid #000; padding: 0.2em; margin-bottom: 1em; }}
  footer {{ font-size: 9pt; text-align: center; margin-top: 2em; }}
  @media print {{
    body {{ margin: 0; max-width: none; padding: 0; }}
    .mark {{ position: fixed; top: 0; left: 0; right: 0; margin: 0; }}
    footer {{ position: fixed; bottom: 0; left: 0; right: 0; }}
  }}
</style>
</head>
<body class="{body_class}">
{mark}<div class="top">
{logo}
<p class="letterhead">{br(esc(x) for x in lay.letterhead)}{"<br><br>" + br(esc(x) for x in lay.dated) if lay.dated else ""}</p>
<p class="address">{br(esc(x) for x in lay.address)}</p>
</div>
{chr(10).join(parts)}
{footer}</body>
</html>
"""


#: ``text`` with the control characters XML (Word) cannot hold removed: the one helper in inert.
xml_text = inert.xml_text


def _field(run, instruction: str) -> None:
    """Append a Word field (e.g. ``PAGE``) to ``run``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _lines_into(paragraph, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        run = paragraph.add_run(xml_text(line))
        if i < len(lines) - 1:
            run.add_break()


def to_docx(letter: Letter, path: str | Path) -> Path:
    """Write the letter as an A4 Word document officers can edit and send; returns the path.

    The first page carries the logo and the address block in a borderless table placed so
    the address shows through a DL window (:data:`WINDOW`); every page has the footer and
    page number, and any mark (draft or copy) at the top.
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    size = _size(letter)
    lay = layout(letter)
    doc = Document()
    doc.core_properties.title = xml_text(letter.subject)
    doc.core_properties.subject = xml_text(f"{letter.kind} letter {letter.reference}".strip())
    doc.core_properties.author = xml_text(letter.organisation)
    doc.core_properties.language = "en-GB"
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    sec.header_distance = sec.footer_distance = Mm(7)
    styles = doc.styles
    for name, pt in (("Normal", size), ("List Bullet", size), ("Heading 1", size + 4), ("Heading 2", size + 2)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(pt)
        if name.startswith("Heading"):
            style.font.color.rgb = RGBColor(0, 0, 0)
    if letter.mark:
        p = sec.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(xml_text(letter.mark))
        r.bold, r.font.size = True, Pt(11)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = foot.add_run(xml_text(letter.footer + "   ") if letter.footer else "")
    r.font.size = Pt(8)
    r = foot.add_run("Page ")
    r.font.size = Pt(8)
    r = foot.add_run()
    r.font.size = Pt(8)
    _field(r, "PAGE")

    # First page: logo and address (left, in the window), letterhead and date (right).
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    left_w, right_w = Mm(WINDOW["width"] + WINDOW["left"] - MARGINS["left"]), Mm(170 - WINDOW["width"])
    left, right = table.rows[0].cells
    left.width, right.width = left_w, right_w
    top = left.paragraphs[0]  # an exact-height line: the address starts at WINDOW["top"]
    top.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    top.paragraph_format.line_spacing = Mm(WINDOW["top"] - MARGINS["top"])
    top.paragraph_format.space_after = Pt(0)
    if _logo(letter):
        top.add_run().add_picture(str(_logo(letter)), height=Mm(20))
    addr = left.add_paragraph()
    addr.paragraph_format.space_after = Pt(0)
    _lines_into(addr, lay.address)
    for run in addr.runs:
        run.font.size = Pt(ADDRESS_PT)
    head = right.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _lines_into(head, lay.letterhead)
    for run in head.runs:
        run.font.size = Pt(max(10, size - 2))
    if lay.dated:
        dated = right.add_paragraph()
        dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _lines_into(dated, lay.dated)
    doc.add_paragraph()

    for b in lay.body:
        if b.kind in ("h1", "h2"):
            doc.add_heading(xml_text(b.lines[0]), level=1 if b.kind == "h1" else 2)
        elif b.kind == "bullets":
            for item in b.lines:
                doc.add_paragraph(xml_text(item), style="List Bullet")
        else:
            _lines_into(doc.add_paragraph(), b.lines)
    if lay.notes:
        doc.add_heading("Missing before this letter can be issued", level=2)
        for m in lay.notes:
            doc.add_paragraph(xml_text(m), style="List Bullet")
    path = Path(path)
    doc.save(str(path))
    return path


def to_pdf(letter: Letter, path: str | Path) -> Path:
    """Write the letter as a tagged A4 PDF (shipped DejaVu Sans font); returns the path."""
    from caseworker.a4pdf import A4Pdf

    size = _size(letter)
    lay = layout(letter)
    pdf = A4Pdf(
        letter.subject,
        author=letter.organisation,
        subject=f"{letter.kind} letter {letter.reference}",
        font_pt=size,
        footer=letter.footer,
        mark=letter.mark,
    )
    pdf.set_margins(MARGINS["left"], MARGINS["top"] + (6 if letter.mark else 0), MARGINS["right"])
    pdf.add_page()
    logo = _logo(letter)
    if logo:
        pdf.image_at(logo, x=MARGINS["left"], y=pdf.t_margin, w=45, alt=f"{letter.organisation} logo")
    col_w = 85.0
    col_x = 210 - MARGINS["right"] - col_w
    pdf.set_y(pdf.t_margin)
    head_pt = max(9.0, size - 3)
    pdf.paragraph(lay.letterhead, align="R", x=col_x, width=col_w, pt=head_pt)
    if lay.dated:
        pdf.paragraph(lay.dated, align="R", x=col_x, width=col_w, pt=max(10.0, size - 2))
    right_bottom = pdf.get_y()
    pdf.set_y(WINDOW["top"])
    pdf.paragraph(lay.address, x=WINDOW["left"], width=WINDOW["width"], pt=ADDRESS_PT, space_after=False)
    pdf.set_y(max(WINDOW["top"] + WINDOW["height"], right_bottom) + 6)
    for b in lay.body:
        if b.kind in ("h1", "h2"):
            pdf.heading(b.lines[0], 1 if b.kind == "h1" else 2)
        elif b.kind == "bullets":
            pdf.bullets(b.lines)
        else:
            pdf.paragraph(b.lines)
    if lay.notes:
        pdf.heading("Missing before this letter can be issued", 2)
        pdf.bullets(lay.notes)
    return pdf.save(path)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else from the file's extension (``.txt``, ``.html``, ``.docx``, ``.pdf``)."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use txt, html, docx or pdf")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"htm": "html", "text": "txt"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format from {str(path)!r}: end the name with .txt, .html, .docx or .pdf")
    return suffix


def save(letter: Letter, path: str | Path, fmt: str | None = None) -> Path:
    """Write the letter to ``path`` as txt, html, docx or pdf (from ``fmt`` or the extension).

    Missing folders are created. Returns the absolute path written.

    Raises:
        ValueError: the format cannot be told or is unknown.
        OSError: the file or its folder cannot be written.
    """
    path = Path(path).expanduser().absolute()
    fmt = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        return to_docx(letter, path)
    if fmt == "pdf":
        return to_pdf(letter, path)
    path.write_text(to_html(letter) if fmt == "html" else xml_text(to_text(letter)), encoding="utf-8")
    return path
