"""``caseworker`` with no sub-command: open the app on the user's database."""

from __future__ import annotations

from caseworker.commands.common import load


def run(args) -> int:
    """Run the app until the user quits.

    Returns:
        0 when the user quits; non-zero when the app stopped on an error (Textual has
        restored the terminal; the app printed what happened and where the log is).
    """
    import gc

    # Start-up makes a great many objects and keeps nearly all of them (modules, widgets,
    # styles): collecting cycles among them as they are made cost about a fifth of the time to
    # the first frame. The app turns collection back on once its inbox is shown, after moving
    # what start-up made out of the collector's way (``CaseworkerApp.start_up_done``).
    gc.disable()
    from caseworker.app import CaseworkerApp

    app = CaseworkerApp(load())
    app.run()
    app.close_store()
    return int(app.return_code or 0)
