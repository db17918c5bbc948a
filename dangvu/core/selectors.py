"""Reads of installation-wide data: the working-day calendar of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangvu.core import calendar
from dangvu.core.models import CalendarDay


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    working: bool
    name: str
    declared: CalendarDay | None


def calendar_year(year: int) -> list[CalendarEntry]:
    """The year's exceptions to "Monday to Friday": public holidays, exchanged Saturdays, and
    the days an administrator declared (which win), in date order."""
    declared = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    entries: dict[date, CalendarEntry] = {}
    for day, working in calendar.package_exceptions(year).items():
        name = calendar.holiday_name(day) or ("Ngày làm việc bù" if working else "Ngày nghỉ")
        entries[day] = CalendarEntry(day, working, name, None)
    for day, row in declared.items():
        working = row.kind == CalendarDay.Kind.WORKING_DAY
        entries[day] = CalendarEntry(day, working, row.reason, row)
    return [entries[d] for d in sorted(entries)]
