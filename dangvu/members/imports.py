"""Importing a member list from an Excel (.xlsx) or CSV file: all of it, or nothing.

The whole file is checked before anything is written: every row is parsed into a
``services.NewMember`` (cells and agencies by code, within the importer's scope), then
``services.validate_batch`` applies the rules of ``member_create`` to the batch. Any error
refuses the file and is reported with its spreadsheet row (the header is row 1), column
header, value and reason; a clean file is written by ``services.member_bulk_create`` with one
audit event carrying the file name and its SHA-256.

Uploads are untrusted: size, extension and content are checked, and an .xlsx (a zip) is
inflated once here with hard limits before calamine reads it, so that neither a zip bomb nor a
sheet whose cells point a million rows away can exhaust the server's memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

import python_calamine
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit import selectors as audit_selectors
from dangvu.core.exceptions import DomainError
from dangvu.core.rules import Severity, Violation
from dangvu.core.text import format_date, format_number
from dangvu.members import services
from dangvu.members.choices import ETHNICITIES, EventKind
from dangvu.members.columns import BY_HEADER, BY_KEY, COLUMNS, Column, Kind, header_key
from dangvu.members.exports import FORMULA_TRIGGERS, write_table_xlsx
from dangvu.members.rules import PROVINCE_CODES
from dangvu.orgs.models import Agency, Organization

# --- limits ----------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # data rows; a provincial file has about 150,000
MAX_COLUMNS = 40  # columns A..AN may hold data
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # all entries of the .xlsx, inflated
MAX_COMPRESSION_RATIO = 100  # for an entry over RATIO_FLOOR; XML compresses 5-20 times
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024

ACCEPTED_EXTENSIONS = (".xlsx", ".csv")
_MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")
_OLD_EXCEL_EXTENSIONS = (".xls", ".xlt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx protected by a password
_ZIP_MAGIC = b"PK\x03\x04"

Cell = str | int | float | bool | date | datetime | time | timedelta
Progress = Callable[[str, int, int], None]


class UploadRefused(DomainError):
    """The file itself cannot be read (type, size, content); nothing was checked or written."""


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as the spreadsheet numbers it (0 for the file as a whole),
    ``column`` the header ("" for the whole row), the cell's ``value`` as written."""

    row: int
    column: str
    value: str
    message: str
    basis: str = ""

    def as_list(self) -> list[str]:
        return [str(self.row) if self.row else "", self.column, self.value, self.message]


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]  # parsed values by column key, for the preview
    shown: dict[str, str]  # the cells as written, by column key
    member: services.NewMember | None = None
    # The personal record as the services take it; checked (duplicates included) even when
    # the row cannot become a member because its cell or membership dates could not be read.
    personal: dict[str, Any] = field(default_factory=dict)


@dataclass
class Analysis:
    """What the file holds and everything wrong with it; written only if ``errors`` is empty."""

    filename: str
    sha256: str = ""
    size: int = 0
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors if e.row})

    @property
    def batch(self) -> list[services.NewMember]:
        return [r.member for r in self.rows if r.member is not None]

    def per_cell(self) -> list[tuple[Organization, int]]:
        """How many members go to each cell, by cell code."""
        counts: Counter[int] = Counter()
        cells: dict[int, Organization] = {}
        for member in self.batch:
            counts[member.organization.pk] += 1
            cells[member.organization.pk] = member.organization
        return sorted(((cells[pk], n) for pk, n in counts.items()), key=lambda c: c[0].code)


@dataclass
class ImportResult:
    analysis: Analysis
    dry_run: bool
    created: int = 0

    @property
    def refused(self) -> bool:
        return not self.analysis.ok


def _refuse(message: str) -> UploadRefused:
    return UploadRefused(message)


# --- the upload ------------------------------------------------------------------------------


