"""Member rules: the citizen ID, party age, transfer limits, cell sizes (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.calendar import WorkingCalendar
from dangvu.core.rules import Severity
from dangvu.members import rules
from dangvu.members.rules import Period


@pytest.mark.parametrize(
    ("cccd", "birth", "female"),
    [
        ("045085000123", date(1985, 6, 1), False),
        ("045185000123", date(1985, 6, 1), True),
        ("001200000001", date(2000, 1, 1), False),
        ("001300000001", date(2000, 1, 1), True),
        ("096099999999", date(1999, 12, 31), False),
    ],
)
def test_valid_national_ids(cccd: str, birth: date, female: bool) -> None:
    assert rules.check_national_id(cccd, birth, female) == []


@pytest.mark.parametrize(
    ("cccd", "birth", "female", "code", "message"),
    [
        (
            "04508500012",
            date(1985, 6, 1),
            False,
            "members.cccd_format",
            "Số CCCD phải gồm đúng 12 chữ số.",
        ),
        (
            "04508500012a",
            date(1985, 6, 1),
            False,
            "members.cccd_format",
            "Số CCCD phải gồm đúng 12 chữ số.",
        ),
        (
            "003085000123",
            date(1985, 6, 1),
            False,
            "members.cccd_province",
            "Ba chữ số đầu của số CCCD (003) không phải mã tỉnh, thành phố nào.",
        ),
        (
            "045085000123",
            date(1985, 6, 1),
            True,
            "members.cccd_gender_century",
            "Chữ số thứ tư của số CCCD là 0, nhưng người nữ sinh năm 1985 phải có chữ số 1.",
        ),
        (
            "045285000123",
            date(1985, 6, 1),
            False,
            "members.cccd_gender_century",
            "Chữ số thứ tư của số CCCD là 2, nhưng người nam sinh năm 1985 phải có chữ số 0.",
        ),
        (
            "045086000123",
            date(1985, 6, 1),
            False,
            "members.cccd_birth_year",
            "Chữ số thứ năm và sáu của số CCCD (86) không khớp năm sinh 1985.",
        ),
    ],
)
def test_invalid_national_ids(
    cccd: str, birth: date, female: bool, code: str, message: str
) -> None:
    [violation] = rules.check_national_id(cccd, birth, female)
    assert (violation.code, violation.message, violation.field) == (code, message, "national_id")
    assert "137/2015/NĐ-CP" in str(violation.citation)


@given(
    st.sampled_from(sorted(rules.PROVINCE_CODES)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.booleans(),
    st.integers(0, 999_999),
)
def test_a_number_built_by_the_rule_is_accepted(
    province: str, birth: date, female: bool, tail: int
) -> None:
    digit = (2 * ((birth.year - 1900) // 100)) % 10 + int(female)
    cccd = f"{province}{digit}{birth.year % 100:02d}{tail:06d}"
    assert rules.check_national_id(cccd, birth, female) == []
    assert rules.check_national_id(cccd, birth, not female) != []


def test_party_age_counts_from_the_decision_minus_gaps() -> None:
    admitted = date(2000, 3, 5)
    assert str(rules.party_age(admitted, [], date(2020, 3, 5))) == "20 năm"
    age = rules.party_age(admitted, [Period(date(2010, 1, 1), date(2011, 1, 1))], date(2020, 3, 5))
    assert age is not None and (age.years, age.months) == (19, 0) and age.days == 7305 - 365
    assert str(age) == "19 năm"
    assert rules.party_age(admitted, [], date(2000, 3, 4)) is None


def test_party_age_gap_still_open_stops_the_count() -> None:
    admitted = date(1990, 1, 1)
    age = rules.party_age(admitted, [Period(date(2000, 1, 1), None)], date(2020, 1, 1))
    assert age is not None and age.years == 10


def test_party_age_ignores_gap_parts_outside_the_span() -> None:
    admitted = date(2000, 1, 1)
    gaps = [Period(date(1995, 1, 1), date(2000, 7, 1)), Period(date(2030, 1, 1), None)]
    age = rules.party_age(admitted, gaps, date(2010, 1, 1))
    assert age is not None and (age.years, age.months) == (9, 6)


def _counter(start: date, end: date) -> int:
    return WorkingCalendar().working_days_between(start, end)


def test_transfer_presented_within_30_working_days_is_on_time() -> None:
    cal = WorkingCalendar()
    letter = date(2021, 3, 1)
    assert (
        rules.check_transfer_dates(
            effective_on=letter,
            letter_date=letter,
            presented_on=cal.add_working_days(letter, 30),
            working_days=_counter,
        )
        == []
    )
    [late] = rules.check_transfer_dates(
        effective_on=letter,
        letter_date=letter,
        presented_on=cal.add_working_days(letter, 31),
        working_days=_counter,
    )
    assert late.code == "members.transfer_arrival_late" and late.severity is Severity.WARNING
    assert "chậm 1 ngày làm việc" in late.message


def test_transfer_limits_follow_the_regulation_in_force() -> None:
    assert "29-QĐ/TW" in str(rules.limits_on(date(2020, 6, 1)).citation)
    assert "24-QĐ/TW" in str(rules.limits_on(date(2022, 6, 1)).citation)
    assert "294-QĐ/TW" in str(rules.limits_on(date(2025, 7, 1)).citation)


def test_procedure_late_after_60_working_days() -> None:
    cal = WorkingCalendar()
    effective = date(2021, 1, 4)
    on_time = rules.check_transfer_dates(
        effective_on=effective,
        letter_date=cal.add_working_days(effective, 60),
        presented_on=None,
        working_days=_counter,
    )
    late = rules.check_transfer_dates(
        effective_on=effective,
        letter_date=cal.add_working_days(effective, 61),
        presented_on=None,
        working_days=_counter,
    )
    assert on_time == [] and [v.code for v in late] == ["members.transfer_procedure_late"]


@pytest.mark.parametrize(
    ("start", "end", "training", "ok"),
    [
        (date(2021, 1, 1), date(2021, 4, 1), False, True),  # exactly 3 months
        (date(2021, 1, 1), date(2021, 3, 31), False, False),  # just under 3 months
        (date(2021, 1, 1), date(2021, 12, 31), False, True),  # under a year
        (date(2021, 1, 1), date(2022, 1, 1), False, False),  # a full year is too long
        (date(2021, 1, 1), date(2023, 1, 1), True, True),  # training: up to 2 years
        (date(2021, 1, 1), date(2023, 1, 2), True, False),
    ],
)
def test_temporary_duration(start: date, end: date, training: bool, ok: bool) -> None:
    assert (rules.check_temporary_duration(start, end, training) == []) is ok


@pytest.mark.parametrize(("full", "warned"), [(2, True), (3, False), (10, False)])
def test_cell_size(full: int, warned: bool) -> None:
    assert bool(rules.check_cell_size(full)) is warned


@pytest.mark.parametrize(
    ("kind", "members", "warned"),
    [
        ("grassroots_cell", 29, False),
        ("grassroots_cell", 30, True),
        ("grassroots_committee", 30, False),
        ("grassroots_committee", 29, True),
        ("cell", 100, False),
    ],
)
def test_grassroots_kind_follows_the_member_count(kind: str, members: int, warned: bool) -> None:
    assert bool(rules.check_grassroots_kind(kind, members)) is warned
