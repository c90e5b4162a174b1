"""Bank holidays kept in a small file in the user's data folder, for start-up.

Importing the ``holidays`` package and building the United Kingdom's calendar costs more
than a tenth of a second, and start-up needs only one region's bank holidays from 2012 to
a few years ahead: to check that the stored due dates are current
(:func:`caseworker.store.due_inputs.due_inputs_for`) and to count the working days left on
the inbox's first page. So the table read from the package once is kept in
``<data folder>/bank-holidays-<region>.json``, stamped with the installed package's version
and files: a new ``holidays`` release (a bank holiday added at short notice) has another
stamp, so the table is read from the package again and the due dates checked against it.
A missing, damaged or stale file only means the package is read as before.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from caseworker.rules.calendar import HolidayTable, holiday_table

#: Bumped when the file's layout changes.
FORMAT = 1


def package_stamp() -> str | None:
    """What identifies the installed ``holidays`` package, found without importing it: its
    folder, its version (the name of its ``.dist-info`` folder) and the modification time of
    its files that hold the United Kingdom's holidays; None when it cannot be found."""
    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    try:
        dist = sorted(p.name for p in package.parent.glob("holidays-*.dist-info"))
        files = [package / "__init__.py", package / "countries" / "united_kingdom.py"]
        times = [str(f.stat().st_mtime_ns) for f in files if f.exists()]
    except OSError:
        return None
    return "|".join([str(package), *dist, *times])


def cache_path(data_dir: Path, region: str) -> Path:
    """The cache file for ``region`` in the data folder ``data_dir``."""
    return data_dir / f"bank-holidays-{region}.json"


def load(data_dir: Path, region: str, first_year: int, last_year: int) -> HolidayTable | None:
    """The cached table for ``region`` if it covers ``first_year`` to ``last_year`` (or as much
    of them as the package knows) and was read from the package installed now; else None."""
    stamp = package_stamp()
    if stamp is None:
        return None
    try:
        raw = json.loads(cache_path(data_dir, region).read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or raw.get("stamp") != stamp or raw.get("region") != region:
            return None
        years = (int(raw["years"][0]), int(raw["years"][1]))
        known = (int(raw["known_years"][0]), int(raw["known_years"][1]))
        days = {date.fromisoformat(d): str(n) for d, n in raw["days"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    if not (years[0] <= max(first_year, known[0]) and min(last_year, known[1]) <= years[1]):
        return None
    return HolidayTable(region, years, known, days)


def save(data_dir: Path, table: HolidayTable) -> None:
    """Keep ``table`` for the next start (written whole, then renamed over the old file);
    a folder that cannot be written to is left alone."""
    stamp = package_stamp()
    if stamp is None:
        return
    raw = {
        "format": FORMAT,
        "stamp": stamp,
        "region": table.region,
        "years": list(table.years),
        "known_years": list(table.known_years),
        "days": {d.isoformat(): n for d, n in sorted(table.days.items())},
    }
    target = cache_path(data_dir, table.region)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=data_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(raw, out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def bank_holidays(data_dir: Path, region: str, first_year: int, last_year: int) -> HolidayTable:
    """The bank holidays of ``region`` from ``first_year`` to ``last_year``: from the cache file
    when it is current, else read from the ``holidays`` package and kept for next time.

    Raises:
        UnknownRegion: for a region not in :data:`caseworker.rules.calendar.REGIONS`.
    """
    table = load(data_dir, region, first_year, last_year)
    if table is None:
        table = holiday_table(region, first_year, last_year)
        save(data_dir, table)
    return table