def file_kind(filename: str, data: bytes, content_type: str = "") -> str:
    """``"xlsx"`` or ``"csv"`` for an acceptable upload; ``UploadRefused`` otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(
            f"Tệp quá lớn ({len(data) // (1024 * 1024)} MB); chỉ nhận tệp đến "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Hãy chia thành nhiều tệp nhỏ hơn."
        )
    if suffix in _MACRO_EXTENSIONS or "macroenabled" in content_type.lower():
        raise _refuse(
            "Không nhận tệp Excel có macro (.xlsm) hoặc dạng nhị phân (.xlsb); hãy lưu lại "
            "dưới dạng Sổ làm việc Excel (.xlsx)."
        )
    if suffix in _OLD_EXCEL_EXTENSIONS:
        raise _refuse(
            "Định dạng Excel cũ (.xls) không được hỗ trợ; hãy mở bằng Excel và lưu lại dưới "
            "dạng .xlsx."
        )
    if suffix not in ACCEPTED_EXTENSIONS:
        raise _refuse("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
    if not data:
        raise _refuse("Tệp rỗng.")
    if suffix == ".xlsx":
        check_xlsx(data)
        return "xlsx"
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC, b"MZ", b"%PDF")) or b"\x00" in data[:65536]:
        raise _refuse("Tệp .csv này không phải là văn bản (nội dung không khớp phần mở rộng).")
    return "csv"


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _above(limit: str, alphabet: str) -> str:
    """A regex for the strings over ``alphabet`` (in its order) that come after ``limit``
    when compared first by length, then letter by letter: row numbers, column names."""
    low, high = alphabet[0], alphabet[-1]
    lead = alphabet[1] if low == "0" else low
    parts = [f"[{lead}-{high}][{low}-{high}]{{{len(limit)},}}"]
    for i, ch in enumerate(limit):
        after = alphabet.index(ch) + 1
        if after < len(alphabet):
            rest = len(limit) - i - 1
            parts.append(
                f"{re.escape(limit[:i])}[{alphabet[after]}-{high}][{low}-{high}]{{{rest}}}"
            )
    return "(?:" + "|".join(parts) + ")"


def column_name(number: int) -> str:
    """The spreadsheet name of the 1-based column ``number`` (1 → A, 27 → AA)."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_SHEET_ROW = MAX_ROWS + 100  # room for a few title lines above the header
_NEAR_COLUMN = "|".join(_LETTERS) + f"|A[A-{column_name(MAX_COLUMNS)[-1]}]"
_FAR_ROW = _above(str(MAX_SHEET_ROW), "0123456789")
# calamine allocates the whole rectangle from A1 to the farthest cell, so a tiny file with one
# cell at XFD1048576 would abort the process. Every reference in a worksheet must therefore be
# a plain one inside the allowed area (anything unusual is refused, never guessed at) ...
_UNUSUAL_REFERENCE = re.compile(
    rb"\sr\s*=\s*([\"'])(?!(?:"
    + _NEAR_COLUMN.encode()
    + rb")?(?!"
    + _FAR_ROW.encode()
    + rb"[\"'])[1-9][0-9]{0,5}\1)"
)
# ... and every cell must carry one (a cell without it is placed by counting). Excel,
# LibreOffice and XlsxWriter always write ``<c r="A1"``.
_CELL_WITHOUT_REFERENCE = re.compile(rb'<(?:\w+:)?c(?=[\s/>])(?![^>]*\sr=")')
_TYPES_LIMIT = 1024 * 1024


def _refuse_area() -> UploadRefused:
    area = f"A1:{column_name(MAX_COLUMNS)}{MAX_SHEET_ROW}"
    return _refuse(
        f"Bảng tính có dữ liệu hoặc định dạng ngoài vùng {area} (tối đa "
        f"{format_number(MAX_ROWS)} dòng, {MAX_COLUMNS} cột), hoặc được tạo bằng phần mềm "
        "ghi ô không theo chuẩn; hãy xóa các dòng, cột thừa, mở bằng Excel và lưu lại."
    )


