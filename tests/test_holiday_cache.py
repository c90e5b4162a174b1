"""The bank holidays kept for start-up (issue 17, Deliver 2): a calendar built from the kept
table counts exactly as one built from the ``holidays`` package, the file is used only while
it matches the installed package, and a damaged file is read again from the package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from caseworker import holiday_cache
from caseworker.rules.calendar import REGIONS, HolidayTable, WorkingCalendar, holiday_table


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_a_calendar_from_the_kept_table_counts_as_the_package_does(region):
    table = holiday_table(region, 2024, 2027)
    kept = WorkingCalendar(region, {date(2025, 12, 29): "Christmas shutdown"}, known=table)
    plain = WorkingCalendar(region, {date(2025, 12, 29): "Christmas shutdown"})
    # Inside the kept years and beyond them (2029 is read from the package on demand).
    day, end = date(2023, 11, 1), date(2029, 2, 1)
    while day < end:
        assert kept.non_working_reason(day) == plain.non_working_reason(day), day
        day += timedelta(days=1)
    for start in (date(2025, 12, 19), date(2026, 3, 30), date(2027, 12, 20), date(2028, 12, 22)):
        assert kept.add(start, 20) == plain.add(start, 20)
        assert kept.days_left(start, date(2025, 12, 19)) == plain.days_left(start, date(2025, 12, 19))
    assert kept.bank_holidays(2012, 2028) == plain.bank_holidays(2012, 2028)
    assert kept.known_years == plain.known_years


def test_christmas_2025_from_the_kept_table():
    # England and Wales, worked out by hand: Thu 25 and Fri 26 December 2025 are bank holidays,
    # so 5 working days after Fri 19 Dec are Mon 22, Tue 23, Wed 24, Mon 29, Tue 30.
    table = holiday_table("england-and-wales", 2025, 2026)
    assert table.days[date(2025, 12, 25)] == "Christmas Day"
    cal = WorkingCalendar(known=table)
    assert cal.add(date(2025, 12, 19), 5) == date(2025, 12, 30)
    assert cal.non_working_reason(date(2025, 12, 26)) == "Boxing Day"


def test_a_table_for_another_region_is_not_used():
    scottish = holiday_table("scotland", 2025, 2026)  # 2 January is a bank holiday in Scotland only
    cal = WorkingCalendar("england-and-wales", known=scottish)
    assert cal.is_working_day(date(2026, 1, 2))


def test_the_table_is_kept_and_read_back_without_the_package(tmp_path):
    data = tmp_path / "data"
    first = holiday_cache.bank_holidays(data, "england-and-wales", 2012, 2028)
    path = holiday_cache.cache_path(data, "england-and-wales")
    assert path.exists()
    again = holiday_cache.load(data, "england-and-wales", 2012, 2028)
    assert again == first
    assert holiday_cache.load(data, "england-and-wales", 2012, 2035) is None  # not the years asked for
    assert holiday_cache.load(data, "scotland", 2012, 2028) is None  # another region: its own file
    code = (
        "import sys; from pathlib import Path; from caseworker import holiday_cache; "
        f"t = holiday_cache.bank_holidays(Path({str(data)!r}), 'england-and-wales', 2012, 2028); "
        "print(len(t.days), 'holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(first.days)), "False"]


def test_a_kept_table_from_another_holidays_release_is_read_again(tmp_path):
    data = tmp_path / "data"
    table = holiday_cache.bank_holidays(data, "england-and-wales", 2024, 2026)
    path = holiday_cache.cache_path(data, "england-and-wales")
    raw = json.loads(path.read_text())
    raw["stamp"] = raw["stamp"] + "|an older release"
    raw["days"]["2026-06-01"] = "A bank holiday that release had"
    path.write_text(json.dumps(raw))
    assert holiday_cache.load(data, "england-and-wales", 2024, 2026) is None
    assert holiday_cache.bank_holidays(data, "england-and-wales", 2024, 2026) == table
    assert "2026-06-01" not in json.loads(path.read_text())["days"]  # written again from the package


@pytest.mark.parametrize("damage", ["", "{not json", '{"format": 1}', "[]", '{"format": 1, "days": 3}'])
def test_a_damaged_file_is_read_again_from_the_package(tmp_path, damage):
    data = tmp_path / "data"
    data.mkdir()
    path = holiday_cache.cache_path(data, "england-and-wales")
    path.write_text(damage)
    table = holiday_cache.bank_holidays(data, "england-and-wales", 2024, 2026)
    assert isinstance(table, HolidayTable) and table.days[date(2025, 12, 25)] == "Christmas Day"
    assert holiday_cache.load(data, "england-and-wales", 2024, 2026) == table


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    table = holiday_cache.bank_holidays(blocker, "england-and-wales", 2025, 2025)
    assert table.days[date(2025, 12, 26)] == "Boxing Day"
