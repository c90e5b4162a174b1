"""The foundation of the demo builder: working-day arithmetic over a precomputed table of
working days, and rows collected per table (ids precomputed, audit events, correspondence)
until they are taken to be inserted.

The other parts of the builder (:mod:`.people`, :mod:`.steps`, :mod:`.timelines`,
:mod:`.plans`) are subclasses of :class:`BuilderBase`, so each reads on its own.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.guidance_sets import Guidance
from caseworker.rules.policy import Policy
from caseworker.rules.remedy_calculator import Calculation
from caseworker.store.demo.model import Off
from caseworker.store.demo.writer import TABLES

#: Every minute of a day as the time part of SQLite's stored datetime text ("09:30:00.000000", UTC).
SQLITE_CLOCK = tuple(f"{m // 60:02d}:{m % 60:02d}:00.000000" for m in range(1440))
#: Every minute of a day as the time part of PostgreSQL's text input for a UTC timestamptz ("09:30:00+00").
POSTGRESQL_CLOCK = tuple(f"{m // 60:02d}:{m % 60:02d}:00+00" for m in range(1440))


class BuilderBase:
    """Working days, and rows kept per table until taken: what every part of the builder shares."""

    def policy_named(self, key: str) -> Policy:
        """A profile by key (the two the demo was built with, or a shipped one)."""
        if key not in self._policies:
            from caseworker.rules.policy import load_policy

            self._policies[key] = load_policy(key)
        return self._policies[key]

    def __init__(
        self,
        rng: random.Random,
        today: date,
        cal: WorkingCalendar,
        policy: Policy,
        old_policy: Policy,
        cutover: date,
        me: str,
        history_start: date,
    ) -> None:
        self.rng, self.today, self.cal = rng, today, cal
        self.policy, self.old_policy, self.cutover = policy, old_policy, cutover
        self.me = me
        self.history_start = history_start
        self._policies = {policy.key: policy, old_policy.key: old_policy}
        self.full_record_from = today - timedelta(days=180)
        self.rows: dict[str, list[dict]] = {t.__table__.name: [] for t in TABLES}
        self.ids: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.total_rows = 0
        first, last = history_start - timedelta(days=800), today + timedelta(days=800)
        day, wd = first, []
        while day <= last:
            if cal.is_working_day(day):
                wd.append(day.toordinal())
            day += timedelta(days=1)
        self.wd = wd
        # The same working days as dates, and for every day of the range the index of the first
        # working day after it (bisect_right on ``wd``): the builder's ``add`` is then two lookups.
        self._wd_dates = [date.fromordinal(o) for o in wd]
        self._first = first.toordinal()
        self._after = [bisect_right(wd, o) for o in range(self._first, last.toordinal() + 1)]
        self.today_wd = self.last_wd(today)
        self._calc_cache: dict[tuple, Calculation] = {}
        self._guidance: dict[date, Guidance] = {}
        self._times: dict[int, datetime] = {}
        self._day_text = ""
        #: When set (in a worker process, parallel.py), :meth:`at` returns text: the day's ISO date,
        #: a space and this table's entry for the minute (:data:`SQLITE_CLOCK`, :data:`POSTGRESQL_CLOCK`)
        self.clock: tuple[str, ...] | None = None
        self._random = rng.random
        self._audit_id = 0
        self._audit_step = 1  # a worker process numbers every PARTS-th id (parallel.py)
        self._audit_rows = self.rows["audit_event"]
        self._definitions: dict[str, str] = {}
        self._minute = 0
        self._day: date | None = None
        self.officers: dict[str, Off] = {}
        self.reps: dict[tuple[int, str], int] = {}
        self.planned_reps: dict[int, tuple[str, int]] = {}  # resident -> (relationship, representative id)
        self.first_resident = 1

    # -- working days --------------------------------------------------------------------

    def add(self, day: date, n: int) -> date:
        """``cal.add(day, n)`` read from the builder's own table of working days (the same days,
        looked up without the calendar's checks: the builder calls this about twenty times a case)."""
        k = day.toordinal() - self._first
        if n <= 0 or k < 0 or k >= len(self._after):
            return self.cal.add(day, n)
        i = self._after[k] + n - 1
        if i >= len(self._wd_dates):
            return self.cal.add(day, n)
        return self._wd_dates[i]

    def back(self, day: date, n: int) -> date:
        """The working day with exactly ``n`` working days in (it, ``day``]; ``day`` must be a working day."""
        i = bisect_left(self.wd, day.toordinal())
        assert self.wd[i] == day.toordinal(), day
        return date.fromordinal(self.wd[i - n])

    def last_wd(self, day: date) -> date:
        return date.fromordinal(self.wd[bisect_right(self.wd, day.toordinal()) - 1])

    # -- random draws (the rng's own helpers check their arguments on every call; these do not) ---

    def pick(self, seq):
        """One item of ``seq``, each equally likely (as ``rng.choice``)."""
        return seq[int(self._random() * len(seq))]

    def between(self, a: int, b: int) -> int:
        """A whole number from ``a`` to ``b`` inclusive, each equally likely (as ``rng.randint``)."""
        return a + int(self._random() * (b - a + 1))

    def weighted(self, seq, cum_weights):
        """One item of ``seq`` drawn with the cumulative weights (as ``rng.choices(..., k=1)[0]``)."""
        return seq[bisect_right(cum_weights, self._random() * cum_weights[-1], 0, len(cum_weights) - 1)]

    def random_wd(self, first: date, last: date) -> date:
        lo, hi = bisect_left(self.wd, first.toordinal()), bisect_right(self.wd, last.toordinal()) - 1
        return date.fromordinal(self.wd[self.between(lo, hi)])

    # -- rows ----------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def number_as_part(self, part: int, parts: int) -> None:
        """From now on, number new rows as part ``part`` of ``parts`` worker processes do: every
        ``parts``-th id after those already given (``part`` + 1, + ``parts``, ...), so the
        parts' ids never meet; a case's id is set by the caller (``ids["complaint_case"]``)."""
        base = dict(self.ids)
        counts = self.ids

        def next_id(table: str) -> int:
            n = counts[table] + 1
            counts[table] = n
            if table == "complaint_case":
                return n
            start = base.get(table, 0)
            return start + (n - 1 - start) * parts + part + 1

        self.next_id = next_id  # type: ignore[method-assign]
        self._audit_id += part + 1 - parts
        self._audit_step = parts

    def at(self, day: date) -> datetime | str:
        """A time on ``day`` (office hours), later than the previous event of the case on the same day.

        With :attr:`clock` set (a worker process) the time is returned as text the database
        stores as that datetime: on SQLite exactly what ``bulk.sqlite_datetime`` writes
        (``YYYY-MM-DD HH:MM:00.000000``, UTC), on PostgreSQL COPY's text input
        (``YYYY-MM-DD HH:MM:00+00``), so no datetime is made or converted per event. The
        builder only ever stores these times, never compares or shifts them."""
        if day != self._day:
            self._day = day
            self._minute = 510 + int(self._random() * 300)
            if self.clock is not None:
                self._day_text = day.isoformat() + " "
        else:
            self._minute += 1 + int(self._random() * 25)
        minute = self._minute if self._minute < 1440 else 1439
        if self.clock is not None:
            return self._day_text + self.clock[minute]
        key = day.toordinal() * 1440 + minute
        at = self._times.get(key)
        if at is None:
            if len(self._times) > 100_000:
                self._times.clear()
            at = self._times[key] = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=UTC)
        return at

    def audit(
        self, day: date, actor: str, action: str, detail: str, case_id: int | None, after: str = "", before: str = ""
    ) -> datetime | str:
        at = self.at(day)
        self._audit_id += self._audit_step
        self._audit_rows.append(
            {
                "id": self._audit_id,
                "at": at,
                "actor": actor,
                "case_id": case_id,
                "action": action,
                "detail": detail,
                "before": before,
                "after": after,
            }
        )
        return at

    def correspondence(
        self,
        case_id: int,
        day: date,
        by: str,
        kind: str,
        subject: str,
        body: str,
        *,
        direction: str = "internal",
        letter_kind: str = "",
    ) -> None:
        at = self.at(day)
        cid = self.next_id("correspondence")
        self.rows["correspondence"].append(
            {
                "id": cid,
                "case_id": case_id,
                "kind": kind,
                "direction": direction,
                "letter_kind": letter_kind,
                "subject": subject,
                "body": body,
                "at": at,
                "by": by,
            }
        )
        if letter_kind:
            self.audit(
                day,
                by,
                "letter issued",
                subject,
                case_id,
                after=f'{{"correspondence_id": {cid}, "letter_kind": "{letter_kind}"}}',
            )
        elif direction == "internal" or kind == "note":
            self.audit(
                day,
                by,
                f"{kind} added",
                body[:120],
                case_id,
                after=f'{{"correspondence_id": {cid}, "letter_kind": ""}}',
            )
        else:
            self.audit(
                day,
                by,
                f"{kind} added",
                subject or body[:120],
                case_id,
                after=f'{{"correspondence_id": {cid}, "letter_kind": ""}}',
            )

    def take(self) -> dict[str, list[dict]]:
        """Everything collected so far (to insert); collecting starts again empty."""
        taken = self.rows
        self.rows = {name: [] for name in taken}
        self._audit_rows = self.rows["audit_event"]
        self.total_rows += sum(len(rows) for rows in taken.values())
        return taken
