"""The inputs the stored due dates are computed from, as a JSON-ready dict (no SQLAlchemy here).

Kept apart from :mod:`caseworker.store.services.due_dates` (which stores them and recomputes
the open cases when they change) so that start-up can tell, before SQLAlchemy is imported,
whether the due dates in the database are current (:mod:`caseworker.store.queries.inbox_sql`),
and the demo builder can record them.
"""

from __future__ import annotations

import hashlib
from datetime import date

from caseworker.config import Settings
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.policy import policy_files

#: Bumped when the way due dates are worked out changes (e.g. a late acknowledgement no
#: longer extends the response deadline), so stored dates are recomputed on upgrade.
RULES_VERSION = "2"
#: The Setting row holding the inputs the stored due dates were computed from.
SETTING_KEY = "due_inputs"
#: Years of bank holidays recorded: every open case's dates fall in this window.
FIRST_YEAR = 2012


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def due_inputs_years(today: date) -> tuple[int, int]:
    """The years whose bank holidays are recorded with the due dates seen on ``today``:
    :data:`FIRST_YEAR` to three years after ``today``."""
    return FIRST_YEAR, today.year + 3


def due_inputs_for(cal: WorkingCalendar, settings: Settings, today: date) -> dict:
    """The region, its bank holidays (in :func:`due_inputs_years`), the closure days, a digest
    of every policy file and the settings that choose a profile: everything a stored due date
    depends on, as a JSON-ready dict."""
    _first, last = due_inputs_years(today)
    holidays = {d.isoformat(): n for d, n in cal.bank_holidays(FIRST_YEAR, last).items()}
    policies = {
        key: _digest(path.read_text(encoding="utf-8"))
        for key, path in sorted(policy_files(settings.policy_dirs).items())
    }
    return {
        "rules": RULES_VERSION,
        "region": cal.region,
        "years": [FIRST_YEAR, last],
        "holidays": holidays,
        "closures": {d.isoformat(): n for d, n in sorted(cal.closure_days.items())},
        "policies": policies,
        "policy": settings.policy,
        "policy_by_received_date": settings.policy_by_received_date,
    }
