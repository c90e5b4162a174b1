"""The injected clock: where "today" and "now" come from, so tests and training are deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic


@dataclass(frozen=True)
class Clock:
    """System time, or a fixed date when ``fixed`` is set (``CASEWORKER_TODAY``).

    ``fixed_time`` also fixes the time of day (UTC), for screenshots that must not change; with
    ``ticking``, the time of day starts there and runs on with real time (:meth:`at`).
    """

    fixed: date | None = None
    fixed_time: time | None = None
    ticking: bool = False

    def today(self) -> date:
        """Today's date."""
        return self.fixed or date.today()

    def now(self) -> datetime:
        """The current moment (UTC); on a fixed date, that date with the real time of day, or with
        ``fixed_time`` (running on from it when ``ticking``)."""
        real = datetime.now(UTC)
        if self.fixed is None:
            return real
        if self.fixed_time is not None:
            at = datetime.combine(self.fixed, self.fixed_time, tzinfo=UTC)
            return at + timedelta(seconds=monotonic() - _IMPORTED) if self.ticking else at
        return datetime.combine(self.fixed, real.timetz())

    @staticmethod
    def at(day: date) -> Clock:
        """A clock fixed on ``day`` whose time of day runs on from 12:00 UTC (tests, the demo's week).

        Time passes as it really does (events recorded one after another keep their order), but
        from :data:`TICKING_FROM` at the moment this module was imported, not from the machine's
        time of day: 12:00 UTC is the same day in the UK all year (13:00 in British Summer
        Time), for eleven hours of running. With the real time of day, an event recorded between
        23:00 and 00:00 UTC on a summer date fell on the next UK day. Every such clock in a
        process reads the same time.
        """
        return Clock(fixed=day, fixed_time=TICKING_FROM, ticking=True)


#: The time of day (UTC) at which :meth:`Clock.at`'s clocks start, when this module is imported.
TICKING_FROM = time(12, 0)
_IMPORTED = monotonic()


def midday(day: date) -> datetime:
    """Noon UTC on ``day``: a stable timestamp for dated events recorded without a time."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


#: The councils caseworker serves are in England: times shown to officers are UK time
#: (GMT in winter, BST in summer) whatever zone the machine runs in (a server is often UTC).
LOCAL_ZONE = "Europe/London"


def local(at: datetime) -> datetime:
    """A stored timestamp as UK local time (:data:`LOCAL_ZONE`); naive timestamps are UTC.

    Falls back to the machine's zone only where no time-zone database is installed (Windows
    without the ``tzdata`` package).
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        from zoneinfo import ZoneInfo

        return at.astimezone(ZoneInfo(LOCAL_ZONE))
    except Exception:  # noqa: BLE001 - zoneinfo.ZoneInfoNotFoundError (no tz database) and the like
        return at.astimezone()
