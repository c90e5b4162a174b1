"""The annual report's public face: everything in :mod:`caseworker.reporting` (split by concern:
``period``, ``model``, ``build`` (the queries), ``figures``, ``render_text`` (Markdown and
CSV) and ``render_html``)."""

from caseworker.reporting.build import annual_report
from caseworker.reporting.figures import flatten
from caseworker.reporting.model import (
    COUNTING_RULES,
    DECISIONS,
    ActionFigures,
    AdjustmentFigures,
    AnnualReport,
    Count,
    EnquiryFigures,
    Figure,
    QuarterFigures,
    RemedyFigures,
    StageFigures,
)
from caseworker.reporting.period import Period, financial_year_of
from caseworker.reporting.render_html import to_html
from caseworker.reporting.render_text import to_csv, to_markdown

__all__ = [
    "COUNTING_RULES",
    "DECISIONS",
    "ActionFigures",
    "AdjustmentFigures",
    "AnnualReport",
    "Count",
    "EnquiryFigures",
    "Figure",
    "Period",
    "QuarterFigures",
    "RemedyFigures",
    "StageFigures",
    "annual_report",
    "financial_year_of",
    "flatten",
    "to_csv",
    "to_html",
    "to_markdown",
]
