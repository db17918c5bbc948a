"""Vietnamese text helpers: folding, names, dictionary order, number and date formats."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.templatetags import vn
from dangvu.core.text import (
    fold,
    format_date,
    format_date_long,
    format_date_place,
    format_number,
    format_percent,
    given_first,
    name_sort_key,
    roman,
    sort_key,
    split_name,
)

NONE, HUYEN, HOI, NGA, SAC, NANG = "", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (NONE, HUYEN, HOI, NGA, SAC, NANG)  # the order of the CLDR/ICU "vi" tailoring
VOWELS = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o"}
VOWELS |= {"ơ": "o", "u": "u", "ư": "u", "y": "y"}
CONSONANTS = "bcdđghklmnpqrstvxfjwz"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def with_tone(vowel: str, tone: str) -> str:
    return nfc(vowel + tone)


def scrambled(items: list[str]) -> list[str]:
    """``items`` in another order (reversed, then a fixed shuffle), for sorting tests."""
    out = items[::-1]
    random.Random(len(items)).shuffle(out)
    return out


LOWER_LETTERS = [with_tone(v, t) for v in VOWELS for t in TONES] + list(CONSONANTS)
LETTERS = LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS]

vietnamese_words = st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=8)
vietnamese_texts = st.lists(vietnamese_words, max_size=4).map(" ".join)
mixed_texts = st.text(
    alphabet=st.sampled_from(LETTERS + list("0123456789 -.,'()")), max_size=12
).map(lambda s: " ".join(s.split()))


# --- fold --------------------------------------------------------------------------------------


@pytest.mark.parametrize("vowel", list(VOWELS))
@pytest.mark.parametrize("tone", TONES)
def test_fold_removes_every_tone_from_every_vowel(vowel: str, tone: str) -> None:
    letter = with_tone(vowel, tone)
    assert len(letter) == 1  # precomposed: the test really covers the NFC form
    assert fold(letter) == VOWELS[vowel]
    assert fold(letter.upper()) == VOWELS[vowel]
    assert fold(nfd(letter)) == VOWELS[vowel]
    assert fold(nfd(letter.upper())) == VOWELS[vowel]


def test_fold_examples() -> None:
    assert fold("Nguyễn Thị Đào") == "nguyen thi dao"
    assert fold("ĐẶNG VĂN ĐỨC") == "dang van duc"
    assert fold("đ") == fold("Đ") == "d"
    assert fold("Ðặng") == "dang"  # Icelandic eth, a frequent look-alike of Đ
    assert fold("  Trương\tQuang \n Lượng  ") == "truong quang luong"
    assert fold("Hồ\u00a0Chí\u200bMinh") == "ho chiminh"  # no-break space; zero-width space
    assert fold("") == ""
    assert fold("Chi bộ 10") == "chi bo 10"


def test_fold_treats_nfc_and_nfd_alike() -> None:
    name = "Nguyễn Thị Phượng Hoàng Đức Ưng Ậu"
    assert nfc(name) != nfd(name)
    assert fold(nfc(name)) == fold(nfd(name)) == "nguyen thi phuong hoang duc ung au"


@given(st.text())
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(vietnamese_texts)
def test_fold_of_vietnamese_is_ascii_lower_and_single_spaces(s: str) -> None:
    folded = fold(s)
    assert set(folded) <= set("abcdefghijklmnopqrstuvwxyz ")
    assert folded == folded.strip()
    assert "  " not in folded


@given(vietnamese_texts)
def test_fold_ignores_normalization_and_case(s: str) -> None:
    assert fold(nfd(s)) == fold(s.upper()) == fold(s.lower()) == fold(s)


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Thị Đào", ("Nguyễn", "Thị", "Đào")),
        ("Tôn Nữ Thị Minh Khai", ("Tôn", "Nữ Thị Minh", "Khai")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Đào", ("", "", "Đào")),
        ("  Trần   Văn  An ", ("Trần", "Văn", "An")),
        ("", ("", "", "")),
        ("   ", ("", "", "")),
    ],
)
def test_split_name(full_name: str, parts: tuple[str, str, str]) -> None:
    assert split_name(full_name) == parts


def test_split_name_returns_nfc() -> None:
    assert split_name(nfd("Nguyễn Thị Đào")) == ("Nguyễn", "Thị", "Đào")


@pytest.mark.parametrize(
    ("full_name", "key"),
    [
        ("Nguyễn Thị Đào", "dao nguyen thi"),
        ("Tôn Nữ Thị Minh Khai", "khai ton nu thi minh"),
        ("Lê Lợi", "loi le"),
        ("ĐÀO", "dao"),
        ("", ""),
    ],
)
def test_given_first(full_name: str, key: str) -> None:
    assert given_first(full_name) == key


def test_given_first_makes_usual_searches_prefix_searches() -> None:
    key = given_first("Nguyễn Thị Đào")
    assert key.startswith(fold("Đào"))
    assert key.startswith(fold("đào nguyễn"))


def test_name_sort_key_orders_by_given_then_family_then_middle() -> None:
    people = [
        "Trần Văn Bình",
        "Nguyễn Thị Đào",
        "Lê An",
        "Nguyễn Văn An",
        "Phạm Thị Ánh",
        "Nguyễn Thị An",
        "Hoàng Hà",
    ]
    assert sorted(people, key=name_sort_key) == [
        "Lê An",
        "Nguyễn Thị An",
        "Nguyễn Văn An",
        "Phạm Thị Ánh",
        "Trần Văn Bình",
        "Nguyễn Thị Đào",
        "Hoàng Hà",
    ]
    assert name_sort_key("Nguyễn Thị Đào") == sort_key("Đào Nguyễn Thị")
    assert name_sort_key(" Nguyễn  Thị Đào ") == name_sort_key(nfd("Nguyễn Thị Đào"))


# --- sort_key ----------------------------------------------------------------------------------

HAND_ORDERED = [
    "An",
    "Anh",
    "Ánh",
    "Ăn",
    "Âu",
    "Bình",
    "Chi",
    "Dũng",
    "Đào",
    "Đạt",
    "Hà",
    "Hạ",
    "Hải",
    "Hằng",
    "Hoa",
    "Hòa",
    "Hỏa",
    "Hóa",
    "Họa",
    "Hùng",
    "Hưng",
    "Khánh",
    "Ngà",
    "Ngã",
    "Nghĩa",
    "Oanh",
    "Ơn",
    "Phúc",
    "Quân",
    "Sơn",
    "Thư",
    "Tú",
    "Tuấn",
    "Ưng",
    "Vân",
    "Xuân",
    "Yến",
]


def test_sort_key_hand_ordered_list() -> None:
    assert sorted(scrambled(HAND_ORDERED), key=sort_key) == HAND_ORDERED


def test_sort_key_alphabet_order() -> None:
    alphabet = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    assert sorted(scrambled(alphabet), key=sort_key) == alphabet


def test_sort_key_word_boundaries_digits_and_case() -> None:
    expected = ["", "1", "10", "9", "A", "an", "aN", "An", "AN", "An Bình", "Anh", "Ánh"]
    assert sorted(scrambled(expected), key=sort_key) == expected
    # A tone earlier in the string outweighs one later; case only breaks ties, left to right.
    expected = ["Ha An", "ha Àn", "Ha àn", "Hà An"]
    assert sorted(scrambled(expected), key=sort_key) == expected


def test_sort_key_is_the_same_for_nfc_and_nfd_and_collapses_spaces() -> None:
    assert sort_key(nfd("Nguyễn Thị Phượng")) == sort_key(nfc("Nguyễn Thị Phượng"))
    assert sort_key("  Nguyễn \t Thị ") == sort_key("Nguyễn Thị")
    # "ậ" is a, dot below, circumflex in NFD: the circumflex still makes the letter â.
    assert sort_key(nfd("Ậu")) == sort_key("Ậu")
    assert sort_key("Ậu") > sort_key("Áu")


@given(st.text())
def test_sort_key_uses_only_lower_ascii_letters_and_digits(s: str) -> None:
    key = sort_key(s)
    assert set(key) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


@given(mixed_texts, mixed_texts)
def test_sort_key_is_a_total_order_consistent_with_equality(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (nfc(a) == nfc(b))
    assert (sort_key(a) < sort_key(b)) + (sort_key(a) > sort_key(b)) + (a == b) == 1


@given(
    st.lists(st.sampled_from(list("aăâeêioôơuưybcdđghn")), min_size=1, max_size=6),
    st.data(),
)
def test_names_that_differ_only_in_tone_sort_by_tone_order(
    letters: list[str], data: st.DataObject
) -> None:
    def tones() -> list[int]:
        return [data.draw(st.integers(0, 5)) if letter in VOWELS else 0 for letter in letters]

    first, second = tones(), tones()

    def spell(tone_indexes: list[int]) -> str:
        return "".join(with_tone(c, TONES[t]) for c, t in zip(letters, tone_indexes, strict=True))

    a, b = spell(first), spell(second)
    # The tones are compared over the whole string, the first difference deciding.
    assert (sort_key(a) < sort_key(b)) == (first < second)
    assert (sort_key(a) == sort_key(b)) == (first == second)


@given(vietnamese_words, st.sampled_from(list(VOWELS)))
def test_each_tone_sorts_after_the_previous_one(prefix: str, vowel: str) -> None:
    words = [prefix + with_tone(vowel, tone) + "n" for tone in TONES]
    assert sorted(scrambled(words), key=sort_key) == words


@given(vietnamese_texts)
def test_lower_case_sorts_before_upper_case(s: str) -> None:
    if s.lower() != s.upper():
        assert sort_key(s.lower()) < sort_key(s.upper())


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (5600000, 0, "5.600.000"),
        (1234.5, 1, "1.234,5"),
        (-1234, 0, "-1.234"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567.891, 2, "1.234.567,89"),
        (Decimal("1234.565"), 2, "1.234,57"),
        (2.675, 2, "2,68"),  # the float is 2.67499999...; people wrote 2.675
        (-1234.5, 0, "-1.235"),  # half away from zero, like Decimal's ROUND_HALF_UP
        (-0.4, 0, "0"),  # no "-0"
        (Fraction(1, 3), 3, "0,333"),
        (7, 2, "7,00"),
        (Decimal("0.005"), 2, "0,01"),
    ],
)
def test_format_number(
    value: int | float | Decimal | Fraction, decimals: int, expected: str
) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.9835, 2, "98,35%"),
        (0.986, 1, "98,6%"),
        (Decimal("0.98345"), 2, "98,35%"),
        (Fraction(2, 3), 1, "66,7%"),
        (1, 2, "100,00%"),
        (0, 0, "0%"),
        (0.07, 2, "7,00%"),  # 0.07 * 100 is 7.000000000000001 in floats
        (Decimal("-0.125"), 1, "-12,5%"),
    ],
)
def test_format_percent(
    value: int | float | Decimal | Fraction, decimals: int, expected: str
) -> None:
    assert format_percent(value, decimals) == expected


def test_format_percent_default_is_two_decimals() -> None:
    assert format_percent(0.9835) == "98,35%"


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("1e-999999999")]
)
def test_format_number_refuses_values_that_are_not_finite_numbers(bad: float | Decimal) -> None:
    with pytest.raises(ValueError, match="cannot format"):
        format_number(bad)


def test_format_number_refuses_booleans_and_negative_decimals() -> None:
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError, match="negative"):
        format_number(1, -1)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_format_number_round_trips(value: Decimal) -> None:
    text = format_number(value, 4)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value


# --- dates -------------------------------------------------------------------------------------


def test_format_date() -> None:
    assert format_date(date(2021, 1, 18)) == "18/01/2021"
    assert format_date(date(2021, 12, 5)) == "05/12/2021"
    assert format_date(datetime(2021, 1, 18, 23, 30)) == "18/01/2021"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 1, 18), "ngày 18 tháng 01 năm 2021"),
        (date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
        (date(2021, 3, 5), "ngày 05 tháng 3 năm 2021"),  # months from 3 on are not padded
        (date(2021, 9, 2), "ngày 02 tháng 9 năm 2021"),
        (date(2021, 12, 25), "ngày 25 tháng 12 năm 2021"),
        (date(2021, 11, 10), "ngày 10 tháng 11 năm 2021"),
    ],
)
def test_format_date_long(d: date, expected: str) -> None:
    assert format_date_long(d) == expected


def test_format_date_place() -> None:
    assert format_date_place("Quảng Trị", date(2021, 1, 18)) == (
        "Quảng Trị, ngày 18 tháng 01 năm 2021"
    )


# --- template filters --------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_filters_are_builtins_and_format() -> None:
    assert render("{{ n|vn_number }}", n=5600000) == "5.600.000"
    assert render("{{ n|vn_number:1 }}", n=1234.5) == "1.234,5"
    assert render("{{ x|vn_percent }}", x=Decimal("0.9835")) == "98,35%"
    assert render("{{ x|vn_percent:1 }}", x=0.986) == "98,6%"
    assert render("{{ d|vn_date }}", d=date(2021, 1, 18)) == "18/01/2021"
    assert render("{{ d|vn_date_long }}", d=date(2021, 1, 18)) == "ngày 18 tháng 01 năm 2021"


@pytest.mark.parametrize("bad", [None, "", "abc", "NaN", True, object(), "1e-999999999"])
def test_number_filters_give_nothing_for_non_numbers(bad: object) -> None:
    assert vn.vn_number(bad) == ""
    assert vn.vn_percent(bad) == ""


def test_number_filters_accept_numeric_strings_and_refuse_bad_arguments() -> None:
    assert vn.vn_number("5600000") == "5.600.000"
    assert vn.vn_percent("0.5", "0") == "50%"
    assert vn.vn_number(1, "x") == ""
    assert vn.vn_number(1, "-1") == ""


@pytest.mark.parametrize("bad", [None, "", "2021-01-18", 5])
def test_date_filters_give_nothing_for_non_dates(bad: object) -> None:
    assert vn.vn_date(bad) == ""
    assert vn.vn_date_long(bad) == ""


@override_settings(USE_TZ=True, TIME_ZONE="Asia/Ho_Chi_Minh")
def test_date_filters_use_the_local_date_of_aware_datetimes() -> None:
    late_utc = datetime(2021, 1, 17, 20, 0, tzinfo=UTC)  # 03:00 on the 18th in Vietnam
    assert vn.vn_date(late_utc) == "18/01/2021"
    assert vn.vn_date_long(late_utc) == "ngày 18 tháng 01 năm 2021"
    assert vn.vn_date(datetime(2021, 1, 18, 23, 59)) == "18/01/2021"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "I"), (4, "IV"), (6, "VI"), (9, "IX"), (14, "XIV"), (40, "XL"), (1999, "MCMXCIX")],
)
def test_roman(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_refuses_what_has_no_numeral(n: int) -> None:
    with pytest.raises(ValueError):
        roman(n)
