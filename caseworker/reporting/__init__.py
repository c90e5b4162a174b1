"""The annual complaints performance report (Code 8.1) and the regulator's measures CH01 and CH02.

``annual_report(store, Period.financial_year(2025))`` builds the figures; ``to_markdown``,
``to_csv`` and ``to_html`` render them; ``report.cases_for("stage1_outside_timescale")``
lists the cases behind a figure.

Names are imported on first use (PEP 562), so ``caseworker.reporting.period`` can be used by
a screen without importing SQLAlchemy before the app's first paint.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "annual_report": "build",
    "flatten": "figures",
    **{
        name: "model"
        for name in (
            "COUNTING_RULES",
            "DECISIONS",
            "ActionFigures",
            "AdjustmentFigures",
            "AnnualReport",
            "Count",
            "EnquiryFigures",
            "Figure",
            "QuarterFigures",
            "RemedyFigures",
            "StageFigures",
        )
    },
    "Period": "period",
    "financial_year_of": "period",
    "to_html": "render_html",
    "to_csv": "render_text",
    "to_markdown": "render_text",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'caseworker.reporting' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"caseworker.reporting.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
