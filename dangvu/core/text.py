"""Vietnamese text helpers: search folding, name order, sort keys, number and date formats.

Everything here is pure Python with no database access, so that the same rules apply in SQL
keys (stored ``*_search``/``*_sort`` columns), in Python sorting, and in templates, whatever
the database and its collations are. SQLite has no Vietnamese collation at all and PostgreSQL
only has one when it was built with ICU; a precomputed key made of ``[0-9a-z]`` sorts the same
under every collation, so ``ORDER BY name_sort`` is correct everywhere.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "fold",
    "format_date",
    "format_date_long",
    "format_date_place",
    "format_number",
    "format_percent",
    "given_first",
    "name_sort_key",
    "sort_key",
    "split_name",
]

Number = int | float | Decimal | Fraction

# --- Folding for search ----------------------------------------------------------------------

# "đ" is a letter of its own, not "d" plus a mark, so stripping marks leaves it alone. People
# search without diacritics ("dang" for "Đặng"), and "Ð" (Icelandic eth) is a common
# look-alike typed for "Đ" by keyboards and OCR.
_FOLD_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
# Marks and invisible format characters (soft hyphen, zero-width space) that pasted text
# carries and that a person searching never types.
_FOLD_DROP = frozenset({"Mn", "Me", "Cf", "Cc"})


def fold(s: str) -> str:
    """The search form of ``s``: lower case, no diacritics, ``đ`` as ``d``, single spaces.

    Search must match "nguyen van an" typed without tones on a phone, and the same name pasted
    from a document in NFD, with doubled spaces or upper case. Compatibility decomposition also
    maps full-width letters and ligatures to plain letters. ``fold(fold(s)) == fold(s)``.
    """
    s = unicodedata.normalize("NFKD", s).casefold().translate(_FOLD_LETTERS)
    s = unicodedata.normalize("NFKD", s)
    kept = []
    for ch in s:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in _FOLD_DROP:
            kept.append(ch)
    return " ".join("".join(kept).split())


# --- Names -----------------------------------------------------------------------------------


def split_name(full_name: str) -> tuple[str, str, str]:
    """``(family, middle, given)`` of a Vietnamese name written "family middle... given".

    Lists of people are ordered and searched by the given name, which is the last word; a
    one-word name is a given name only. Words keep their diacritics and case (NFC).
    """
    words = unicodedata.normalize("NFC", full_name).split()
    if not words:
        return ("", "", "")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


def _given_first_words(full_name: str) -> str:
    """The name reordered as "given family middle", diacritics and case kept."""
    family, middle, given = split_name(full_name)
    return " ".join(part for part in (given, family, middle) if part)


def given_first(full_name: str) -> str:
    """The folded name with the given name first: ``"Nguyễn Thị Đào"`` → ``"dao nguyen thi"``.

    Stored in an indexed column, it turns the usual searches into prefix searches: "dao" finds
    every Đào, "dao nguyen" every Nguyễn ... Đào, without a full scan.
    """
    return fold(_given_first_words(full_name))


# --- Dictionary sort keys --------------------------------------------------------------------
#
# The key reproduces the ICU/CLDR "vi" collation at its default strength (tertiary, as used
# by PostgreSQL's "vi-x-icu"), which compares in three passes over the whole string:
#
# 1. primary: base letters in the Vietnamese alphabet order (ă, â, đ, ê, ô, ơ, ư are letters
#    of their own); space < punctuation < digits < letters, since ICU treats spaces and
#    punctuation as ordinary characters ("non-ignorable");
# 2. secondary: the diacritics left after step 1, i.e. the tones. The "vi" tailoring orders
#    them no tone < huyền < hỏi < ngã < sắc < nặng. ICU emits one weight per letter ("common")
#    followed by one weight per mark, and compares those sequences left to right, so a tone
#    earlier in the string outweighs one later: "Ha Àn" < "Hà An";
# 3. tertiary: case per character, lower before upper, left to right: "an" < "aN" < "An".
#
# The key is "<primary>0<secondary>0<tertiary>" over [0-9a-z]. Every primary code and every
# secondary symbol starts with a character above "0", so the "0" separators end a section
# below anything that can continue it: a shorter string sorts first, as in ICU. Codes are
# prefix-free (fixed width within a class, classes told apart by their first characters), so
# byte order of keys equals the order of the code sequences.

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _code(index: int, width: int) -> str:
    """``index`` as a fixed-width base-36 numeral, so that string order equals number order."""
    digits = []
    for _ in range(width):
        index, rest = divmod(index, 36)
        digits.append(_BASE36[rest])
    if index:
        raise ValueError("code out of range")
    return "".join(reversed(digits))


# ICU root order of the ASCII punctuation (measured with PostgreSQL 15 / ICU 72 "vi-x-icu").
_ASCII_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
# The Vietnamese alphabet with the foreign letters f, j, w, z where ICU puts them (Latin order).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

_PRIMARY: dict[str, str] = {}


def _build_primary() -> tuple[str, str]:
    """Fill ``_PRIMARY``; return the prefixes of other symbols and of other letters."""
    order: list[str | None] = [" ", *_ASCII_PUNCTUATION, None, *"0123456789", *_ALPHABET, None]
    markers = []
    # Start at "10": the first character of every primary code is then above the "0" separator.
    for index, ch in enumerate(order, start=36):
        code = _code(index, 2)
        if ch is None:
            markers.append(code)
        else:
            _PRIMARY[ch] = code
    return markers[0], markers[1]


# Non-ASCII punctuation and symbols sort between ASCII punctuation and digits, every other
# character (letters of other scripts) after "z"; both by code point after their prefix.
_OTHER_SYMBOL, _OTHER_LETTER = _build_primary()

# Vowel plus quality mark that the "vi" tailoring makes a letter of its own (a contraction).
_CONTRACTIONS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

# Secondary order of the combining marks U+0300–U+036F in ICU "vi", measured with PostgreSQL 15
# / ICU 72; the marks of one multi-character entry are secondary-equal. The five tones are in
# the order of the tailoring "&\u0300<<\u0309<<\u0303<<\u0301<<\u0323". Marks that NFD replaces
# (U+0340, U+0341, U+0343, U+0344) are absent; U+034F and the combining letters U+0363–U+036F,
# which ICU ignores or gives a primary weight, are not keyed. Other marks are ignored too.
_MARK_ORDER = (
    "\u0332",
    "\u0313",
    "\u0314",
    "\u0300",  # huyền
    "\u0309",  # hỏi
    "\u0303",  # ngã
    "\u0301",  # sắc
    "\u0323",  # nặng
    "\u0306",
    "\u0302",
    "\u030c",
    "\u030a",
    "\u0342",
    "\u0308",
    "\u030b",
    "\u0307",
    "\u0338",
    "\u0327",
    "\u0328",
    "\u0304",
    "\u030d\u030e\u0312\u0315\u031a\u033d\u033e\u033f\u0346\u034a\u034b\u034c\u0350\u0351"
    "\u0352\u0357\u035b\u035d\u035e",
    "\u0316\u0317\u0318\u0319\u031c\u031d\u031e\u031f\u0320\u0329\u032a\u032b\u032c\u032f"
    "\u0333\u033a\u033b\u033c\u0347\u0348\u0349\u034d\u034e\u0353\u0354\u0355\u0356\u0359"
    "\u035a\u035c\u035f\u0362",
    "\u0336\u0337",
    "\u0335",
    "\u0305",
    "\u030f",
    "\u0310",
    "\u0311",
    "\u031b",
    "\u0321",
    "\u0322",
    "\u0324",
    "\u0325",
    "\u0326",
    "\u032d",
    "\u032e",
    "\u0330",
    "\u0331",
    "\u0334",
    "\u0339",
    "\u0345",
    "\u0358",
    "\u0360",
    "\u0361",
)
# Secondary symbols: "1" is the weight every character carries; marks get two-character codes
# from "20" up, so that "1" (no mark) sorts before any mark and the codes stay prefix-free.
_SECONDARY_COMMON = "1"
_SECONDARY: dict[str, str] = {
    mark: _code(index, 2) for index, group in enumerate(_MARK_ORDER, start=72) for mark in group
}


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


def _contraction(base: str, marks: str) -> tuple[str, str]:
    """The letter that ``base`` and one of its ``marks`` form, and the marks left over.

    In NFD the quality mark may follow a tone ("ậ" is a, dot below, circumflex). Like ICU, a
    mark is taken only if no mark between it and the base is a starter or has a combining
    class at least its own (Unicode's "unblocked" rule for discontiguous contractions).
    """
    seen_ccc: list[int] = []
    for position, mark in enumerate(marks):
        ccc = unicodedata.combining(mark)
        blocked = any(c == 0 or c >= ccc for c in seen_ccc)
        letter = _CONTRACTIONS.get((base, mark))
        if letter is not None and not blocked:
            return letter, marks[:position] + marks[position + 1 :]
        seen_ccc.append(ccc)
    return base, marks


def _primary_of(ch: str) -> tuple[str, bool]:
    """Primary code of a base character and whether it is upper case."""
    lower = ch.lower()
    if len(lower) != 1:
        lower = ch
    upper = ch != lower
    code = _PRIMARY.get(lower)
    if code is not None:
        return code, upper
    category = unicodedata.category(ch)
    prefix = _OTHER_SYMBOL if category[0] in "PSZ" else _OTHER_LETTER
    return prefix + _code(ord(lower), 4), upper


def sort_key(text: str) -> str:
    """A key over ``[0-9a-z]`` whose plain code-point order is Vietnamese dictionary order.

    Identical to ICU's "vi" collation (PostgreSQL ``COLLATE "vi-x-icu"``) for text made of
    the Vietnamese alphabet, f j w z, digits, ASCII punctuation, spaces and the combining marks
    of U+0300–U+036F (so "é", "ü", "ç" too), except that runs of white space count as one space
    and leading or trailing spaces are ignored. Other characters sort after "z" (other letters,
    other scripts) or between ASCII punctuation and digits (other symbols), by code point.
    Input may be NFC or NFD. For Vietnamese text of n characters the key has at most 6n + 2
    characters (2 per character primary, 3 secondary, 1 tertiary), which sizes a column.
    """
    s = " ".join(unicodedata.normalize("NFD", text).split())
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        i += 1
        if unicodedata.category(ch) in ("Cc", "Cf"):
            continue  # completely ignorable in ICU
        if _is_mark(ch):  # a mark with no base before it keeps its secondary weight
            code = _SECONDARY.get(ch)
            if code is not None:
                secondary.append(code)
            continue
        start = i
        while i < n and _is_mark(s[i]):
            i += 1
        marks = s[start:i]
        lower = ch.lower()
        if len(lower) == 1 and marks:
            letter, marks = _contraction(lower, marks)
            if letter != lower:
                ch = letter.upper() if ch != lower else letter
        code, upper = _primary_of(ch)
        primary.append(code)
        secondary.append(_SECONDARY_COMMON)
        secondary.extend(_SECONDARY[m] for m in marks if m in _SECONDARY)
        tertiary.append("1" if upper else "0")
    return "".join(primary) + "0" + "".join(secondary) + "0" + "".join(tertiary)


def name_sort_key(full_name: str) -> str:
    """The sort key of a person's name: given name, then family name, then middle names.

    Vietnamese lists of people are alphabetical by given name ("Đào" before "Hà" whatever the
    family names), then by family name and middle names.
    """
    return sort_key(_given_first_words(full_name))


# --- Numbers ---------------------------------------------------------------------------------


_MAX_EXPONENT = 100


def _exact(value: Number) -> Fraction:
    """``value`` as an exact fraction; a float means its shortest decimal repr.

    ``0.9835`` is stored as 0.98349999999999992..., which would round to "98,34%"; people
    typed 0.9835, so that is what is formatted.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number to format")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        # A huge exponent ("1e-999999999", e.g. parsed from a request) would make an exact
        # fraction of a billion digits; no quantity in a report comes near 10**100.
        if not value.is_finite() or abs(value.adjusted()) > _MAX_EXPONENT:
            raise ValueError(f"cannot format {value}")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot format {value}")
        return Fraction(repr(value))
    raise TypeError(f"cannot format {type(value).__name__} as a number")


def _power_of_ten(exponent: int) -> int:
    """``10**exponent`` for ``exponent >= 0``, typed as the int it is (not ``int | float``)."""
    power: int = 10**exponent
    return power


def _round_half_up(value: Fraction, decimals: int) -> int:
    """``value`` in units of 10**-decimals, halves rounded away from zero as people round."""
    scaled = abs(value) * _power_of_ten(decimals)
    units = math.floor(scaled + Fraction(1, 2))
    return -units if value < 0 else units


def format_number(n: Number, decimals: int = 0) -> str:
    """``n`` written the Vietnamese way: ``5.600.000``, ``1.234,5``, ``-1.234``.

    Dots group thousands and a comma marks decimals, independent of the server locale. Rounding
    is half up on the exact value, so reports match a hand calculation.
    """
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    units = _round_half_up(_exact(n), decimals)
    whole, fraction = divmod(abs(units), _power_of_ten(decimals))
    text = f"{whole:,}".replace(",", ".")
    if decimals:
        text += "," + str(fraction).zfill(decimals)
    return ("-" if units < 0 else "") + text


def format_percent(x: Number, decimals: int = 2) -> str:
    """The ratio ``x`` as a percentage: ``0.9835`` → ``"98,35%"`` (no space, as written in VN)."""
    return format_number(_exact(x) * 100, decimals) + "%"


# --- Dates -----------------------------------------------------------------------------------


def format_date(d: date) -> str:
    """``d`` as ``18/01/2021``; a datetime is formatted as given, so convert its zone first."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long(d: date) -> str:
    """``d`` as written in documents: ``ngày 18 tháng 01 năm 2021``, ``ngày 05 tháng 3 năm 2021``.

    Decree 30/2020/NĐ-CP (Appendix I) and the Party's Guidance 36-HD/VPTW pad with a zero the
    days below 10 and the months 1 and 2 only, so that no digit can be added in front to forge
    another date; months 3–9 cannot be turned into a valid month that way and are not padded.
    """
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def format_date_place(place: str, d: date) -> str:
    """The place-and-date line of a document: ``Quảng Trị, ngày 18 tháng 01 năm 2021``."""
    return f"{place.strip()}, {format_date_long(d)}"


_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(n: int) -> str:
    """Roman numerals, as congresses and terms are numbered ("Đại hội lần thứ VI")."""
    if not 0 < n < 4000:
        raise ValueError(f"roman() takes 1..3999, not {n}")
    digits = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        digits.append(letters * count)
    return "".join(digits)


def person_display_name(family_and_middle: str, given: str) -> str:
    """A name the Vietnamese way, family name first: ("Nguyễn Thị", "Đào") → "Nguyễn Thị Đào"."""
    return " ".join(part for part in (family_and_middle.strip(), given.strip()) if part)
