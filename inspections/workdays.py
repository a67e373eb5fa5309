"""Vietnamese working days: weekends and public holidays (Tết included) are skipped.

Public holidays come from the `holidays` package, which follows the government's
yearly decisions, so no list is kept here by hand.
"""

import datetime as dt
from functools import lru_cache

import holidays

# Decree 30/2020 and the inspection rules: the conclusion notice follows within 15 working days.
CONCLUSION_WORKING_DAYS = 15


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a public holiday of Vietnam."""
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date `count` working days after `start` (start itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    day, count = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def conclusion_deadline(round_end: dt.date) -> dt.date:
    """The last day to issue the conclusion notice: 15 working days after the round's end."""
    return add_working_days(round_end, CONCLUSION_WORKING_DAYS)