def check_xlsx(data: bytes) -> None:
    """Refuse anything but a plain, sane .xlsx: a zip whose entries, once inflated for real
    (the sizes a zip declares can lie), stay within the limits; no macros, no DTDs; cell
    references only inside ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns."""
    if data.startswith(_OLE_MAGIC):
        raise _refuse(
            "Tệp này là tệp Excel cũ (.xls) hoặc đã được đặt mật khẩu; hãy bỏ mật khẩu và lưu "
            "lại dưới dạng .xlsx."
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _refuse("Tệp không phải là tệp Excel .xlsx (nội dung không khớp phần mở rộng).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _refuse("Tệp .xlsx bị hỏng, không đọc được.") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse("Tệp .xlsx có cấu trúc bất thường (quá nhiều thành phần); không nhận.")
    names = {info.filename.lower(): info for info in infos}
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise _bomb()
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse("Tệp .xlsx đã được mã hóa; hãy bỏ mật khẩu rồi tải lên lại.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("Tệp .xlsx dùng kiểu nén không được hỗ trợ; hãy lưu lại bằng Excel.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise _bomb()
    macros = _refuse("Không nhận tệp Excel có macro; hãy lưu lại dưới dạng .xlsx không có macro.")
    if any("vbaproject" in n for n in names):
        raise macros
    types_info = names.get("[content_types].xml")
    if types_info is None or types_info.file_size > _TYPES_LIMIT:
        raise _refuse("Tệp không phải là sổ làm việc Excel (.xlsx).")
    types = b"".join(_inflate(data, types_info)).lower()
    if b"macroenabled" in types or b"vbaproject" in types:
        raise macros
    if b"spreadsheetml.sheet.main+xml" not in types:
        raise _refuse("Tệp không phải là sổ làm việc Excel (.xlsx).")
    for info in infos:
        _scan_entry(data, info)


def _bomb() -> UploadRefused:
    return _refuse(
        "Tệp .xlsx có cấu trúc bất thường (dữ liệu nén phình quá lớn khi giải nén); không nhận."
    )


def _scan_entry(data: bytes, info: zipfile.ZipInfo) -> None:
    """Inflate one entry for real; in XML, refuse DTDs (entity expansion) and encodings other
    than UTF-8, and in worksheets, references outside the allowed area."""
    name = info.filename.lower()
    xml = name.endswith((".xml", ".rels", ".vml"))
    worksheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    carry = b""
    first = True
    for chunk in _inflate(data, info):
        if not xml:
            continue
        if first:
            first = False
            if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:200]:
                raise _refuse("Tệp .xlsx có thành phần không theo bảng mã UTF-8; không nhận.")
        window = carry + chunk
        cut = window.rfind(b">") + 1
        complete, carry = window[:cut], window[cut:]
        if len(carry) > _CHUNK:  # a tag longer than a megabyte
            raise _refuse_area()
        _scan_xml(complete, worksheet)
    if carry:
        _scan_xml(carry, worksheet)


def _scan_xml(text: bytes, worksheet: bool) -> None:
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise _refuse("Tệp .xlsx có khai báo DTD (có thể gây tấn công XML); không nhận.")
    if worksheet and (_UNUSUAL_REFERENCE.search(text) or _CELL_WITHOUT_REFERENCE.search(text)):
        raise _refuse_area()


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterable[bytes]:
    """The entry's content in chunks, inflated here with the real sizes checked: more output
    than declared (a lying header), a bad checksum or a truncated entry refuse the file."""
    corrupt = _refuse("Tệp .xlsx bị hỏng, không đọc được.")
    offset = info.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size:
        raise corrupt
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _ZIP_MAGIC:
        raise corrupt
    start = offset + _LOCAL_HEADER.size + fields[9] + fields[10]
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise corrupt
    deflated = info.compress_type == zipfile.ZIP_DEFLATED
    decompressor = zlib.decompressobj(-15)
    total, crc = 0, 0

    def account(out: bytes) -> bytes:
        nonlocal total, crc
        total += len(out)
        if total > info.file_size:
            raise _bomb()
        crc = zlib.crc32(out, crc)
        return out

    for position in range(0, len(raw), _CHUNK):
        pending: bytes | memoryview = raw[position : position + _CHUNK]
        while pending:
            if not deflated:
                out, pending = bytes(pending), b""
            else:
                try:
                    out = decompressor.decompress(pending, _CHUNK)
                except zlib.error as exc:
                    raise corrupt from exc
                pending = decompressor.unconsumed_tail
            if out:
                yield account(out)
        if deflated and decompressor.eof:
            break
    if deflated:
        try:
            rest = decompressor.flush()
        except zlib.error as exc:
            raise corrupt from exc
        if rest:
            yield account(rest)
        if not decompressor.eof:
            raise corrupt
    if total != info.file_size or crc != info.CRC:
        raise corrupt


# --- reading the table -----------------------------------------------------------------------


@dataclass
class Table:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]


def read_table(filename: str, data: bytes, content_type: str = "") -> Table:
    """The first sheet of an .xlsx, or a CSV, as its header and its non-empty rows, each with
    its spreadsheet row number."""
    if file_kind(filename, data, content_type) == "xlsx":
        grid = _xlsx_grid(data)
    else:
        grid = _csv_grid(data)
    header_row = _header_row(grid)
    headers = [_plain(c) for c in grid[header_row]]
    rows = [
        (index + 1, cells)
        for index, cells in enumerate(grid[header_row + 1 :], start=header_row + 1)
        if any(_is_filled(c) for c in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise _refuse(
            f"Tệp có {format_number(len(rows))} dòng; mỗi lần nhập tối đa "
            f"{format_number(MAX_ROWS)} dòng, hãy chia thành nhiều tệp."
        )
    return Table(header_row + 1, headers, rows)


def _header_row(grid: list[list[Cell]]) -> int:
    """The index of the header: among the first non-empty rows (a title may stand above
    it), the first with the most known column names."""
    filled = [i for i, cells in enumerate(grid[:100]) if any(_is_filled(c) for c in cells)]
    if not filled:
        if any(any(_is_filled(c) for c in cells) for cells in grid):
            raise _refuse("Không tìm thấy dòng tiêu đề trong 100 dòng đầu của bảng tính.")
        raise _refuse("Tệp không có dữ liệu.")
    known = {i: _known_headers([_plain(c) for c in grid[i]]) for i in filled[:20]}
    best = max(known.values())
    return next(i for i in filled if known.get(i) == best) if best else filled[0]


def _xlsx_grid(data: bytes) -> list[list[Cell]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    except python_calamine.PasswordError as exc:
        raise _refuse("Tệp .xlsx đã được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.") from exc
    except (python_calamine.CalamineError, ValueError, OverflowError) as exc:
        raise _refuse(
            "Không đọc được trang tính đầu tiên của tệp .xlsx (nội dung bị hỏng)."
        ) from exc


def _csv_grid(data: bytes) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”)."
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: _known_headers(first_line.split(d)))
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _refuse(f"Tệp CSV sai cấu trúc: {exc}.") from exc


def _known_headers(cells: list[str]) -> int:
    return sum(header_key(c.strip().strip('"')) in BY_HEADER for c in cells)


def _is_filled(cell: Cell) -> bool:
    return not (isinstance(cell, str) and not cell.strip())


def _plain(cell: Cell) -> str:
    """Text of a cell as it reads: integers without ".0", dates dd/mm/yyyy, NFC, trimmed;
    the ``'`` that an export put before a formula-like value is taken off again."""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return format_date(cell) if cell.time() == time() else f"{format_date(cell)} {cell:%H:%M}"
    if isinstance(cell, date):
        return format_date(cell)
    text = unicodedata.normalize("NFC", str(cell)).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


# --- parsing cells ---------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_AS_TEXT = "hãy định dạng cột là Văn bản (Text) rồi nhập lại"
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
_PHONE = re.compile(r"\+?[0-9][0-9 .()\-]{6,18}[0-9]")


def _as_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool | int | float):
        raise CellError(
            "Ô này là số, không phải ngày; hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/03/1985."
        )
    text = _plain(cell)
    if not text:
        return None
    match = _DMY.fullmatch(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO.fullmatch(text)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        raise CellError("Ngày không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1985.")
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise CellError("Ngày không có thật (kiểm tra lại ngày và tháng).") from exc
    if day.year < 1900:
        raise CellError("Năm phải từ 1900 trở đi.")
    return day


def _as_text(cell: Cell, column: Column) -> str:
    if isinstance(cell, date | time | timedelta):
        raise CellError(f"Excel đã đổi giá trị này thành ngày, giờ; {_AS_TEXT}.")
    text = _plain(cell)
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"Dài quá {column.max_length} ký tự.")
    return text


def _as_national_id(cell: Cell) -> str:
    if isinstance(cell, bool | date | time | timedelta):
        raise CellError(f"Số CCCD phải là 12 chữ số; {_AS_TEXT}.")
    if isinstance(cell, int | float):
        # Excel dropped the leading zeros; a CCCD has exactly 12 digits and starts with a
        # province code, so they can be put back when that gives a valid province code.
        if float(cell).is_integer() and 0 < cell < 10**12:
            padded = str(int(cell)).zfill(12)
            if padded[:3] in PROVINCE_CODES:
                return padded
        raise CellError(
            f"Số CCCD đang ở dạng số nên Excel đã làm mất chữ số 0 ở đầu; {_AS_TEXT} đủ 12 chữ số."
        )
    text = "".join(_plain(cell).split())
    if text.isdigit() and len(text) < 12:
        raise CellError(
            f"Số CCCD chỉ có {len(text)} chữ số (cần 12); nếu Excel đã bỏ chữ số 0 ở đầu, "
            f"{_AS_TEXT}."
        )
    return text


def _as_card_number(cell: Cell, column: Column) -> str:
    if isinstance(cell, bool | int | float):
        raise CellError(
            f"Số thẻ đảng viên đang ở dạng số nên có thể đã mất chữ số 0 ở đầu; {_AS_TEXT}."
        )
    text = "".join(_as_text(cell, column).split())
    return text


def _as_phone(cell: Cell, column: Column) -> str:
    if isinstance(cell, bool):
        raise CellError("Số điện thoại không hợp lệ.")
    if isinstance(cell, int | float):
        digits = str(int(cell)) if float(cell).is_integer() else ""
        if 9 <= len(digits) <= 10:
            return "0" + digits  # Vietnamese numbers start with 0, which Excel drops
        raise CellError(f"Số điện thoại đang ở dạng số; {_AS_TEXT}.")
    text = _as_text(cell, column)
    if text and not _PHONE.fullmatch(text):
        raise CellError("Số điện thoại chỉ gồm chữ số (có thể có dấu +, khoảng trắng, dấu chấm).")
    return text


def _as_email(cell: Cell, column: Column) -> str:
    text = _as_text(cell, column)
    if text:
        try:
            validate_email(text)
        except ValidationError as exc:
            raise CellError("Địa chỉ thư điện tử không hợp lệ.") from exc
    return text


_CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "join_reason": {
        "chuyensinhhoatden": EventKind.TRANSFERRED_IN,
        "ketnapdangvien": EventKind.ADMITTED,
    },
}


