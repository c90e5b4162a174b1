"""Writing the year's report and self-assessment to files: one name per format, in one folder.

Used by ``caseworker report`` / ``caseworker self-assessment`` and the Reports screen's export
key, so the command line and the screen write the same files.
"""

from __future__ import annotations

from pathlib import Path

from caseworker import inert
from caseworker.reporting.assessment import SelfAssessment, YearReport

REPORT_FORMATS = ("md", "csv", "html", "docx")
ASSESSMENT_FORMATS = ("md", "docx")


def write_files(folder: Path, stem: str, contents: dict[str, str | bytes]) -> list[Path]:
    """Write ``stem.<format>`` for each entry into ``folder`` (created if missing); CSV gets a
    byte-order mark so Excel reads it as UTF-8. Returns the paths written.

    Raises:
        OSError: the folder or a file cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, body in contents.items():
        path = folder / f"{stem}.{fmt}"
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding=inert.CSV_ENCODING if fmt == "csv" else "utf-8", newline="")
        written.append(path)
    return written


def report_contents(yr: YearReport, formats: tuple[str, ...] | list[str] = REPORT_FORMATS) -> dict[str, str | bytes]:
    """The whole 8.1 report rendered in each of ``formats`` (md, csv, html, docx)."""
    from caseworker.reporting.render_account import year_csv, year_html, year_markdown

    out: dict[str, str | bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            from caseworker.reporting.render_docx import report_docx

            out[fmt] = report_docx(yr)
        else:
            out[fmt] = {"md": year_markdown, "csv": year_csv, "html": year_html}[fmt](yr)
    return out


def assessment_contents(
    sa: SelfAssessment, formats: tuple[str, ...] | list[str] = ASSESSMENT_FORMATS
) -> dict[str, str | bytes]:
    """The self-assessment rendered in each of ``formats`` (md, docx)."""
    from caseworker.reporting.render_account import assessment_markdown

    out: dict[str, str | bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            from caseworker.reporting.render_docx import assessment_docx

            out[fmt] = assessment_docx(sa)
        else:
            out[fmt] = assessment_markdown(sa)
    return out


def export_year(yr: YearReport, folder: Path) -> list[Path]:
    """Write the whole report (md, csv, html, docx) and the self-assessment (md, docx) into ``folder``."""
    slug = yr.report.period.slug
    return write_files(folder, f"complaints-report-{slug}", report_contents(yr)) + write_files(
        folder, f"self-assessment-{slug}", assessment_contents(yr.assessment)
    )
