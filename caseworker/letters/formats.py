"""Letters as plain text, as a printable HTML page and as a Word ``.docx`` document.

Templates render plain text with a light structure that reads well as it is and that the
HTML and Word exports turn into proper headings and lists:

* a line underlined by a line of ``=`` (or ``-``) is a main (or section) heading;
* lines starting ``- `` are a bulleted list (an indented line continues the item above);
* other consecutive lines are one paragraph, each line kept on its own line;
* blank lines separate paragraphs. The first paragraph is the letterhead.

Large print (5.10) uses 18pt text and larger headings in both HTML and Word.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from caseworker.letters.engine import Letter

FORMATS = ("txt", "html", "docx")

BODY_PT, LARGE_PT = 12, 18
FONT = "Arial"  # a clear sans-serif, as accessible-communication guidance recommends


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


def to_text(letter: Letter) -> str:
    """The letter as plain text (as stored in the case record when issued)."""
    return letter.text


def to_html(letter: Letter) -> str:
    """A self-contained HTML page ready to print; every piece of text is escaped."""
    size = LARGE_PT if letter.large_print else BODY_PT
    esc = html.escape
    parts: list[str] = []
    first_para = True
    for b in blocks(letter.text):
        if b.kind in ("h1", "h2"):
            parts.append(f"<{b.kind}>{esc(b.lines[0])}</{b.kind}>")
        elif b.kind == "bullets":
            parts.append("<ul>\n" + "\n".join(f"  <li>{esc(item)}</li>" for item in b.lines) + "\n</ul>")
        else:
            cls = ' class="letterhead"' if first_para else ""
            first_para = False
            parts.append(f"<p{cls}>" + "<br>\n".join(esc(line) for line in b.lines) + "</p>")
    body_class = "large-print" if letter.large_print else "standard-print"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(letter.subject)}</title>
<style>
  @page {{ size: A4; margin: 2cm; }}
  body {{ font-family: {FONT}, Helvetica, sans-serif; font-size: {size}pt; line-height: 1.5;
         color: #000; background: #fff; max-width: 48em; margin: 2em auto; padding: 0 1em; }}
  h1 {{ font-size: {size + 4}pt; margin: 1.2em 0 0.6em; }}
  h2 {{ font-size: {size + 2}pt; margin: 1.2em 0 0.4em; }}
  p, li {{ margin: 0 0 0.8em; }}
  .letterhead {{ text-align: right; }}
  @media print {{ body {{ margin: 0; max-width: none; padding: 0; }} }}
</style>
</head>
<body class="{body_class}">
{chr(10).join(parts)}
</body>
</html>
"""


def to_docx(letter: Letter, path: str | Path) -> Path:
    """Write the letter as a Word document officers can edit and send; returns the path."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    size = LARGE_PT if letter.large_print else BODY_PT
    doc = Document()
    doc.core_properties.title = letter.subject
    doc.core_properties.subject = f"{letter.kind} letter {letter.reference}".strip()
    doc.core_properties.author = letter.organisation
    styles = doc.styles
    for name, pt in (("Normal", size), ("List Bullet", size), ("Heading 1", size + 4), ("Heading 2", size + 2)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(pt)
        if name.startswith("Heading"):
            style.font.color.rgb = RGBColor(0, 0, 0)
    first_para = True
    for b in blocks(letter.text):
        if b.kind in ("h1", "h2"):
            doc.add_heading(b.lines[0], level=1 if b.kind == "h1" else 2)
        elif b.kind == "bullets":
            for item in b.lines:
                doc.add_paragraph(item, style="List Bullet")
        else:
            p = doc.add_paragraph()
            for i, line in enumerate(b.lines):
                run = p.add_run(line)
                if i < len(b.lines) - 1:
                    run.add_break()
            if first_para:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            first_para = False
    path = Path(path)
    doc.save(path)
    return path


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else from the file's extension (``.txt``, ``.html``, ``.docx``)."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use txt, html or docx")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"htm": "html", "text": "txt"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format from {str(path)!r}: end the name with .txt, .html or .docx")
    return suffix


def save(letter: Letter, path: str | Path, fmt: str | None = None) -> Path:
    """Write the letter to ``path`` as txt, html or docx (from ``fmt`` or the extension)."""
    path = Path(path).expanduser()
    fmt = format_for(path, fmt)
    if fmt == "docx":
        return to_docx(letter, path)
    path.write_text(to_html(letter) if fmt == "html" else to_text(letter), encoding="utf-8")
    return path