def _as_choice(cell: Cell, column: Column) -> str:
    text = _as_text(cell, column)
    if not text:
        return ""
    wanted = header_key(text)
    for stored, label in column.choices:
        if header_key(label) == wanted:
            return stored
    alias = _CHOICE_ALIASES.get(column.key, {}).get(wanted)
    if alias is not None:
        return alias
    raise CellError(f"Hãy ghi một trong: {', '.join(label for label in column.labels if label)}.")


_ETHNICITY_ALIASES = {
    "mong": "Hmông",
    "hmong": "Hmông",
    "khmer": "Khơ-me",
    "jrai": "Gia-rai",
    "bana": "Ba-na",
    "ede": "Ê-đê",
    "bru": "Bru-Vân Kiều",
    "vankieu": "Bru-Vân Kiều",
    "khomu": "Khơ-mú",
    "kinhviet": "Kinh",
    "viet": "Kinh",
}
_ETHNICITY_KEYS = {header_key(name): name for name in ETHNICITIES} | _ETHNICITY_ALIASES


def _as_ethnicity(cell: Cell, column: Column) -> str:
    text = _as_text(cell, column)
    if not text:
        return ""
    found = _ETHNICITY_KEYS.get(header_key(text))
    if found is None:
        raise CellError("Không có trong danh mục 54 dân tộc Việt Nam; kiểm tra lại cách viết.")
    return found


