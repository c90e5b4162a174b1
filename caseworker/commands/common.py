"""What the sub-commands share: settings, the store, and turning errors into one clear line."""

from __future__ import annotations

from caseworker.cli import CommandError


def load() -> "Settings":  # noqa: F821 - imported lazily
    """Settings from file and environment, or a CommandError naming the problem."""
    from caseworker.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def open_store(settings=None, *, announce: bool = True):
    """A Store over the configured database, upgraded to the current schema (saying so on
    standard error, with where the backup copy went, unless ``announce`` is False)."""
    import sys

    from caseworker.clock import Clock
    from caseworker.store.context import Store
    from caseworker.store.db import StoreUnavailable
    from caseworker.store.migrate import open_store as open_engine

    settings = settings or load()
    try:
        engine = open_engine(settings.database_url,
                             on_upgrade=(lambda said: print(f"caseworker: {said}", file=sys.stderr)) if announce else None)
    except StoreUnavailable as exc:
        raise CommandError(str(exc), status=1) from None
    return Store(engine, settings, Clock(settings.today))
