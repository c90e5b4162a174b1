"""``caseworker`` with no sub-command: open the app on the user's database."""

from __future__ import annotations

from caseworker.commands.common import load


def run(args) -> int:
    """Run the app until the user quits.

    Returns:
        0 when the user quits; non-zero when the app stopped on an error (Textual has
        restored the terminal; the app printed what happened and where the log is).
    """
    from caseworker.app import CaseworkerApp

    app = CaseworkerApp(load())
    app.run()
    app.close_store()
    return int(app.return_code or 0)