# --- the whole file --------------------------------------------------------------------------


def analyze(
    *,
    actor: Actor,
    filename: str,
    data: bytes,
    content_type: str = "",
    progress: Progress | None = None,
) -> Analysis:
    """Parse and check the whole file without writing anything."""
    report = _progress(progress)
    analysis = Analysis(
        filename=PurePath(filename or "").name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    report("Đọc tệp", 0, 1)
    try:
        table = read_table(filename, data, content_type)
    except UploadRefused as exc:
        analysis.errors.append(RowError(0, "", "", exc.message))
        return analysis
    report("Đọc tệp", 1, 1)
    positions = _map_headers(table, analysis)
    if analysis.errors:
        return analysis
    if not table.rows:
        analysis.errors.append(RowError(0, "", "", "Tệp không có dòng dữ liệu nào dưới tiêu đề."))
        return analysis
    _imported_before(actor, analysis)
    organizations, agencies = _lookups(actor, table, positions)
    today = timezone.localdate()
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        analysis.rows.append(
            _parse_row(actor, number, cells, positions, organizations, agencies, today, analysis)
        )
        if done % 500 == 0 or done == total:
            report("Kiểm tra từng dòng", done, total)
    report("Đối chiếu quy tắc và dữ liệu đã có", 0, 1)
    # Every row goes through the rules and the duplicate checks, those that could not become a
    # member as their personal record, so that the report lists every problem of every row.
    errors, warnings = services.validate_batch(
        actor=actor,
        rows=[r.member if r.member is not None else r.personal for r in analysis.rows],
    )
    for index, violations in errors.items():
        analysis.errors += [_from_violation(analysis.rows[index], v) for v in violations]
    for index, violations in warnings.items():
        analysis.warnings += [_from_violation(analysis.rows[index], v) for v in violations]
    for row in analysis.rows:
        if row.member is None:
            _check_dates_alone(row, analysis)
    order = {c.header: i for i, c in enumerate(COLUMNS)}
    analysis.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    analysis.warnings.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    report("Đối chiếu quy tắc và dữ liệu đã có", 1, 1)
    return analysis


def import_members(
    *,
    actor: Actor,
    filename: str,
    data: bytes,
    content_type: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the file and, if nothing is wrong and it is not a dry run, write every member.

    A refused file comes back with ``refused`` and its errors; nothing was written.
    """
    analysis = analyze(
        actor=actor, filename=filename, data=data, content_type=content_type, progress=progress
    )
    result = ImportResult(analysis, dry_run)
    if not analysis.ok or dry_run:
        return result
    report = _progress(progress)
    report("Ghi vào cơ sở dữ liệu", 0, 1)
    checked = [r for r in analysis.rows if r.member is not None]
    try:
        members = services.member_bulk_create(
            actor=actor,
            rows=[r.member for r in checked if r.member is not None],
            source=analysis.filename,
            file_hash=analysis.sha256,
        )
    except services.BatchRejected as exc:  # the registry changed since the check
        for index, violations in exc.errors.items():
            analysis.errors += [_from_violation(checked[index], v) for v in violations]
        return result
    except IntegrityError:
        analysis.errors.append(
            RowError(
                0,
                "",
                "",
                "Danh sách đảng viên vừa được người khác thay đổi (trùng số CCCD hoặc số thẻ); "
                "chưa ghi dữ liệu nào, hãy nhập lại.",
            )
        )
        return result
    report("Ghi vào cơ sở dữ liệu", 1, 1)
    result.created = len(members)
    return result


def error_report_xlsx(errors: list[RowError]) -> bytes:
    """The errors as a spreadsheet: Dòng, Cột, Giá trị, Lỗi, Căn cứ."""
    return write_table_xlsx(
        sheet_name="Lỗi",
        headers=["Dòng", "Cột", "Giá trị", "Lỗi", "Căn cứ"],
        widths=[8, 24, 28, 70, 40],
        rows=([e.row or "", e.column, e.value, e.message, e.basis] for e in errors),
    )


def _progress(progress: Progress | None) -> Progress:
    return progress or (lambda label, done, total: None)


def _map_headers(table: Table, analysis: Analysis) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, text in enumerate(table.headers):
        if not text:
            continue
        column = BY_HEADER.get(header_key(text))
        if column is None:
            analysis.warnings.append(
                RowError(table.header_row, text, text, "Cột không có trong mẫu; sẽ bỏ qua.")
            )
        elif column.key in positions:
            analysis.errors.append(
                RowError(table.header_row, column.header, text, "Cột này xuất hiện hai lần.")
            )
        else:
            positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing and not positions:
        analysis.errors.append(
            RowError(
                table.header_row,
                "",
                "",
                "Không tìm thấy dòng tiêu đề: dòng đầu tiên có dữ liệu phải là tên các cột như "
                "trong tệp mẫu (Họ và tên, Ngày sinh, ...).",
            )
        )
    else:
        analysis.errors += [
            RowError(table.header_row, header, "", "Thiếu cột bắt buộc.") for header in missing
        ]
    return positions


def _cell(cells: list[Cell], positions: dict[str, int], key: str) -> Cell:
    index = positions.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _lookups(
    actor: Actor, table: Table, positions: dict[str, int]
) -> tuple[dict[str, Organization], dict[str, Agency]]:
    """The cells and agencies the file names, among those the importer can see (one query
    per 500 codes); a code outside the scope reads as unknown, like a missing one."""
    org_codes = {_plain(_cell(cells, positions, "organization")) for _, cells in table.rows}
    agency_codes = {_plain(_cell(cells, positions, "agency")) for _, cells in table.rows}
    organizations: dict[str, Organization] = {}
    agencies: dict[str, Agency] = {}
    visible_orgs = Organization.objects.restrict(actor, "orgs.view")
    for chunk in _chunks(sorted(org_codes - {""})):
        organizations |= {o.code: o for o in visible_orgs.filter(code__in=chunk)}
    visible_agencies = Agency.objects.restrict(actor, "orgs.view").select_related("organization")
    for chunk in _chunks(sorted(agency_codes - {""})):
        agencies |= {a.code: a for a in visible_agencies.filter(code__in=chunk)}
    return organizations, agencies


def _imported_before(actor: Actor, analysis: Analysis) -> None:
    """Warn when the same file (same SHA-256) was imported already, as far as the importer
    may read the audit log: importing it twice would list its members twice."""
    earlier = (
        audit_selectors.event_list(actor=actor, action="members.import")
        .filter(data__sha256=analysis.sha256)
        .order_by("-occurred_at")
        .first()
    )
    if earlier is not None:
        when = timezone.localtime(earlier.occurred_at)
        analysis.warnings.append(
            RowError(
                0,
                "",
                "",
                f"Tệp có cùng nội dung đã được nhập lúc {when:%H:%M} ngày {format_date(when)} "
                f"({earlier.actor_repr}); nhập lại sẽ thêm các đảng viên này lần nữa.",
            )
        )


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_PARSERS: dict[Kind, Callable[[Cell, Column], Any]] = {
    Kind.TEXT: _as_text,
    Kind.PHONE: _as_phone,
    Kind.EMAIL: _as_email,
    Kind.CHOICE: _as_choice,
    Kind.CODE: _as_text,
}


def _parse_value(column: Column, cell: Cell) -> Any:
    if column.kind is Kind.DATE:
        return _as_date(cell)
    if column.key == "national_id":
        return _as_national_id(cell)
    if column.key == "card_number":
        return _as_card_number(cell, column)
    if column.key == "ethnicity":
        return _as_ethnicity(cell, column)
    return _PARSERS[column.kind](cell, column)


def _parse_row(
    actor: Actor,
    number: int,
    cells: list[Cell],
    positions: dict[str, int],
    organizations: dict[str, Organization],
    agencies: dict[str, Agency],
    today: date,
    analysis: Analysis,
) -> ParsedRow:
    values: dict[str, Any] = {}
    shown: dict[str, str] = {}
    failed: set[str] = set()

    def error(key: str, message: str) -> None:
        failed.add(key)
        analysis.errors.append(RowError(number, BY_KEY[key].header, shown[key], message))

    for column in COLUMNS:
        cell = _cell(cells, positions, column.key)
        shown[column.key] = _plain(cell)
        try:
            values[column.key] = _parse_value(column, cell)
        except CellError as exc:
            values[column.key] = None
            error(column.key, exc.message)
            continue
        # The service reports a missing name itself (with the same words as the forms).
        empty = values[column.key] in (None, "")
        if column.required and empty and column.key != "full_name":
            error(column.key, "Bắt buộc, không được để trống.")

    organization = organizations.get(values["organization"] or "")
    if values["organization"] and organization is None:
        error(
            "organization",
            f"Không tìm thấy chi bộ mã «{values['organization']}» trong phạm vi của bạn.",
        )
    elif organization is not None:
        covered = scope.covers(actor, "members.add", organization.path)
        if covered and not scope.covers(actor, "members.import", organization.path):
            error("organization", "Bạn không có quyền nhập đảng viên vào chi bộ này.")
        elif organization.valid_to is not None and organization.valid_to <= today:
            error(
                "organization",
                f"Chi bộ «{organization.code}» đã giải thể, sáp nhập từ ngày "
                f"{format_date(organization.valid_to)}.",
            )
    agency = agencies.get(values["agency"] or "")
    if values["agency"] and agency is None:
        error("agency", f"Không tìm thấy cơ quan mã «{values['agency']}» trong phạm vi của bạn.")
    elif (
        agency is not None
        and organization is not None
        and not organization.path.startswith(agency.organization.path)
    ):
        analysis.warnings.append(
            RowError(
                number,
                BY_KEY["agency"].header,
                shown["agency"],
                f"Cơ quan «{agency.name}» do {agency.organization.name} lãnh đạo, không "
                f"phải tổ chức cấp trên của chi bộ «{organization.code}».",
            )
        )
    personal = {
        key: (values[key] if values[key] is not None else "") for key in services.PERSONAL_FIELDS
    }
    personal["agency"] = agency
    if "full_name" in failed:  # reported already; keep the service from calling it empty
        personal["full_name"] = shown["full_name"]
    personal["birth_date"] = values["birth_date"]
    for key in ("national_id", "card_number"):
        personal[key] = values[key] or None
    row = ParsedRow(number, values, shown, personal=personal)
    structural = ("organization", "admitted_on", "joined_on")
    if organization is None or any(values[k] is None or k in failed for k in structural):
        return row
    row.member = services.NewMember(
        organization=organization,
        admitted_on=values["admitted_on"],
        joined_on=values["joined_on"],
        recognized_on=values["recognized_on"],
        join_reason=values["join_reason"] or EventKind.ADMITTED,
        decision_number=values["decision_number"] or "",
        personal=personal,
    )
    return row


def _check_dates_alone(row: ParsedRow, analysis: Analysis) -> None:
    """The membership dates of a row that is not a member (its cell could not be used): the
    rules ``validate_batch`` applies to members, when the dates themselves could be read."""
    values = row.values
    if any(values[key] is None for key in ("birth_date", "admitted_on", "joined_on")):
        return
    found = services.check_membership_dates(
        birth_date=values["birth_date"],
        admitted_on=values["admitted_on"],
        recognized_on=values["recognized_on"],
        joined_on=values["joined_on"],
    )
    for violation in found:
        target = analysis.errors if violation.severity is Severity.ERROR else analysis.warnings
        target.append(_from_violation(row, violation))


def _from_violation(row: ParsedRow, violation: Violation) -> RowError:
    column = BY_KEY.get(violation.field)
    value = row.shown.get(column.key, "") if column else ""
    return RowError(
        row.row, column.header if column else "", value, violation.message, str(violation.citation)
    )
