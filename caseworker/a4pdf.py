"""A4 PDF documents with a shipped Unicode font, tagged for screen readers where fpdf2 allows.

Any part of caseworker that writes a PDF uses this module (letters, the Ombudsman case file)::

    from caseworker.a4pdf import write_pdf
    write_pdf("out.pdf", "Case file CMP-000001",
              [("Summary", "One paragraph."), ("Timeline", ["First paragraph.", "Second."])],
              author="Example Borough Council", footer="Example Borough Council, Civic Offices")

The font is DejaVu Sans (Bitstream Vera licence, in ``caseworker/letters/fonts``), so Welsh
(ŵ ŷ), Polish (ł ż ś), Irish, Romanian, Turkish and other Latin, Greek and Cyrillic names
render; Arial cannot be shipped. fpdf2 is pure Python and needs no admin rights on Windows.

Tagging: the document language (``/Lang``), title and outline (bookmarks) are set; every
heading, paragraph and list item is a marked-content sequence in the structure tree with its
own role (``/H1``, ``/H2``, ``/P``, ``/LI``), in reading order; running headers and footers are
marked as artifacts so a screen reader skips them. fpdf2 has no public API for roles other
than figures and links, so :class:`A4Pdf` uses its structure-tree builder directly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "letters" / "fonts"
FONT_FAMILY = "DejaVuSans"

#: A4 in millimetres (ISO 216).
A4_WIDTH_MM, A4_HEIGHT_MM = 210.0, 297.0
#: Page margins in millimetres: left, top, right, bottom.
MARGINS_MM = (20.0, 20.0, 20.0, 22.0)
#: Line height as a multiple of the font size (1.5 spacing reads well, large print included).
LINE_FACTOR = 1.45
PT_TO_MM = 25.4 / 72


class A4Pdf(FPDF):
    """An A4 portrait page in millimetres with DejaVu Sans, running header and footer.

    Args:
        title: The document title (metadata and the screen reader's window title).
        author: Who wrote it (metadata), e.g. the organisation.
        font_pt: Body text size in points (12 standard, the recorded size for large print).
        footer: Text printed at the foot of every page, with "Page n of N".
        mark: Text printed at the top of every page in bold, e.g. "DRAFT: not for issue".
        lang: The document language (BCP 47), ``en-GB`` unless a letter is in another language.
    """

    def __init__(
        self,
        title: str,
        *,
        author: str = "",
        subject: str = "",
        font_pt: float = 12,
        footer: str = "",
        mark: str = "",
        lang: str = "en-GB",
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        left, top, right, bottom = MARGINS_MM
        self.set_margins(left, top, right)
        self.set_auto_page_break(True, bottom)
        self.body_pt = float(font_pt)
        self.footer_text, self.mark = footer, mark
        self.set_title(title)
        self.set_lang(lang)
        if author:
            self.set_author(author)
            self.set_creator(author)
        if subject:
            self.set_subject(subject)
        self.set_display_mode("fullwidth")
        self.set_font(FONT_FAMILY, "", self.body_pt)
        self.alias_nb_pages()

    # -- running header and footer (artifacts: not read out) ---------------------------------

    @contextlib.contextmanager
    def _artifact(self) -> Iterator[None]:
        self._out("/Artifact BMC")
        try:
            yield
        finally:
            self._out("EMC")

    def header(self) -> None:  # fpdf2 hook
        if not self.mark:
            return
        with self._artifact():
            family, style, size = self.font_family, self.font_style, self.font_size_pt
            self.set_font(FONT_FAMILY, "B", 11)
            self.set_xy(self.l_margin, 8)
            self.cell(self.epw, 6, self.mark, align="C")
            self.set_font(family, style, size)
            self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:  # fpdf2 hook
        with self._artifact():
            family, style, size = self.font_family, self.font_style, self.font_size_pt
            self.set_font(FONT_FAMILY, "", 8)
            self.set_y(-16)
            text = f"{self.footer_text}   " if self.footer_text else ""
            self.multi_cell(self.epw, 4, f"{text}Page {self.page_no()} of {{nb}}", align="C")
            if self.mark:
                self.set_font(FONT_FAMILY, "B", 8)
                self.cell(self.epw, 4, self.mark, align="C")
            self.set_font(family, style, size)

    # -- tagged content ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _tagged(self, role: str, title: str | None = None) -> Iterator[None]:
        """Wrap what is drawn inside in a marked-content sequence with structure role ``role``."""
        builder = getattr(self, "struct_builder", None)
        if builder is None or not hasattr(self, "_add_marked_content"):  # pragma: no cover - older fpdf2
            yield
            return
        mcid = builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{role}", mcid=mcid, title=title)
        self._out(f"/{role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            self._out("EMC")

    def _line_h(self, pt: float) -> float:
        return pt * PT_TO_MM * LINE_FACTOR

    def _lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        for raw in text.split("\n"):
            lines = self.multi_cell(width, 5, raw, dry_run=True, output="LINES")  # a list of str
            out += lines if isinstance(lines, list) and lines else [""]
        return out

    def _flow(
        self,
        role: str,
        lines: Sequence[str],
        *,
        x: float,
        width: float,
        pt: float,
        bold: bool = False,
        align: str = "L",
        bullet: str = "",
        keep_together: int = 1,
    ) -> None:
        """Draw ``lines`` one per row; a new page starts a new tagged part (never mid-sequence)."""
        h = self._line_h(pt)
        self.set_font(FONT_FAMILY, "B" if bold else "", pt)
        i = 0
        while i < len(lines):
            room = int((self.page_break_trigger - self.get_y()) // h)
            if room < min(keep_together, len(lines) - i) or room <= 0:
                self.add_page()
                room = int((self.page_break_trigger - self.get_y()) // h)
            chunk = lines[i : i + max(1, room)]
            with self._tagged(role, title=None):
                for j, line in enumerate(chunk):
                    if bullet and i + j == 0:
                        self.set_x(x - 5)
                        self.cell(5, h, bullet)
                    self.set_x(x)
                    self.cell(width, h, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            i += len(chunk)

    def heading(self, text: str, level: int = 1) -> None:
        """A heading (level 1 or 2), in the outline and tagged ``/H1`` or ``/H2``."""
        pt = self.body_pt + (4 if level == 1 else 2)
        self.ln(self._line_h(self.body_pt) * 0.4)
        lines = self._set_and_split(text, self.epw, pt, bold=True)
        if self.get_y() + self._line_h(pt) * (len(lines) + 2) > self.page_break_trigger:
            self.add_page()  # keep a heading with the text under it
        self.start_section(text, level=min(level - 1, (self._outline[-1].level + 1) if self._outline else 0))
        self._flow(f"H{min(level, 6)}", lines, x=self.l_margin, width=self.epw, pt=pt, bold=True)
        self.ln(self._line_h(self.body_pt) * 0.25)
        self.set_font(FONT_FAMILY, "", self.body_pt)

    def _set_and_split(self, text: str, width: float, pt: float, bold: bool = False) -> list[str]:
        self.set_font(FONT_FAMILY, "B" if bold else "", pt)
        return self._lines(text, width)

    def paragraph(
        self,
        text: str | Sequence[str],
        *,
        align: str = "L",
        bold: bool = False,
        x: float | None = None,
        width: float | None = None,
        pt: float | None = None,
        space_after: bool = True,
    ) -> None:
        """A paragraph (``/P``); a sequence keeps each item on its own line."""
        pt = pt or self.body_pt
        x = self.l_margin if x is None else x
        width = self.epw if width is None else width
        text = "\n".join(text) if not isinstance(text, str) else text
        lines = self._set_and_split(text, width, pt, bold)
        self._flow("P", lines, x=x, width=width, pt=pt, bold=bold, align=align, keep_together=2)
        if space_after:
            self.ln(self._line_h(pt) * 0.5)
        self.set_font(FONT_FAMILY, "", self.body_pt)

    def bullets(self, items: Iterable[str]) -> None:
        """A bulleted list: each item tagged ``/LI``, indented, with a bullet."""
        indent = 7.0
        for item in items:
            lines = self._set_and_split(item, self.epw - indent, self.body_pt)
            self._flow(
                "LI",
                lines,
                x=self.l_margin + indent,
                width=self.epw - indent,
                pt=self.body_pt,
                bullet="\u2022",
                keep_together=2,
            )
            self.ln(self._line_h(self.body_pt) * 0.2)
        self.ln(self._line_h(self.body_pt) * 0.3)

    def image_at(self, path: str | Path, *, x: float, y: float, w: float, alt: str) -> None:
        """An image (e.g. a logo) at (``x``, ``y``) mm, ``w`` mm wide, with alternative text."""
        self.image(str(path), x=x, y=y, w=w, alt_text=alt)

    def save(self, path: str | Path) -> Path:
        """Write the document to ``path`` (parent folders are created); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.output(str(path))
        return path


def write_pdf(
    path: str | Path,
    title: str,
    sections: Iterable[tuple[str, str | Sequence[str]]],
    *,
    author: str = "",
    subject: str = "",
    font_pt: float = 12,
    footer: str = "",
    mark: str = "",
    lang: str = "en-GB",
) -> Path:
    """Write an A4 PDF: ``title`` as the main heading, then each (heading, paragraphs) section.

    Args:
        path: Where to write (folders are created).
        title: Document title (metadata and first heading).
        sections: ``(heading, text)`` pairs; ``text`` is one paragraph or a list of paragraphs
            (lines starting ``"- "`` in a list become bullets). An empty heading adds no heading.
        author, subject: Metadata. ``footer``: text at the foot of every page (with page numbers).
        font_pt: Body size in points. ``mark``: bold text at the top of every page (e.g. "DRAFT").

    Returns:
        The path written.

    Raises:
        OSError: the file cannot be written.
    """
    pdf = A4Pdf(title, author=author, subject=subject, font_pt=font_pt, footer=footer, mark=mark, lang=lang)
    pdf.add_page()
    pdf.heading(title, 1)
    for heading, text in sections:
        if heading:
            pdf.heading(heading, 2)
        paragraphs = [text] if isinstance(text, str) else list(text)
        bullets: list[str] = []
        for para in paragraphs:
            if para.startswith("- "):
                bullets.append(para[2:])
                continue
            if bullets:
                pdf.bullets(bullets)
                bullets = []
            pdf.paragraph(para)
        if bullets:
            pdf.bullets(bullets)
    return pdf.save(path)
