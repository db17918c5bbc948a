"""The columns of a member list file: one definition for the import, the export and the
template, so that an exported file can be imported again as it is.

Headers are Vietnamese and matched without regard to case, diacritics or spacing
("HO VA TEN" finds "Họ và tên"). ``key`` is the name the importer gives the value: a personal
field of ``Member`` (``services.PERSONAL_FIELDS``) or one of the membership keys below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from dangvu.core.text import fold
from dangvu.members.choices import EventKind, Gender, TheoryLevel


class Kind(StrEnum):
    TEXT = "text"  # free text
    DIGITS = "digits"  # a number that is text: CCCD, card number (leading zeros matter)
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    CHOICE = "choice"  # one of ``choices`` (labels), matched without diacritics
    CODE = "code"  # the code of an organization or an agency


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    required: bool = False
    max_length: int = 0
    width: int = 16
    help: str = ""
    example: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]

    def label_of(self, value: str) -> str:
        return next((label for stored, label in self.choices if stored == value), value)


GENDERS: tuple[tuple[str, str], ...] = ((Gender.MALE, "Nam"), (Gender.FEMALE, "Nữ"))
THEORY_LEVELS: tuple[tuple[str, str], ...] = tuple(
    (str(value), str(label)) for value, label in TheoryLevel.choices
)
JOIN_REASONS: tuple[tuple[str, str], ...] = (
    (EventKind.ADMITTED, "Kết nạp"),
    (EventKind.TRANSFERRED_IN, "Chuyển đến"),
)

COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        Kind.TEXT,
        required=True,
        max_length=150,
        width=26,
        help="Họ, tên đệm và tên, viết có dấu.",
        example="Nguyễn Thị Đào",
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        Kind.DATE,
        required=True,
        width=12,
        help="Ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/03/1985; ô kiểu ngày của Excel cũng được.",
        example="05/03/1985",
    ),
    Column(
        "gender",
        "Giới tính",
        Kind.CHOICE,
        required=True,
        width=10,
        help="Nam hoặc Nữ.",
        example="Nữ",
        choices=GENDERS,
    ),
    Column(
        "ethnicity",
        "Dân tộc",
        Kind.TEXT,
        required=True,
        max_length=40,
        width=12,
        help="Tên một trong 54 dân tộc theo danh mục của Tổng cục Thống kê, ví dụ Kinh, Tày, "
        "Khơ-me.",
        example="Kinh",
    ),
    Column(
        "religion",
        "Tôn giáo",
        Kind.TEXT,
        max_length=60,
        width=12,
        help="Để trống nếu không theo tôn giáo nào.",
        example="",
    ),
    Column(
        "national_id",
        "Số CCCD",
        Kind.DIGITS,
        max_length=12,
        width=15,
        help="12 chữ số. Định dạng cột là Văn bản (Text) để giữ số 0 ở đầu.",
        example="045185000123",
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        Kind.DIGITS,
        max_length=20,
        width=16,
        help="Để trống nếu chưa được phát thẻ. Định dạng cột là Văn bản (Text).",
        example="",
    ),
    Column(
        "hometown",
        "Quê quán",
        Kind.TEXT,
        max_length=255,
        width=28,
        help="Xã (phường), tỉnh (thành phố).",
        example="Xã Hải Thượng, tỉnh Quảng Trị",
    ),
    Column(
        "residence",
        "Nơi ở hiện nay",
        Kind.TEXT,
        max_length=255,
        width=28,
        help="Địa chỉ nơi ở hiện nay.",
        example="Phường Đông Hà, tỉnh Quảng Trị",
    ),
    Column(
        "education",
        "Giáo dục phổ thông",
        Kind.TEXT,
        max_length=20,
        width=12,
        help="Ví dụ 12/12. Định dạng cột là Văn bản (Text) để Excel không đổi thành ngày.",
        example="12/12",
    ),
    Column(
        "qualification",
        "Chuyên môn",
        Kind.TEXT,
        max_length=120,
        width=22,
        help="Trình độ chuyên môn, nghiệp vụ cao nhất.",
        example="Cử nhân Kế toán",
    ),
    Column(
        "theory_level",
        "Lý luận chính trị",
        Kind.CHOICE,
        width=16,
        help="Một trong: " + ", ".join(str(label) for _, label in TheoryLevel.choices) + ".",
        example="Trung cấp",
        choices=THEORY_LEVELS,
    ),
    Column(
        "position",
        "Chức vụ",
        Kind.TEXT,
        max_length=200,
        width=22,
        help="Chức vụ, nghề nghiệp hiện nay.",
        example="Kế toán viên",
    ),
    Column(
        "organization",
        "Mã chi bộ",
        Kind.CODE,
        required=True,
        max_length=32,
        width=12,
        help="Mã của chi bộ trong dangvu (xem trang Tổ chức). Chi bộ phải thuộc phạm vi của "
        "người nhập.",
        example="CB-VP",
    ),
    Column(
        "agency",
        "Mã cơ quan",
        Kind.CODE,
        max_length=32,
        width=12,
        help="Mã cơ quan, đơn vị công tác trong dangvu; để trống nếu không có.",
        example="",
    ),
    Column(
        "phone",
        "Điện thoại",
        Kind.PHONE,
        max_length=20,
        width=14,
        help="Định dạng cột là Văn bản (Text) để giữ số 0 ở đầu.",
        example="0912345678",
    ),
    Column(
        "email",
        "Thư điện tử",
        Kind.EMAIL,
        max_length=254,
        width=24,
        help="Địa chỉ thư điện tử.",
        example="dao.nt@example.vn",
    ),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        Kind.DATE,
        required=True,
        width=12,
        help="Ngày ký quyết định kết nạp (dd/mm/yyyy).",
        example="19/05/2010",
    ),
    Column(
        "recognized_on",
        "Ngày chính thức",
        Kind.DATE,
        width=12,
        help="Ngày được công nhận đảng viên chính thức; để trống nếu còn là đảng viên dự bị.",
        example="19/05/2011",
    ),
    Column(
        "joined_on",
        "Ngày sinh hoạt tại chi bộ",
        Kind.DATE,
        required=True,
        width=14,
        help="Ngày bắt đầu sinh hoạt ở chi bộ hiện nay: ngày kết nạp, hoặc ngày nộp giấy giới "
        "thiệu chuyển sinh hoạt đến.",
        example="19/05/2010",
    ),
    Column(
        "join_reason",
        "Hình thức",
        Kind.CHOICE,
        required=True,
        width=12,
        help="Kết nạp (được kết nạp tại chi bộ này) hoặc Chuyển đến (chuyển sinh hoạt đến).",
        example="Kết nạp",
        choices=JOIN_REASONS,
    ),
    Column(
        "decision_number",
        "Số quyết định kết nạp",
        Kind.TEXT,
        max_length=60,
        width=18,
        help="Số quyết định kết nạp đảng viên.",
        example="125-QĐ/ĐU",
    ),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}


@functools.lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """The form in which headers are compared: folded, without spaces or punctuation."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


BY_HEADER: dict[str, Column] = {header_key(c.header): c for c in COLUMNS}


def header_of(key: str) -> str:
    """The header of the column that holds ``key`` ("" for a whole-row problem)."""
    column = BY_KEY.get(key)
    return column.header if column else ""
