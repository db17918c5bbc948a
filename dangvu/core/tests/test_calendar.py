"""Working days: weekends, Vietnamese public holidays and the administrator's declarations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core import calendar
from dangvu.core.calendar import WorkingCalendar, holiday_name
from dangvu.core.models import CalendarDay

PLAIN = WorkingCalendar()

dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def walk_count(cal: WorkingCalendar, start: date, end: date) -> int:
    """The definition of working_days_between, by walking day by day."""
    if end < start:
        return -walk_count(cal, end, start)
    return sum(cal.is_working_day(d) for d in days(start + timedelta(days=1), end))


def walk_add(cal: WorkingCalendar, start: date, n: int) -> date:
    """The definition of add_working_days, by walking day by day."""
    step = timedelta(days=1 if n > 0 else -1)
    d, remaining = start, abs(n)
    while remaining:
        d += step
        remaining -= cal.is_working_day(d)
    return d


# --- public holidays ---------------------------------------------------------------------------


def test_tet_2021() -> None:
    off = days(date(2021, 2, 10), date(2021, 2, 16))
    assert not any(PLAIN.is_working_day(d) for d in off)
    assert PLAIN.is_working_day(date(2021, 2, 9))
    assert PLAIN.is_working_day(date(2021, 2, 17))
    assert PLAIN.add_working_days(date(2021, 2, 9), 1) == date(2021, 2, 17)
    assert PLAIN.working_days_between(date(2021, 2, 9), date(2021, 2, 17)) == 1
    # February 2021 has 20 weekdays; 1 February is not counted, Tết takes 5.
    assert PLAIN.working_days_between(date(2021, 2, 1), date(2021, 2, 28)) == 14


def test_tet_2025() -> None:
    assert not any(PLAIN.is_working_day(d) for d in days(date(2025, 1, 25), date(2025, 2, 2)))
    assert PLAIN.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert PLAIN.add_working_days(date(2025, 2, 3), -1) == date(2025, 1, 24)
    assert PLAIN.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_reunification_and_labour_day_2021() -> None:
    # 30/4 is a Friday, 1/5 a Saturday, so Monday 3/5 is the day off in lieu.
    for d in (date(2021, 4, 30), date(2021, 5, 1), date(2021, 5, 3)):
        assert not PLAIN.is_working_day(d)
    assert PLAIN.add_working_days(date(2021, 4, 29), 1) == date(2021, 5, 4)


def test_reunification_and_labour_day_2025_with_substituted_day() -> None:
    # 2/5/2025 was given off in exchange for working Saturday 26/4/2025.
    for d in (date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)):
        assert not PLAIN.is_working_day(d)
    assert PLAIN.is_working_day(date(2025, 4, 26))
    assert PLAIN.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)
    assert PLAIN.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    # 25/4 (Fri) → 5/5 (Mon): Saturday 26/4, 28/4 and 29/4 worked, then 5/5.
    assert PLAIN.working_days_between(date(2025, 4, 25), date(2025, 5, 5)) == 4


def test_national_day_2021_and_2025() -> None:
    for d in (date(2021, 9, 2), date(2021, 9, 3), date(2025, 9, 1), date(2025, 9, 2)):
        assert not PLAIN.is_working_day(d)
    assert PLAIN.add_working_days(date(2021, 9, 1), 1) == date(2021, 9, 6)
    assert PLAIN.add_working_days(date(2025, 8, 29), 1) == date(2025, 9, 3)
    assert PLAIN.working_days_between(date(2025, 8, 29), date(2025, 9, 3)) == 1


def test_holiday_names_are_vietnamese() -> None:
    assert holiday_name(date(2021, 2, 12)) == "Tết Nguyên Đán"
    assert holiday_name(date(2021, 9, 2)) == "Quốc khánh"
    assert holiday_name(date(2021, 5, 3)) == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert holiday_name(date(2025, 5, 2)) == "Ngày nghỉ (thay cho ngày 26/04/2025)"
    assert holiday_name(date(2025, 5, 5)) is None


# --- declared exceptions -----------------------------------------------------------------------


def test_extra_day_off() -> None:
    cal = WorkingCalendar(extra_days_off={date(2021, 2, 17)})
    assert not cal.is_working_day(date(2021, 2, 17))
    assert cal.add_working_days(date(2021, 2, 9), 1) == date(2021, 2, 18)
    assert cal.working_days_between(date(2021, 2, 9), date(2021, 2, 18)) == 1


def test_saturday_declared_working() -> None:
    saturday = date(2021, 2, 20)
    cal = WorkingCalendar(extra_working_days={saturday})
    assert cal.is_working_day(saturday)
    assert not cal.is_working_day(date(2021, 2, 21))
    assert cal.add_working_days(date(2021, 2, 19), 1) == saturday
    assert cal.working_days_between(date(2021, 2, 19), date(2021, 2, 22)) == 2


def test_declarations_win_over_the_package() -> None:
    cal = WorkingCalendar(extra_days_off={date(2025, 4, 26)}, extra_working_days={date(2025, 5, 2)})
    assert not cal.is_working_day(date(2025, 4, 26))
    assert cal.is_working_day(date(2025, 5, 2))
    # Declaring what the weekday rule already says changes nothing.
    same = WorkingCalendar(
        extra_days_off={date(2021, 2, 20)}, extra_working_days={date(2021, 2, 9)}
    )
    assert same.working_days_between(date(2021, 1, 1), date(2021, 12, 31)) == (
        PLAIN.working_days_between(date(2021, 1, 1), date(2021, 12, 31))
    )


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="2021-02-20"):
        WorkingCalendar(extra_days_off=[date(2021, 2, 20)], extra_working_days=[date(2021, 2, 20)])


# --- definitions at the edges --------------------------------------------------------------------


def test_zero_and_negative_counts() -> None:
    sunday = date(2021, 2, 14)
    assert PLAIN.add_working_days(sunday, 0) == sunday
    assert PLAIN.add_working_days(date(2021, 2, 17), -1) == date(2021, 2, 9)
    assert PLAIN.add_working_days(date(2021, 2, 17), -2) == date(2021, 2, 8)
    assert PLAIN.working_days_between(date(2021, 2, 17), date(2021, 2, 17)) == 0
    assert PLAIN.working_days_between(date(2021, 2, 17), date(2021, 2, 9)) == -1
    assert PLAIN.working_days_between(date(2021, 2, 18), date(2021, 2, 9)) == -2


def test_cross_year_exchange_is_known() -> None:
    # 2/1/2015 was given off for Saturday 27/12/2014, declared in the 2015 decision.
    assert not PLAIN.is_working_day(date(2015, 1, 2))
    assert PLAIN.is_working_day(date(2014, 12, 27))
    assert PLAIN.working_days_between(date(2014, 12, 26), date(2014, 12, 29)) == 2


def test_long_spans_are_counted_not_walked() -> None:
    start = date(2000, 1, 4)  # a working day, so that counting back returns to it
    end = PLAIN.add_working_days(start, 250 * 40)
    assert PLAIN.working_days_between(start, end) == 250 * 40
    assert PLAIN.add_working_days(end, -250 * 40) == start
    assert date(2038, 1, 1) < end < date(2041, 1, 1)


CAL_WITH_EXCEPTIONS = WorkingCalendar(
    extra_days_off={date(2021, 2, 17), date(2024, 12, 30), date(2026, 1, 2)},
    extra_working_days={date(2021, 2, 20), date(2025, 4, 19), date(2027, 1, 9)},
)


@given(dates, st.integers(min_value=0, max_value=600))
def test_add_and_between_agree(start: date, n: int) -> None:
    for cal in (PLAIN, CAL_WITH_EXCEPTIONS):
        end = cal.add_working_days(start, n)
        assert cal.working_days_between(start, end) == n
        if n:
            assert cal.is_working_day(end)


@given(dates, st.integers(min_value=-300, max_value=300))
def test_add_working_days_matches_walking(start: date, n: int) -> None:
    assert CAL_WITH_EXCEPTIONS.add_working_days(start, n) == walk_add(CAL_WITH_EXCEPTIONS, start, n)


@given(dates, dates)
def test_working_days_between_matches_walking(start: date, end: date) -> None:
    if abs((end - start).days) <= 800:
        assert CAL_WITH_EXCEPTIONS.working_days_between(start, end) == walk_count(
            CAL_WITH_EXCEPTIONS, start, end
        )
    assert CAL_WITH_EXCEPTIONS.working_days_between(
        start, end
    ) == -CAL_WITH_EXCEPTIONS.working_days_between(end, start)


# --- the database-backed functions -------------------------------------------------------------


@pytest.mark.django_db
def test_database_functions_read_calendar_days(django_assert_num_queries: object) -> None:
    CalendarDay.objects.create(
        date=date(2021, 2, 17), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ thêm sau Tết"
    )
    CalendarDay.objects.create(
        date=date(2021, 2, 20), kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù ngày 17/02"
    )
    assert not calendar.is_working_day(date(2021, 2, 17))
    assert calendar.is_working_day(date(2021, 2, 20))
    assert calendar.add_working_days(date(2021, 2, 9), 1) == date(2021, 2, 18)
    assert calendar.add_working_days(date(2021, 2, 18), 2) == date(2021, 2, 20)
    assert calendar.working_days_between(date(2021, 2, 9), date(2021, 2, 22)) == 4
    assert calendar.working_days_between(date(2021, 2, 22), date(2021, 2, 9)) == -4
    with django_assert_num_queries(1):  # type: ignore[operator]
        calendar.add_working_days(date(2021, 2, 9), 5)


@pytest.mark.django_db
def test_database_functions_cache_nothing() -> None:
    assert calendar.is_working_day(date(2021, 2, 17))
    CalendarDay.objects.create(
        date=date(2021, 2, 17), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ thêm sau Tết"
    )
    assert not calendar.is_working_day(date(2021, 2, 17))


@pytest.mark.django_db
def test_add_working_days_reads_more_years_when_declarations_push_past_the_estimate(
    django_assert_num_queries: object,
) -> None:
    # Every weekday from 22/11 to 31/12/2021 declared off pushes one working day into 2022,
    # beyond the span first read; 3/1/2022 is the New Year day in lieu, 4/1 declared off.
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ")
        for d in days(date(2021, 11, 22), date(2021, 12, 31))
        if d.weekday() < 5
    )
    CalendarDay.objects.create(date=date(2022, 1, 4), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ")
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert calendar.add_working_days(date(2021, 11, 20), 1) == date(2022, 1, 5)
