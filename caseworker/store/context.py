"""The store context: one engine, the settings, the clock and the calendar, passed to every
service and query so none of them reads configuration or the system clock by itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import Engine
from sqlmodel import Session

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.policy import Policy, load_policy, policy_key_for_received, stage2_policy_key
from caseworker.store.db import session_scope


@dataclass
class Store:
    """Everything a service or query needs: the engine, settings, clock and calendar."""

    engine: Engine
    settings: Settings
    clock: Clock = field(default_factory=Clock)
    #: Called after each committed transaction that audited changes to cases, with their ids,
    #: in the thread that committed (the app turns them into ``CaseChanged`` messages).
    on_cases_changed: Callable[[frozenset[int]], None] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The working-day calendar in force (region plus closure days), with the bank holidays
        kept in the data folder (:func:`caseworker.holiday_cache.bank_holidays`, as start-up reads
        them; written there from the ``holidays`` package when missing or stale): a command
        need not import and build the package's calendar (about 0.13 s of CPU, a tenth of a
        20,000-row tracker import). Years outside the file are read from the package as before."""
        from caseworker import holiday_cache
        from caseworker.config import data_dir
        from caseworker.store.due_inputs import due_inputs_years

        first, last = due_inputs_years(self.clock.today())
        try:
            known = holiday_cache.bank_holidays(data_dir(), self.settings.region, first, last)
        except OSError:  # no data folder to keep them in: the package, as before
            return self.settings.calendar()
        return WorkingCalendar(self.settings.region, self.settings.closure_days, known=known)

    @cached_property
    def inbox_engine(self) -> Engine:
        """The engine the inbox's pages, counts and searches are read through: on a SQLite file,
        one connection of its own with a page cache of :data:`caseworker.store.db.PAGE_CACHE_KIB`,
        so the pages the inbox reads again at every refresh stay in memory while the cases opened
        over a day pass through the other connections' default caches (issue 17: a long day's
        memory). Elsewhere (PostgreSQL: the server caches; SQLite in memory: one database per
        connection) the store's engine itself."""
        from caseworker.store.db import PAGE_CACHE_KIB, make_engine, sqlite_path

        url = self.engine.url.render_as_string(hide_password=False)
        if self.engine.dialect.name != "sqlite" or sqlite_path(url) is None:
            return self.engine
        return make_engine(url, page_cache_kib=PAGE_CACHE_KIB)

    def policy(self, key: str | None = None) -> Policy:
        """A policy profile (the configured default when ``key`` is None)."""
        return load_policy(key or self.settings.policy, self.settings.policy_dirs)

    def policy_key_for(self, received: date) -> str:
        """The profile a complaint received on ``received`` is logged under (hoc-2022 before
        1 April 2024 when the configured profile is hoc-2024 and ``policy_by_received_date`` is on)."""
        return policy_key_for_received(self.settings.policy, received, self.settings.policy_by_received_date)

    def stage2_policy_key(self, case_key: str, requested: date) -> str:
        """The profile a Stage 2 requested on ``requested`` is worked under (see rules.policy.stage2_policy_key)."""
        return stage2_policy_key(case_key, requested, self.settings.policy_by_received_date)

    def stage_policy(self, case_key: str, stage_key: str) -> Policy:
        """The profile of one stage: its own when set, else the case's."""
        return self.policy(stage_key or case_key)

    def today(self) -> date:
        """Today, from the injected clock."""
        return self.clock.today()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success and rolled back on error; after
        the commit, ``on_cases_changed`` hears which cases it changed (``services.base.audit``
        notes them in ``session.info["changed_cases"]``)."""
        with session_scope(self.engine) as session:
            yield session
        changed = session.info.get("changed_cases")
        if changed and self.on_cases_changed is not None:
            self.on_cases_changed(frozenset(changed))

    def close(self) -> None:
        """Checkpoint (SQLite) and close every connection: see :func:`store.db.close_engine`."""
        from caseworker.store.db import close_engine

        inbox = self.__dict__.pop("inbox_engine", None)
        if inbox is not None and inbox is not self.engine:
            inbox.dispose()
        close_engine(self.engine)

    def reset_calendar(self) -> None:
        """Forget the cached calendar (after the closure days change)."""
        self.__dict__.pop("calendar", None)
