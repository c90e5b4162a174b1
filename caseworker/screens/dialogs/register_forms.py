"""The adjustments register's own modal form: :class:`ReviewForm`, the review of an
adjustment or restriction, which needs a next review date only when the item is kept.

The register's add forms (adjustment, disability, restriction) are plain
:class:`~caseworker.screens.dialogs.quick_form.QuickForm` instances built in the screen.
"""

from __future__ import annotations

from caseworker.screens.dialogs.quick_form import QuickForm


class ReviewForm(QuickForm):
    """The review form: the next review date is needed only when the item is kept."""

    def on_values_changed(self) -> None:
        ending = self.raw("decision") == "end"
        nxt = self.widget_for("next_review")
        if nxt is not None and nxt.disabled != ending:
            nxt.disabled = ending


__all__ = ["ReviewForm"]
