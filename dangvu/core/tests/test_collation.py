"""``sort_key`` orders exactly like ICU's Vietnamese collation (PostgreSQL ``"vi-x-icu"``).

The sort keys exist so that SQLite, PostgreSQL without ICU and Python all order names the way
PostgreSQL's ICU collation does. On PostgreSQL the expected order is computed live; on any
other database it is the order ICU produced while this test was written, kept in
``data/icu_vi_order.txt``. That file was generated once with (ICU 72 via PostgreSQL 15.20)::

    .venv/bin/python -c "from dangvu.core.tests.test_collation import candidate_names; \\
        print('\\n'.join(candidate_names()))" \\
    | psql -h 127.0.0.1 -U postgres -XAtq -c 'CREATE TEMP TABLE n (x text)' \\
        -c '\\copy n FROM pstdin' -c 'SELECT x FROM n ORDER BY x COLLATE "vi-x-icu"' \\
    > dangvu/core/tests/data/icu_vi_order.txt
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from django.db import connection

from dangvu.core.text import sort_key

DATA = Path(__file__).parent / "data" / "icu_vi_order.txt"
ICU_COLLATION = "vi-x-icu"

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
VOWELS = "aăâeêioôơuưy"

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Trương", "Lương", "Ông", "Ưng", "Âu", "Ân",
)  # fmt: skip
MIDDLE = (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Xuân", "Quốc", "Thu", "Mạnh", "Bảo",
    "Kim", "Ánh", "Diệu",
)  # fmt: skip
GIVEN = (
    "An", "Anh", "Ánh", "Ân", "Ấn", "Bình", "Chi", "Cường", "Dũng", "Dung", "Đào", "Đạt", "Điệp",
    "Giang", "Hà", "Hạ", "Hải", "Hằng", "Hiếu", "Hoa", "Hòa", "Hỏa", "Hùng", "Hưng", "Khánh",
    "Lan", "Lân", "Linh", "Lợi", "Mai", "My", "Mỹ", "Nam", "Nga", "Ngà", "Nghĩa", "Oanh",
    "Phúc", "Phước", "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thư", "Trang", "Tú", "Tuấn",
    "Uyên", "Vân", "Việt", "Xuân", "Yến", "Ơn", "Ước", "Ẩn", "Ổn", "Ỷ",
)  # fmt: skip
EDGE_CASES = (
    # prefixes and word boundaries
    "An", "AN", "an", "aN", "An Bình", "An bình", "an Bình", "Anh", "Anh Thư", "Ăn", "Âu",
    # tones at different positions, then case at different positions
    "Hà An", "Ha Àn", "ha Àn", "Ha àn", "Hà", "Hạ", "Hải", "HÀ", "hà",
    # đ against d
    "Đào", "Dao", "đào", "dao", "DAO", "ĐÀO", "Đạt", "Dạt",
    # digits, punctuation, foreign letters
    "Chi bộ 1", "Chi bộ 10", "Chi bộ 2", "Chi bộ 9", "Chi bộ 1A", "Tổ 3", "Tổ 3-4",
    "Ka-Lăng", "H'Hen Niê", "Y-Sa", "Y Moan", "Fan", "Jack", "Wendy", "Zoe", "Kha", "Khả",
    "Gia", "Gia Bảo", "Giang", "Quách", "Phó", "Ung", "Ứng", "Ủng", "Uông", "Tôn Nữ",
)  # fmt: skip


def candidate_names() -> list[str]:
    """The ~300 test strings, deterministic (no RNG, so no dependence on Python's version)."""
    names: list[str] = []
    # Every tone on every vowel, in a syllable and alone in upper case.
    for vowel in VOWELS:
        for tone in TONES:
            syllable = unicodedata.normalize("NFC", "t" + vowel + tone + "n")
            names.append(syllable.capitalize())
            if vowel in "aâư":
                names.append(unicodedata.normalize("NFC", vowel + tone).upper())
    # Family names in three cases.
    for family in FAMILY[:12]:
        names += [family, family.upper(), family.lower()]
    # Full names; the strides walk the lists in an order unrelated to the alphabet.
    for i in range(100):
        family = FAMILY[i % len(FAMILY)]
        middle = MIDDLE[(i * 7) % len(MIDDLE)]
        given = GIVEN[(i * 11) % len(GIVEN)]
        names.append(f"{family} {middle} {given}" if i % 5 else f"{family} {given}")
    names += GIVEN
    names += EDGE_CASES
    return sorted(set(names))  # unique; the order is then irrelevant


def icu_order_on_file() -> list[str]:
    return DATA.read_text(encoding="utf-8").splitlines()


def icu_vi_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [ICU_COLLATION])
        return cursor.fetchone() is not None


def icu_sorted(strings: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT x FROM unnest(%s::text[]) AS t(x) ORDER BY x COLLATE "vi-x-icu"',
            [strings],
        )
        return [row[0] for row in cursor.fetchall()]


def random_vietnamese(rng: random.Random) -> str:
    """A random string of Vietnamese letters in both cases, digits, punctuation and spaces."""
    letters = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    letters += list("bcdđghklmnpqrstvxfjwz")
    alphabet = letters + [c.upper() for c in letters] + list("0123456789 -.,'()")
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
    return " ".join(text.split())


def test_the_data_file_holds_exactly_the_candidates() -> None:
    on_file = icu_order_on_file()
    assert len(on_file) == len(set(on_file)) >= 300
    assert set(on_file) == set(candidate_names())


@pytest.mark.django_db
def test_sort_key_orders_like_icu_vietnamese() -> None:
    names = candidate_names()
    shuffled = names[:]
    random.Random(20210118).shuffle(shuffled)
    expected = icu_order_on_file()
    if icu_vi_available():
        # The live collation must agree with the file, so that the SQLite run stays truthful.
        expected = icu_sorted(shuffled)
        assert expected == icu_order_on_file()
        # And with a larger random corpus. Strings ICU deems equal (none expected here) would
        # be tie-broken by bytes, so keys are compared rather than the strings themselves.
        rng = random.Random(20250430)
        corpus = sorted({random_vietnamese(rng) for _ in range(3000)})
        live = icu_sorted(corpus)
        assert [sort_key(s) for s in live] == sorted(sort_key(s) for s in corpus)
        assert len({sort_key(s) for s in corpus}) == len(corpus)
    assert sorted(shuffled, key=sort_key) == expected
    # The keys sort the same under plain byte order (SQLite BINARY, PostgreSQL "C").
    keys = sorted(sort_key(n).encode("ascii") for n in shuffled)
    assert keys == [sort_key(n).encode("ascii") for n in expected]
