"""What every screen shares: running database work in a thread and coming back to the UI.

Follows harlequin's habit: blocking calls run in ``thread=True`` workers that never touch
widgets; results come back through ``call_from_thread``; a refused action or a driver
error becomes a readable message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.worker import get_current_worker

from caseworker.messages import ShowError

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.workspace import Workspace


class WorkerMixin:
    """Mixed into screens and dialogs: ``run_db`` and access to the workspace."""

    @property
    def workspace(self) -> Workspace | None:
        """The open workspace, or None while it is still opening."""
        return getattr(self.app, "workspace", None)  # type: ignore[attr-defined]

    @property
    def supervises(self) -> bool:
        """True when the officer at the keyboard is a supervisor or administrator (rule 14)."""
        ws = self.workspace
        return bool(ws and ws.officer.supervises)

    def run_db(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], object] | None = None,
        failed: Callable[[Exception], None] | None = None,
        group: str = "db",
        exclusive: bool = True,
        **kwargs: Any,
    ) -> None:
        """Run ``fn(*args, **kwargs)`` in a thread; call ``done(result)`` or ``failed(exc)`` on the UI thread.

        The one way screens and dialogs run store work. Without ``failed``, every error reaches
        the officer: a ``ShowError`` message goes up to the App, which shows a refusal with its
        Code paragraph and anything else worded by ``caseworker.failures`` (a failing ``done``
        or ``failed`` callback too). A result for a worker cancelled meanwhile (a newer search,
        say) is dropped.
        """
        app = self.app  # type: ignore[attr-defined]
        pump = self

        def show(exc: BaseException) -> None:
            # Up from the screen; from the App itself when the screen has closed meanwhile.
            if not pump.post_message(ShowError(exc)):  # type: ignore[attr-defined]
                app.post_message(ShowError(exc))

        def deliver(callback: Callable[[Any], None], value: Any) -> None:
            # On the UI thread: a failing callback is shown, not lost in a dead worker.
            try:
                callback(value)
            except Exception as exc:  # noqa: BLE001
                show(exc)

        def job() -> None:
            worker = get_current_worker()
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every error becomes a message
                if not worker.is_cancelled:
                    app.call_from_thread(deliver, failed or show, exc)
                return
            if done is not None and not worker.is_cancelled:
                app.call_from_thread(deliver, done, result)

        self.run_worker(job, thread=True, exclusive=exclusive, group=group, exit_on_error=False)  # type: ignore[attr-defined]


class BaseScreen(WorkerMixin, Screen):
    """A top-level screen that loads once the workspace is open, and again on coming back only
    when a case was changed meanwhile (``CaseChanged``; see :meth:`shows_case`) or on ``r``."""

    def on_mount(self) -> None:
        """Load now if the workspace is open, else when it opens.

        Textual calls every class's ``on_mount`` along the MRO, so subclasses that define
        their own must not call ``super().on_mount()`` (that would load twice).
        """
        self._changes_seen = len(getattr(self.app, "case_changes", ()))
        self.app.when_ready(self.load)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Coming back to the screen (from a case, a form or another screen): reload only if a
        case it shows changed meanwhile. Not on the first showing: ``on_mount`` loads then.
        Also lets go of the app's watchers left by screens now closed (their headers)."""
        from caseworker.widgets.watchers import forget_removed_watchers

        forget_removed_watchers(self.app)
        if getattr(self, "_shown_before", False):
            self.check_changes()
        self._shown_before = True

    def check_changes(self) -> None:
        """Reload if a case this screen shows changed since it last looked (the App calls this
        on the screen in front for each ``CaseChanged``)."""
        changes: list[int] = getattr(self.app, "case_changes", [])
        seen = getattr(self, "_changes_seen", len(changes))
        self._changes_seen = len(changes)
        if self.workspace is not None and any(self.shows_case(c) for c in changes[seen:]):
            self.load()

    def shows_case(self, case_id: int) -> bool:
        """True if a change to case ``case_id`` may change what the screen shows. A list says
        yes to every case: one it lists may have changed, and one it does not list may now
        belong in it (an order recorded, a case allocated); the case screen only to its own.
        Nothing changed: no reload, so the cursor and the scroll stay as they were."""
        return True

    def load(self) -> None:
        """Fetch what the screen shows (override)."""
