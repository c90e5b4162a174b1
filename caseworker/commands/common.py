"""What the sub-commands share: settings, the store, and turning errors into one clear line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.cli import CommandError

if TYPE_CHECKING:
    from caseworker.config import Settings


def load() -> Settings:
    """Settings from file and environment, or a CommandError naming the problem."""
    from caseworker.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def open_store(settings=None, *, announce: bool = True, check_due_dates: bool = True):
    """A Store over the configured database, upgraded to the current schema (saying so on
    standard error, with where the backup copy went, unless ``announce`` is False).

    Before anything is read, the stored due dates are checked against their inputs (bank
    holidays, closure days, region, policy files): when those changed, the open cases are
    recomputed, each moved date is noted on its case's timeline, and one line on standard
    error says why and how many moved (``check_due_dates=False`` for a backup, which only copies).
    """
    import sys

    from caseworker.clock import Clock
    from caseworker.store.context import Store
    from caseworker.store.db import StoreUnavailable
    from caseworker.store.migrate import open_store as open_engine

    settings = settings or load()
    try:
        engine = open_engine(
            settings.database_url,
            on_upgrade=(lambda said: print(f"caseworker: {said}", file=sys.stderr)) if announce else None,
        )
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    store = Store(engine, settings, Clock(settings.today))
    if check_due_dates:
        report_recompute(store)
    return store


def report_recompute(store) -> None:
    """Recompute the open cases' due dates if their inputs changed, saying so on standard error."""
    import sys

    from caseworker.rules.calendar import OutsideCalendar
    from caseworker.store.services import DomainError
    from caseworker.store.services.due_dates import ensure_due_dates_current

    try:
        done = ensure_due_dates_current(store)
    except (DomainError, OutsideCalendar) as exc:
        store.engine.dispose()
        raise CommandError(f"the due dates could not be brought up to date: {exc}", status=1) from None
    # said when a date moved, or when the inputs changed and none did; not for a first check
    # that moved nothing (after a first import: "0 due dates moved" told the officer nothing)
    if done is not None and (done.moved or (done.checked and not done.first)):
        print(f"caseworker: {done.summary()}", file=sys.stderr)
