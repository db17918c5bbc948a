"""Working days in Vietnam: deadlines such as "within 15 working days" counted as offices do.

Saturdays, Sundays and the public holidays (the ``holidays`` package: lunar Tết, substituted
and observed days, Saturdays worked in exchange) are days off. Every year the government also
moves days by announcement; administrators record those as ``CalendarDay`` rows, which win over
the package.

``WorkingCalendar`` holds the rules and is pure, so tests and batch jobs can build one from
explicit sets. The module-level functions read the ``CalendarDay`` rows of the years concerned
on every call, so an administrator's correction applies at once, with nothing cached between
requests. The package's data never changes while the process runs and is cached per year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

__all__ = [
    "WorkingCalendar",
    "add_working_days",
    "holiday_name",
    "is_working_day",
    "package_exceptions",
    "working_days_between",
]

_COUNTRY = "VN"
_ONE_DAY = timedelta(days=1)
# Whole weeks are skipped by counting, not by walking, once this many working days remain.
_JUMP_THRESHOLD = 10


@lru_cache(maxsize=256)
def _package_exceptions(year: int) -> Mapping[date, bool]:
    """Days of ``year`` whose status in the package differs from "Monday–Friday work".

    ``False`` for a weekday holiday, ``True`` for a weekend day worked in exchange. An exchange
    can cross a year (a Saturday in late December worked for a day off on 2 January), so the
    neighbouring years are generated too and the result is filtered to ``year``.
    """
    package = holidays.country_holidays(_COUNTRY, years=(year - 1, year, year + 1))
    status = {d: False for d in package if d.year == year and d.weekday() < 5}
    for d in package.weekend_workdays:
        if d.year == year and d.weekday() >= 5:
            status[d] = True
    return MappingProxyType(status)


@lru_cache(maxsize=256)
def _holiday_names(year: int) -> Mapping[date, str]:
    """The package's Vietnamese holiday names of ``year``, built once per process."""
    names = holidays.country_holidays(_COUNTRY, years=year, language="vi")
    return MappingProxyType(dict(names.items()))


def package_exceptions(year: int) -> Mapping[date, bool]:
    """The package's exceptions of ``year``: ``False`` for a weekday off, ``True`` for a
    weekend day worked (the calendar page lists them beside the declared days)."""
    return _package_exceptions(year)


def holiday_name(d: date) -> str | None:
    """The Vietnamese name of the public holiday on ``d`` ("Tết Nguyên Đán"), or ``None``.

    From the ``holidays`` package only: substituted days read "Ngày nghỉ (thay cho ngày
    26/04/2025)", observed ones end in "(nghỉ bù)", two holidays on one day are joined by
    "; ". Days declared by an administrator carry their own ``CalendarDay.reason``.
    """
    return _holiday_names(d.year).get(d)


def _weekdays_through(d: date) -> int:
    """Number of Mondays–Fridays from 1 January of year 1 (a Monday) through ``d``."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingCalendar:
    """Working-day arithmetic over weekends, public holidays and declared exceptions.

    ``extra_days_off`` are days off whatever the package says (an extra Tết bridge day);
    ``extra_working_days`` are working days whatever the package says (a Saturday worked in
    exchange). A day cannot be in both.
    """

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self._overrides: dict[date, bool] = dict.fromkeys(extra_days_off, False)
        working = set(extra_working_days)
        clash = working.intersection(self._overrides)
        if clash:
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"days declared both off and working: {days}")
        self._overrides.update(dict.fromkeys(working, True))
        self._years: dict[int, dict[date, bool]] = {}

    def _exceptions(self, year: int) -> dict[date, bool]:
        """Days of ``year`` that are not "Monday–Friday work, weekend off", with their status."""
        status = self._years.get(year)
        if status is None:
            status = dict(_package_exceptions(year))
            for d, working in self._overrides.items():
                if d.year == year:
                    status[d] = working
            # An override that agrees with the weekday rule is no exception; dropping it keeps
            # the counting in working_days_between exact.
            status = {d: w for d, w in status.items() if w != (d.weekday() < 5)}
            self._years[year] = status
        return status

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        return self._exceptions(d.year).get(d, d.weekday() < 5)

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days ``d`` with ``start < d <= end``; negated if ``end < start``.

        Counting excludes the start day as a deadline does ("received on the 3rd, answered on
        the 5th" took two days), so ``working_days_between(d, add_working_days(d, n)) == n``
        for ``n >= 0``. For ``end < start`` it is ``-working_days_between(end, start)``, i.e.
        minus the working days in ``end < d <= start``. Cost is per year, not per day.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_through(end) - _weekdays_through(start)
        for year in range(start.year, end.year + 1):
            for d, working in self._exceptions(year).items():
                if start < d <= end:
                    count += 1 if working else -1
        return count

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``, not counting ``start`` itself.

        ``n >= 1``: the n-th working day strictly after ``start`` (the due date of "within n
        working days"). ``n == 0``: ``start`` itself, working day or not. ``n <= -1``: the
        |n|-th working day strictly before ``start``. Spans of many weeks are crossed with
        ``working_days_between`` in week-sized jumps, so decades cost little.
        """
        if n == 0:
            return start
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        d = start
        remaining = abs(n)  # working days still to pass, the one to return included
        while remaining > 0:
            if remaining >= _JUMP_THRESHOLD:
                # k whole weeks hold at most 5k weekdays; more only with weekend work days,
                # hence the check. Stop short of the last day so that it is found below.
                weeks = remaining // 5 - 1
                target = d + step * (7 * weeks)
                if n > 0:
                    passed = self.working_days_between(d, target)
                else:
                    passed = self.working_days_between(target - _ONE_DAY, d - _ONE_DAY)
                if passed < remaining:
                    d, remaining = target, remaining - passed
                    continue
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d


def _from_database(first_year: int, last_year: int) -> WorkingCalendar:
    """A calendar with the ``CalendarDay`` rows of ``first_year`` through ``last_year``."""
    from dangvu.core.models import CalendarDay

    rows = CalendarDay.objects.filter(
        date__gte=date(first_year, 1, 1), date__lte=date(last_year, 12, 31)
    ).values_list("date", "kind")
    days_off: list[date] = []
    working_days: list[date] = []
    for d, kind in rows:
        (working_days if kind == CalendarDay.Kind.WORKING_DAY else days_off).append(d)
    return WorkingCalendar(days_off, working_days)


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day, with the administrator's declarations applied."""
    return _from_database(d.year, d.year).is_working_day(d)


def working_days_between(start: date, end: date) -> int:
    """``WorkingCalendar.working_days_between`` with the administrator's declarations."""
    first, last = sorted((start, end))
    return _from_database(first.year, last.year).working_days_between(start, end)


def add_working_days(start: date, n: int) -> date:
    """``WorkingCalendar.add_working_days`` with the administrator's declarations.

    The rows are read for the years the result can fall in, estimated generously (holidays
    take under 20 weekdays a year); if declarations stretch the span beyond that estimate,
    the rows are read again for the wider span. The result is always computed from rows
    covering every day between ``start`` and it.
    """
    span = timedelta(days=abs(n) * 7 // 5 + 30 + abs(n) // 10)
    first, last = (start, start + span) if n >= 0 else (start - span, start)
    while True:
        result = _from_database(first.year, last.year).add_working_days(start, n)
        if first.year <= result.year <= last.year:
            return result
        first = min(first, date(result.year, 1, 1))
        last = max(last, date(result.year, 12, 31))
