"""``caseworker`` with no sub-command: open the app on the user's database."""

from __future__ import annotations

from caseworker.commands.common import load


def run(args) -> int:
    """Run the app until the user quits."""
    from caseworker.app import CaseworkerApp

    app = CaseworkerApp(load())
    app.run()
    app.close_store()
    return 0
