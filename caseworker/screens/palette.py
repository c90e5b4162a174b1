"""Command palette provider: open a case by typing its reference or the resident's name."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider

from caseworker import inert, labels
from caseworker.messages import OpenCase, ShowError


class CaseProvider(Provider):
    """Finds cases by reference, resident or text (the inbox search, closed cases included)."""

    async def search(self, query: str) -> Hits:
        """Up to ten matching cases; choosing one opens it."""
        app = self.app
        workspace = getattr(app, "workspace", None)
        if workspace is None or len(query.strip()) < 2:
            return
        from caseworker.store.queries.inbox import InboxFilter, inbox_page

        flt = InboxFilter(search=query.strip(), include_closed=True)
        try:
            page = await asyncio.to_thread(inbox_page, workspace.store, flt, None, 10)
        except Exception as exc:  # noqa: BLE001 - a failed search is shown like every failure
            app.post_message(ShowError(exc, title="The search failed"))
            return
        matcher = self.matcher(query)
        for row in page.rows:
            text = f"Open {row.reference}: {row.resident} (Stage {row.stage}, {labels.status(row.status)})"
            score = matcher.match(text) or 0.5
            # Stored text (the resident's name) goes in as Text: Textual reads a plain prompt or help as markup.
            yield Hit(
                score,
                inert.highlighted(text, matcher),
                partial(app.post_message, OpenCase(row.case_id)),
                text=text,
                help=inert.markup_literal(
                    f"{labels.case_type(row.case_type)}, officer {row.officer_name or row.officer or 'unassigned'}"
                ),
            )
