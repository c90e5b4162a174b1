"""The shared A4 PDF writer: page size, the shipped font renders Welsh and Polish names, the
structure tree a screen reader follows, running marks on every page."""

from __future__ import annotations

import pypdf

from caseworker.a4pdf import FONT_DIR, write_pdf

NAMES = "Siân Ŵynne-Jones, Dŷlan Prŷs, Żaneta Śliwińska, Łukasz Gołębiowski, Zoë Müller"


def _roles(reader: pypdf.PdfReader) -> list[str]:
    doc = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    return [k.get_object()["/S"] for k in doc["/K"]]


def test_write_pdf_is_a4_with_every_accented_name_extractable(tmp_path):
    path = write_pdf(
        tmp_path / "new" / "folder" / "file.pdf",
        "Case file CMP-000001",
        [("Residents", NAMES), ("Timeline", ["- Logged", "- Acknowledged", "Closing words."])],
        author="Example Borough Council",
        footer="Civic Offices, Exampletown",
    )
    reader = pypdf.PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = " ".join(reader.pages[0].extract_text().split())
    for name in NAMES.split(", "):
        assert name in text
    assert "Civic Offices, Exampletown Page 1 of 1" in text
    assert reader.metadata.title == "Case file CMP-000001"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_headings_paragraphs_and_list_items_are_tagged_in_reading_order(tmp_path):
    path = write_pdf(tmp_path / "t.pdf", "Title", [("First", "Para one."), ("Second", ["- a", "- b"])])
    reader = pypdf.PdfReader(str(path))
    assert _roles(reader) == ["/H1", "/H2", "/P", "/H2", "/LI", "/LI"]
    top, nested = reader.outline
    assert (top.title, [o.title for o in nested]) == ("Title", ["First", "Second"])


def test_a_mark_is_on_every_page_of_a_long_document(tmp_path):
    path = write_pdf(
        tmp_path / "t.pdf",
        "Long",
        [("Part", [f"Paragraph number {i}." for i in range(120)])],
        mark="DRAFT: not for issue",
    )
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert "DRAFT: not for issue" in page.extract_text()
    body = " ".join(p.extract_text() for p in reader.pages)
    assert all(f"Paragraph number {i}." in body for i in range(120))


def test_the_font_and_its_licence_ship_in_the_package():
    assert (FONT_DIR / "DejaVuSans.ttf").is_file() and (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()


def test_the_font_has_a_glyph_for_every_character_of_the_demo_data_and_common_european_names():
    from fontTools.ttLib import TTFont

    from caseworker.store.demo import data

    cmap = TTFont(str(FONT_DIR / "DejaVuSans.ttf")).getBestCmap()
    texts = [
        NAMES,
        "Ŵ ŵ Ŷ ŷ Ẁ ẁ Ẃ ẃ Ẅ ẅ Ỳ ỳ ą ć ę ł ń ó ś ź ż Ą Ć Ę Ł Ń Ó Ś Ź Ż ă â î ș ț ğ ı ş č ř ž ő ű ß æ ø å £ € – — ‘ ’ “ ” •",
    ]
    for value in vars(data).values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, (list, tuple)):
            texts += [v for v in value if isinstance(v, str)]
    missing = {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()
