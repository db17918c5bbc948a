"""Importing member lists: all or nothing, every bad row reported, safe with hostile files."""

from __future__ import annotations

import csv
import hashlib
import io
import struct
import time
import zipfile
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvu.__main__ import _join_subcommand
from dangvu.audit.models import AuditEvent
from dangvu.core.testing import World
from dangvu.members import import_views, imports, services
from dangvu.members.choices import EventKind
from dangvu.members.columns import COLUMNS, HEADERS
from dangvu.members.models import Member, MemberEvent, Stint
from dangvu.members.tests.factories import SETUP, make_member, national_id
from dangvu.orgs import services as org_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person(
    name: str = "Nguyễn Văn An",
    *,
    birth: date = date(1985, 3, 5),
    female: bool = False,
    cell: str = "N1",
) -> dict[str, Any]:
    """One valid row, by header."""
    return {
        "Họ và tên": name,
        "Ngày sinh": birth.strftime("%d/%m/%Y"),
        "Giới tính": "Nữ" if female else "Nam",
        "Dân tộc": "Kinh",
        "Tôn giáo": "",
        "Số CCCD": national_id(birth, female),
        "Số thẻ đảng viên": "",
        "Quê quán": "Xã Hải Thượng, tỉnh Quảng Trị",
        "Nơi ở hiện nay": "Phường Đông Hà, tỉnh Quảng Trị",
        "Giáo dục phổ thông": "12/12",
        "Chuyên môn": "Cử nhân Kế toán",
        "Lý luận chính trị": "Trung cấp",
        "Chức vụ": "Kế toán viên",
        "Mã chi bộ": cell,
        "Mã cơ quan": "",
        "Điện thoại": "0912345678",
        "Thư điện tử": "",
        "Ngày vào Đảng": "19/05/2010",
        "Ngày chính thức": "19/05/2011",
        "Ngày sinh hoạt tại chi bộ": "19/05/2010",
        "Hình thức": "Kết nạp",
        "Số quyết định kết nạp": "125-QĐ/ĐU",
    }


def xlsx(rows: list[dict[str, Any]], headers: list[str] | tuple[str, ...] = HEADERS) -> bytes:
    """A workbook as Excel writes it: text as text, numbers as numbers, dates as dates."""
    output = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(output, options)
    sheet = workbook.add_worksheet("Danh sách")
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    for number, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            value = row.get(header, "")
            if isinstance(value, date):
                sheet.write_datetime(number, col, value, day)
            elif isinstance(value, int | float):
                sheet.write_number(number, col, value)
            elif value != "":
                sheet.write_string(number, col, str(value))
    workbook.close()
    return output.getvalue()


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ",", bom: bool = True) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return output.getvalue().encode("utf-8-sig" if bom else "utf-8")


def problems(result: imports.ImportResult | imports.Analysis) -> dict[int, set[str]]:
    analysis = result.analysis if isinstance(result, imports.ImportResult) else result
    found: dict[int, set[str]] = {}
    for error in analysis.errors:
        found.setdefault(error.row, set()).add(error.column)
    return found


def messages_of(result: imports.ImportResult, row: int) -> str:
    return " ".join(e.message for e in result.analysis.errors if e.row == row)


# --- all or nothing --------------------------------------------------------------------------


def test_a_file_with_errors_writes_nothing_and_reports_every_bad_row(world: World) -> None:
    # given: a member already on record, and a file where every row but two is wrong
    on_record = make_member(world.n2, "Lê Văn Cũ", birth_date=date(1979, 1, 2))
    first = person("Nguyễn Văn An")
    future = timezone.localdate() + timedelta(days=30)
    rows = [
        first,  # row 2: fine
        person("Trần Văn Bình") | {"Số CCCD": "001185000123"},  # 3: female digit for a man
        person("Phạm Văn Cường") | {"Số CCCD": first["Số CCCD"]},  # 4: repeats row 2
        person("Hoàng Văn Dũng") | {"Số CCCD": on_record.national_id},  # 5: already on record
        person("Vũ Văn Đức", cell="X9"),  # 6: no such cell
        person("Đặng Văn Giang", cell="S1"),  # 7: a cell outside NORTH
        person("Bùi Văn Hải")
        | {
            "Ngày vào Đảng": future.strftime("%d/%m/%Y"),
            "Ngày chính thức": "",
            "Ngày sinh hoạt tại chi bộ": future.strftime("%d/%m/%Y"),
        },  # 8
        person(""),  # 9: no name
        person("Đỗ Văn Khoa") | {"Giới tính": "Nam giới"},  # 10: not Nam/Nữ
        person("Ngô Văn Long", cell="NORTH"),  # 11: not a cell
        person("Dương Thị Mai", female=True),  # 12: fine
    ]
    events = AuditEvent.objects.count()
    # when
    result = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=xlsx(rows))
    # then: refused, nothing written, each bad row reported at its column
    assert result.refused and result.created == 0
    assert list(Member.objects.values_list("pk", flat=True)) == [on_record.pk]
    assert AuditEvent.objects.count() == events
    found = problems(result)
    assert 2 not in found and 12 not in found
    assert {"Số CCCD"} <= found[3] and "Chữ số thứ tư" in messages_of(result, 3)
    assert "trùng với một dòng trước" in messages_of(result, 4)
    assert "đã có trong danh sách" in messages_of(result, 5)
    assert found[6] == {"Mã chi bộ"} and "X9" in messages_of(result, 6)
    assert found[7] == {"Mã chi bộ"} and "trong phạm vi của bạn" in messages_of(result, 7)
    assert {"Ngày vào Đảng", "Ngày sinh hoạt tại chi bộ"} <= found[8]
    assert "không thể sau hôm nay" in messages_of(result, 8)
    assert found[9] == {"Họ và tên"} and "không được để trống" in messages_of(result, 9)
    assert found[10] == {"Giới tính"} and "Nam, Nữ" in messages_of(result, 10)
    assert found[11] == {"Mã chi bộ"} and "chi bộ" in messages_of(result, 11)
    assert result.analysis.rows_with_errors == 9
    error = next(e for e in result.analysis.errors if e.row == 6)
    assert (error.column, error.value) == ("Mã chi bộ", "X9")


def test_every_problem_of_every_row_is_reported_once_at_its_cell(world: World) -> None:
    # given: rows with several errors each, some that cannot become a member at all
    repeated = national_id(date(1985, 3, 5), False)
    rows = [
        person("Nguyễn Văn An") | {"Ngày sinh": "31/02/1985", "Số CCCD": "abc"},  # row 2
        person("Trần Văn Bình") | {"Ngày sinh": "1985", "Số CCCD": "999185000123"},  # 3
        person("Phạm Văn Cường", cell="X9") | {"Số CCCD": repeated},  # 4: no such cell
        person("Hoàng Văn Dũng") | {"Số CCCD": repeated},  # 5: valid, repeats row 4
        person("Vũ Văn Đức") | {"Giới tính": "Nam giới", "Số CCCD": "45185000123"},  # 6
        person("Đặng Văn Giang") | {"Giới tính": "Nam giới", "Số CCCD": "0451850001234"},  # 7
        person("Dương Thị Mai", female=True),  # 8: fine
    ]
    events = AuditEvent.objects.count()
    # when
    result = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=xlsx(rows))
    # then: one line per problem, at its row and column, with the value as written
    assert result.refused and result.created == 0
    assert [(e.row, e.column, e.value, e.message) for e in result.analysis.errors] == [
        (2, "Ngày sinh", "31/02/1985", "Ngày không có thật (kiểm tra lại ngày và tháng)."),
        (2, "Số CCCD", "abc", "Số CCCD phải gồm đúng 12 chữ số."),
        (
            3,
            "Ngày sinh",
            "1985",
            "Ngày không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1985.",
        ),
        (
            3,
            "Số CCCD",
            "999185000123",
            "Ba chữ số đầu của số CCCD (999) không phải mã tỉnh, thành phố nào.",
        ),
        (4, "Mã chi bộ", "X9", "Không tìm thấy chi bộ mã «X9» trong phạm vi của bạn."),
        (5, "Số CCCD", repeated, f"Số CCCD {repeated} trùng với một dòng trước trong tệp."),
        (6, "Giới tính", "Nam giới", "Hãy ghi một trong: Nam, Nữ."),
        (
            6,
            "Số CCCD",
            "45185000123",
            "Số CCCD chỉ có 11 chữ số (cần 12); nếu Excel đã bỏ chữ số 0 ở đầu, hãy định dạng "
            "cột là Văn bản (Text) rồi nhập lại.",
        ),
        (7, "Giới tính", "Nam giới", "Hãy ghi một trong: Nam, Nữ."),
        (7, "Số CCCD", "0451850001234", "Số CCCD phải gồm đúng 12 chữ số."),
    ]
    assert result.analysis.rows_with_errors == 6
    assert not Member.objects.exists() and not Stint.objects.exists()
    assert AuditEvent.objects.count() == events


def test_rows_that_cannot_become_members_are_still_checked_against_the_file_and_the_registry(
    world: World,
) -> None:
    # given: a member on record, and rows whose cell or admission date cannot be read
    on_record = make_member(world.n2, "Lê Văn Cũ", birth_date=date(1985, 3, 5), card_number="0999")
    rows = [
        person("Nguyễn Văn An", cell="X9")
        | {"Số CCCD": on_record.national_id, "Số thẻ đảng viên": "0999"},  # row 2
        person("") | {"Ngày vào Đảng": "32/13/2010", "Số thẻ đảng viên": "0100"},  # 3
        person("Trần Văn Bình") | {"Số thẻ đảng viên": "0100"},  # 4: valid, repeats row 3
        person("Phạm Văn Cường", cell="S1") | {"Ngày vào Đảng": "01/01/1980"},  # 5
    ]
    # when
    result = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=xlsx(rows))
    # then
    assert result.refused and result.created == 0
    assert [(e.row, e.column, e.message) for e in result.analysis.errors] == [
        (2, "Số CCCD", f"Số CCCD {on_record.national_id} đã có trong danh sách đảng viên."),
        (2, "Số thẻ đảng viên", "Số thẻ đảng viên 0999 đã có trong danh sách."),
        (2, "Mã chi bộ", "Không tìm thấy chi bộ mã «X9» trong phạm vi của bạn."),
        (3, "Họ và tên", "Họ và tên không được để trống."),
        (3, "Ngày vào Đảng", "Ngày không có thật (kiểm tra lại ngày và tháng)."),
        (4, "Số thẻ đảng viên", "Số thẻ 0100 trùng với một dòng trước trong tệp."),
        (5, "Mã chi bộ", "Không tìm thấy chi bộ mã «S1» trong phạm vi của bạn."),
        (5, "Ngày vào Đảng", "Ngày vào Đảng phải sau ngày sinh."),
    ]
    assert result.analysis.warnings == []
    assert list(Member.objects.values_list("pk", flat=True)) == [on_record.pk]


@pytest.mark.parametrize(
    ("national_id_", "birth", "gender", "codes"),
    [
        ("abc", None, "", ["members.cccd_format"]),
        ("04518500012", date(1985, 3, 5), "", ["members.cccd_format"]),
        ("999185000123", None, "M", ["members.cccd_province"]),
        ("045385000123", None, "M", []),  # the century digit needs the birth date
        ("045385000123", date(1985, 3, 5), "", []),  # ... and the gender
        ("045385000123", date(1985, 3, 5), "M", ["members.cccd_gender_century"]),
        ("045190000123", date(1985, 3, 5), "F", ["members.cccd_birth_year"]),
        ("abc", date(1985, 3, 5), "M", ["members.cccd_format"]),
    ],
)
def test_the_cccd_structure_is_checked_without_the_birth_date_or_the_gender(
    db: None, national_id_: str, birth: date | None, gender: str, codes: list[str]
) -> None:
    personal = {"full_name": "Nguyễn Văn An", "birth_date": birth, "gender": gender}
    found = services.check_personal(
        personal | {"national_id": national_id_}, against_database=False
    )
    assert [(v.code, v.field) for v in found] == [(code, "national_id") for code in codes]


def test_a_valid_file_imports_members_stints_events_and_one_audit_event(world: World) -> None:
    # given: an agency, and rows as people type them (numbers, real dates, ISO dates)
    org_services.agency_create(
        actor=SETUP,
        organization=world.north,
        code="CQ-N",
        name="Văn phòng Bắc",
        valid_from=date(2015, 1, 1),
    )
    admitted = person("Nguyễn Thị Đào", female=True, birth=date(1990, 7, 1)) | {
        "Mã cơ quan": "CQ-N",
        "Ngày sinh": date(1990, 7, 1),
        "Số thẻ đảng viên": "012345",
        "Lý luận chính trị": "cao cap",
        "Điện thoại": 912345678,
    }
    cccd = national_id(date(1975, 2, 3), False, province="001")
    arrived = person("Lê Văn Tám", birth=date(1975, 2, 3), cell="N2") | {
        "Số CCCD": int(cccd),  # Excel dropped the two leading zeros
        "Ngày vào Đảng": "2001-09-02",
        "Ngày chính thức": "02/09/2002",
        "Ngày sinh hoạt tại chi bộ": "15/03/2020",
        "Hình thức": "Chuyển đến",
        "Giáo dục phổ thông": "10/10",
    }
    probation = person("Phan Văn Út", birth=date(2001, 12, 24)) | {
        "Ngày vào Đảng": "03/02/2024",
        "Ngày chính thức": "",
        "Ngày sinh hoạt tại chi bộ": "03/02/2024",
        "Lý luận chính trị": "",
    }
    data = xlsx([admitted, arrived, probation])
    # when
    result = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=data)
    # then
    assert not result.refused and result.created == 3, result.analysis.errors
    dao = Member.objects.get(full_name="Nguyễn Thị Đào")
    assert (dao.birth_date, dao.gender, dao.agency.code) == (date(1990, 7, 1), "F", "CQ-N")
    assert (dao.card_number, dao.phone, dao.theory_level) == ("012345", "0912345678", "cao_cap")
    tam = Member.objects.get(full_name="Lê Văn Tám")
    assert tam.national_id == cccd and tam.national_id.startswith("001")
    assert (tam.organization, tam.admitted_on) == (world.n2, date(2001, 9, 2))
    stint = Stint.objects.get(member=tam)
    assert (stint.start, stint.start_reason, stint.end) == (
        date(2020, 3, 15),
        EventKind.TRANSFERRED_IN,
        None,
    )
    assert list(
        MemberEvent.objects.filter(member=tam).order_by("date").values_list("kind", flat=True)
    ) == [EventKind.ADMITTED, EventKind.RECOGNIZED, EventKind.TRANSFERRED_IN]
    admission = MemberEvent.objects.get(member=dao, kind=EventKind.ADMITTED)
    assert admission.decision_number == "125-QĐ/ĐU"
    ut = Member.objects.get(full_name="Phan Văn Út")
    assert ut.recognized_on is None and ut.theory_level == ""
    assert not MemberEvent.objects.filter(member=ut, kind=EventKind.RECOGNIZED).exists()
    assert ut.status_on(timezone.localdate()) == "probationary"
    event = AuditEvent.objects.get(action="members.import")
    assert event.data["sha256"] == hashlib.sha256(data).hexdigest()
    assert (event.data["source"], event.data["members"], event.data["cells"]) == ("ds.xlsx", 3, 2)
    assert event.organization == world.north
    assert not AuditEvent.objects.filter(action="members.member.create").exists()


def test_dry_run_checks_everything_and_writes_nothing(world: World) -> None:
    data = xlsx([person("Nguyễn Văn An"), person("Trần Thị Bình", female=True, cell="N2")])
    result = imports.import_members(
        actor=world.north_manager, filename="ds.xlsx", data=data, dry_run=True
    )
    assert not result.refused and result.created == 0 and len(result.analysis.rows) == 2
    assert [(c.code, n) for c, n in result.analysis.per_cell()] == [("N1", 1), ("N2", 1)]
    assert not Member.objects.exists()
    assert not AuditEvent.objects.filter(action="members.import").exists()


def test_a_file_imported_before_is_flagged_in_the_preview(world: World) -> None:
    data = xlsx([person(), person("Lê Văn Hai") | {"Số CCCD": ""}])
    first = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=data)
    assert first.created == 2 and first.analysis.warnings == []
    again = imports.analyze(actor=world.north_manager, filename="lan-2.xlsx", data=data)
    assert [(w.row, w.column) for w in again.warnings] == [(0, "")]
    assert "đã được nhập lúc" in again.warnings[0].message
    assert "north_manager" in again.warnings[0].message


def test_headers_match_loosely_extra_columns_are_reported_and_title_rows_skipped(
    world: World,
) -> None:
    # given: upper-case and unaccented headers, an unknown column, a title line above
    headers = [h.upper() for h in HEADERS]
    headers[0] = "Ho va ten"
    row = person()
    rows = [{h2: row[h1] for h1, h2 in zip(HEADERS, headers, strict=True)} | {"STT": "1"}]
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "DANH SÁCH ĐẢNG VIÊN CHI BỘ N1")
    for col, header in enumerate([*headers, "STT"]):
        sheet.write_string(2, col, header)
        sheet.write_string(3, col, str(rows[0][header]))
    workbook.close()
    # when
    analysis = imports.analyze(
        actor=world.north_manager, filename="ds.xlsx", data=output.getvalue()
    )
    # then
    assert analysis.errors == []
    assert [r.row for r in analysis.rows] == [4]
    assert [(w.row, w.column) for w in analysis.warnings] == [(3, "STT")]


def test_missing_required_columns_refuse_the_file(world: World) -> None:
    headers = [h for h in HEADERS if h not in ("Ngày sinh", "Mã chi bộ")]
    result = imports.import_members(
        actor=world.north_manager, filename="ds.xlsx", data=xlsx([person()], headers)
    )
    assert result.refused
    assert {(e.row, e.column) for e in result.analysis.errors} == {
        (1, "Ngày sinh"),
        (1, "Mã chi bộ"),
    }


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("Ngày sinh", "31/02/1985", "không có thật"),
        ("Ngày sinh", "1985", "ngày/tháng/năm"),
        ("Ngày sinh", 1985, "là số, không phải ngày"),
        ("Số CCCD", 12345678901234, "định dạng cột là Văn bản"),
        ("Số CCCD", 99185000123, "định dạng cột là Văn bản"),
        ("Số CCCD", "45185000123", "chỉ có 11 chữ số"),
        ("Số thẻ đảng viên", 12345, "định dạng cột là Văn bản"),
        ("Giáo dục phổ thông", date(2024, 12, 12), "đổi giá trị này thành ngày"),
        ("Dân tộc", "Xyz", "54 dân tộc"),
        ("Dân tộc", "", "Bắt buộc"),
        ("Hình thức", "Kết nạp lại", "Kết nạp, Chuyển đến"),
        ("Thư điện tử", "khong-phai-thu", "không hợp lệ"),
        ("Điện thoại", "gọi sau", "chỉ gồm chữ số"),
        ("Họ và tên", "A" * 151, "Dài quá 150 ký tự"),
    ],
)
def test_cells_that_cannot_be_read_are_reported_with_the_fix(
    world: World, header: str, value: Any, expected: str
) -> None:
    row = person() | {header: value}
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx([row]))
    assert result.refused
    assert [(e.row, e.column) for e in result.analysis.errors] == [(2, header)]
    assert expected in result.analysis.errors[0].message


def test_recovered_numbers_and_accepted_spellings(world: World) -> None:
    birth = date(1966, 4, 30)
    cccd = national_id(birth, True, province="004")
    row = person("Hà Thị Hằng", birth=birth, female=True) | {
        "Số CCCD": float(int(cccd)),  # "004166…" stored by Excel as 4166… (a float)
        "Dân tộc": "Khmer",
        "Giới tính": "NỮ",
        "Hình thức": "ket nap",
        "Ngày vào Đảng": date(1990, 1, 1),
        "Ngày chính thức": "1991-01-01",
        "Ngày sinh hoạt tại chi bộ": "1.1.1990",
        "Điện thoại": "+84 912 345 678",
    }
    analysis = imports.analyze(actor=SETUP, filename="ds.xlsx", data=xlsx([row]))
    assert analysis.errors == []
    values = analysis.rows[0].values
    assert values["national_id"] == cccd
    assert (values["ethnicity"], values["gender"], values["join_reason"]) == (
        "Khơ-me",
        "F",
        EventKind.ADMITTED,
    )
    assert (values["admitted_on"], values["recognized_on"], values["joined_on"]) == (
        date(1990, 1, 1),
        date(1991, 1, 1),
        date(1990, 1, 1),
    )


def test_an_agency_outside_the_scope_is_unknown_and_a_distant_one_is_a_warning(
    world: World,
) -> None:
    org_services.agency_create(
        actor=SETUP,
        organization=world.south,
        code="CQ-S",
        name="Cơ quan Nam",
        valid_from=date(2015, 1, 1),
    )
    rows = [person() | {"Mã cơ quan": "CQ-S"}, person("Lê Văn Hai") | {"Mã cơ quan": "CQ-X"}]
    hidden = imports.analyze(actor=world.north_manager, filename="ds.xlsx", data=xlsx(rows))
    assert problems(hidden) == {2: {"Mã cơ quan"}, 3: {"Mã cơ quan"}}
    assert "CQ-S" in hidden.errors[0].message and "phạm vi" in hidden.errors[0].message
    seen = imports.analyze(actor=world.hq_admin, filename="ds.xlsx", data=xlsx(rows[:1]))
    assert seen.errors == []
    assert [(w.row, w.column) for w in seen.warnings] == [(2, "Mã cơ quan")]


def test_a_dissolved_cell_takes_no_new_members(world: World) -> None:
    n1 = world.n1
    org_services.organization_update(
        actor=SETUP,
        organization=n1,
        version=n1.version,
        code=n1.code,
        name=n1.name,
        kind=n1.kind,
        valid_from=n1.valid_from,
        valid_to=date(2020, 12, 31),
    )
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx([person()]))
    assert problems(result) == {2: {"Mã chi bộ"}}
    assert "giải thể" in result.analysis.errors[0].message


def test_under_18_is_a_warning_and_does_not_stop_the_import(world: World) -> None:
    row = person("Trẻ Văn Em", birth=date(1995, 6, 1)) | {"Ngày vào Đảng": "01/01/2012"}
    row |= {"Ngày chính thức": "01/01/2013", "Ngày sinh hoạt tại chi bộ": "01/01/2012"}
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx([row]))
    assert result.created == 1
    assert [(w.row, w.column) for w in result.analysis.warnings] == [(2, "Ngày vào Đảng")]
    assert AuditEvent.objects.get(action="members.import").data["warnings"] == 1


def test_a_number_taken_between_the_check_and_the_write_is_reported_on_its_row(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [person("Nguyễn Văn An"), person("Trần Văn Bình")]
    taken = rows[1]["Số CCCD"]
    write = services.member_bulk_create

    def someone_else_first(**kwargs: Any) -> Any:
        make_member(world.n2, "Người Khác", birth_date=date(1985, 3, 5), national_id=taken)
        return write(**kwargs)

    monkeypatch.setattr(services, "member_bulk_create", someone_else_first)
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx(rows))
    assert result.refused and result.created == 0
    assert problems(result) == {3: {"Số CCCD"}}
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Người Khác"]


def test_a_unique_clash_at_write_time_refuses_the_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def clash(**kwargs: Any) -> Any:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "member_bulk_create", clash)
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx([person()]))
    assert result.refused and "vừa được người khác thay đổi" in result.analysis.errors[0].message


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "bom"), [(",", True), (",", False), (";", True)])
def test_csv_in_utf8_with_or_without_bom_and_either_separator(
    world: World, delimiter: str, bom: bool
) -> None:
    data = csv_bytes(
        [person("Nguyễn Văn An"), person("Trần Thị Bình", female=True)],
        delimiter=delimiter,
        bom=bom,
    )
    result = imports.import_members(actor=world.north_manager, filename="ds.csv", data=data)
    assert result.created == 2, result.analysis.errors
    assert Member.objects.get(full_name="Trần Thị Bình").gender == "F"


def test_csv_in_another_encoding_is_refused_with_the_way_to_save_it(world: World) -> None:
    data = "Tên,Ngày sinh\nÀn,05/03/1985\n".encode("cp1252")  # saved as "CSV (ANSI)"
    result = imports.import_members(actor=SETUP, filename="ds.csv", data=data)
    assert result.refused and "UTF-8" in result.analysis.errors[0].message


# --- hostile and wrong files -----------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="MAIN"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_SHEET_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    b'"worksheets/sheet1.xml"/></Relationships>'
)


def sheet_xml(cells: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<sheetData>"
        + cells
        + b"</sheetData></worksheet>"
    )


def crafted_xlsx(
    sheet: bytes, *, main: bytes = _SHEET_MAIN, extra: dict[str, bytes] | None = None
) -> bytes:
    """A minimal workbook built by hand, zip entry by zip entry."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.replace(b"MAIN", main))
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return output.getvalue()


_HEADER_CELL = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + "Họ và tên".encode() + b"</t></is></c></row>"
)


def lying_xlsx(real_size: int, declared_size: int) -> bytes:
    """A zip whose worksheet inflates to ``real_size`` bytes while its headers (local and
    central) declare ``declared_size``, with a checksum that fits the declared part."""
    body = sheet_xml(_HEADER_CELL + b" " * real_size)
    data = bytearray(crafted_xlsx(body))
    crc = zlib.crc32(body[:declared_size])
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04")
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<L", data, local + 14, crc)
            struct.pack_into("<L", data, local + 22, declared_size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<L", data, central + 16, crc)
            struct.pack_into("<L", data, central + 24, declared_size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_crafted_workbook_that_is_sane_is_read(world: World) -> None:
    # the helper makes a workbook that passes the checks and that calamine reads, so the
    # refusals below come from what each case changes
    data = crafted_xlsx(sheet_xml(_HEADER_CELL))
    assert imports.file_kind("x.xlsx", data) == "xlsx"
    analysis = imports.analyze(actor=SETUP, filename="x.xlsx", data=data)
    required = [c.header for c in COLUMNS if c.required and c.header != "Họ và tên"]
    assert [(e.row, e.column, e.message) for e in analysis.errors] == [
        (1, header, "Thiếu cột bắt buộc.") for header in required
    ]


@pytest.mark.parametrize(
    ("filename", "build", "expected"),
    [
        ("ds.xlsm", lambda: xlsx([person()]), "macro"),
        ("ds.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Excel cũ"),
        ("ds.exe", lambda: b"MZ\x90\x00" + b"\x00" * 100, "Chỉ nhận tệp Excel"),
        ("ds.txt", lambda: b"Ho va ten\n", "Chỉ nhận tệp Excel"),
        ("ds", lambda: xlsx([person()]), "Chỉ nhận tệp Excel"),
        ("ds.xlsx", lambda: b"MZ\x90\x00" + b"\x00" * 100, "không khớp phần mở rộng"),
        ("ds.csv", lambda: b"MZ\x90\x00" + b"\x00" * 100, "không phải là văn bản"),
        ("ds.csv", lambda: xlsx([person()]), "không phải là văn bản"),
        ("ds.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "mật khẩu"),
        ("ds.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 100, "bị hỏng"),
        ("ds.xlsx", lambda: b"", "Tệp rỗng"),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(
                sheet_xml(_HEADER_CELL),
                main=b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            ),
            "macro",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(sheet_xml(_HEADER_CELL), extra={"xl/vbaProject.bin": b"\x00"}),
            "macro",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(
                sheet_xml(
                    _HEADER_CELL,
                    prolog=b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>',
                )
            ),
            "DTD",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(
                sheet_xml(_HEADER_CELL),
                main=b"application/vnd.openxmlformats-officedocument.wordprocessingml."
                b"document.main+xml",
            ),
            "không phải là sổ làm việc Excel",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(
                sheet_xml(_HEADER_CELL + b'<row r="300000"><c r="A300000"><v>1</v></c></row>')
            ),
            "ngoài vùng A1:AN",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(sheet_xml(b'<row r="1"><c r="XFD1"><v>1</v></c></row>')),
            "ngoài vùng A1:AN",
        ),
        (
            "ds.xlsx",
            lambda: crafted_xlsx(sheet_xml(b'<row r="1"><c><v>1</v></c><c><v>2</v></c></row>')),
            "ngoài vùng A1:AN",
        ),
    ],
)
def test_wrong_and_hostile_files_are_refused_before_reading(
    world: World, filename: str, build: Any, expected: str
) -> None:
    data = build()
    with pytest.raises(imports.UploadRefused) as refused:
        imports.file_kind(filename, data)
    assert expected in refused.value.message
    result = imports.import_members(actor=SETUP, filename=filename, data=data)
    assert result.refused and [e.row for e in result.analysis.errors] == [0]
    assert expected in result.analysis.errors[0].message


def test_a_macro_content_type_from_the_browser_is_refused(world: World) -> None:
    with pytest.raises(imports.UploadRefused, match="macro"):
        imports.file_kind(
            "ds.xlsx", xlsx([person()]), "application/vnd.ms-excel.sheet.macroEnabled.12"
        )


def test_a_zip_bomb_is_refused_quickly_by_its_compression_ratio(world: World) -> None:
    data = crafted_xlsx(sheet_xml(_HEADER_CELL + b" " * (60 * 1024 * 1024)))
    assert len(data) < 200_000
    started = time.monotonic()
    with pytest.raises(imports.UploadRefused, match="phình quá lớn"):
        imports.file_kind("bomb.xlsx", data)
    assert time.monotonic() - started < 2


def test_a_zip_that_lies_about_its_sizes_is_refused_while_inflating(world: World) -> None:
    # the headers declare 1 kB (no ratio to see); inflating finds 5 MB and stops at 1 kB
    data = lying_xlsx(real_size=5 * 1024 * 1024, declared_size=1024)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    started = time.monotonic()
    with pytest.raises(imports.UploadRefused, match="phình quá lớn"):
        imports.file_kind("liar.xlsx", data)
    assert time.monotonic() - started < 2


def test_size_entry_count_and_total_inflated_size_are_limited(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = xlsx([person()])
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(imports.UploadRefused, match="phình quá lớn"):
        imports.file_kind("ds.xlsx", data)
    monkeypatch.undo()
    monkeypatch.setattr(imports, "MAX_ZIP_ENTRIES", 3)
    with pytest.raises(imports.UploadRefused, match="quá nhiều thành phần"):
        imports.file_kind("ds.xlsx", data)
    monkeypatch.undo()
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", len(data) - 1)
    with pytest.raises(imports.UploadRefused, match="Tệp quá lớn"):
        imports.file_kind("ds.xlsx", data)


def test_too_many_rows_are_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    data = csv_bytes([person(), person("B"), person("C")])
    result = imports.import_members(actor=SETUP, filename="ds.csv", data=data)
    assert result.refused and "tối đa 2 dòng" in result.analysis.errors[0].message


# --- scope -----------------------------------------------------------------------------------


def test_a_cell_secretary_cannot_import(world: World, client: Any, tmp_path: Path) -> None:
    client.force_login(world.n1_clerk)
    assert client.get(reverse("member_io:upload")).status_code == 403
    upload = SimpleUploadedFile("ds.xlsx", xlsx([person()]), content_type=XLSX)
    assert client.post(reverse("member_io:upload"), {"file": upload}).status_code == 403
    assert client.post(reverse("member_io:confirm")).status_code == 403
    assert client.get(reverse("member_io:template")).status_code == 403
    source = tmp_path / "ds.xlsx"
    source.write_bytes(xlsx([person()]))
    with pytest.raises(CommandError, match="không có quyền"):
        call_command("import_members", str(source), "--as", "n1_clerk", stdout=io.StringIO())
    assert not Member.objects.exists()


def test_an_office_imports_only_into_its_own_subtree(world: World) -> None:
    rows = [person(cell="N1"), person("Lê Thị Hoa", female=True, cell="S1")]
    result = imports.import_members(actor=world.north_manager, filename="ds.xlsx", data=xlsx(rows))
    assert problems(result) == {3: {"Mã chi bộ"}}
    assert not Member.objects.exists()
    result = imports.import_members(actor=world.hq_admin, filename="ds.xlsx", data=xlsx(rows))
    assert result.created == 2


# --- error report ----------------------------------------------------------------------------


def read_xlsx(data: bytes, sheet: int = 0) -> list[list[Any]]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(sheet).to_python()


def test_the_error_report_has_the_same_columns_and_neutralizes_formulas(world: World) -> None:
    rows = [person() | {"Giới tính": '=HYPERLINK("http://x","y")'}, person("B", cell="@X")]
    result = imports.import_members(actor=SETUP, filename="ds.xlsx", data=xlsx(rows))
    report = read_xlsx(imports.error_report_xlsx(result.analysis.errors))
    assert report[0] == ["Dòng", "Cột", "Giá trị", "Lỗi", "Căn cứ"]
    assert [r[:3] for r in report[1:]] == [
        [2.0, "Giới tính", '\'=HYPERLINK("http://x","y")'],
        [3.0, "Mã chi bộ", "'@X"],
    ]


# --- commands --------------------------------------------------------------------------------


def test_the_console_script_joins_import_members() -> None:
    assert _join_subcommand(["dangvu", "import", "members", "ds.xlsx", "--dry-run"]) == [
        "dangvu",
        "import_members",
        "ds.xlsx",
        "--dry-run",
    ]


def test_the_import_command_writes_a_valid_file(world: World, tmp_path: Path) -> None:
    source = tmp_path / "ds.xlsx"
    source.write_bytes(xlsx([person(), person("Trần Thị Bình", female=True, cell="N2")]))
    out = io.StringIO()
    call_command("import_members", str(source), "--dry-run", stdout=out)
    assert "Chưa ghi (--dry-run)" in out.getvalue() and not Member.objects.exists()
    out = io.StringIO()
    call_command("import_members", str(source), stdout=out)
    assert "Đã nhập 2 đảng viên vào 2 chi bộ" in out.getvalue()
    event = AuditEvent.objects.get(action="members.import")
    assert event.actor is None and event.actor_repr == "Hệ thống (import_members)"
    assert event.data["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_the_import_command_prints_the_errors_and_exits_on_refusal(
    world: World, tmp_path: Path
) -> None:
    source = tmp_path / "ds.csv"
    source.write_bytes(csv_bytes([person(), person("Lê Văn Ba", cell="X9")]))
    report = tmp_path / "loi.xlsx"
    out = io.StringIO()
    with pytest.raises(CommandError, match="có 1 lỗi ở 1 dòng; chưa ghi dữ liệu nào"):
        call_command(
            "import_members",
            str(source),
            "--as",
            "north_manager",
            "--report",
            str(report),
            stdout=out,
        )
    printed = out.getvalue()
    assert "Mã chi bộ" in printed and "X9" in printed
    assert read_xlsx(report.read_bytes())[1][:3] == [3.0, "Mã chi bộ", "X9"]
    assert oct(report.stat().st_mode & 0o777) == "0o600"
    assert not Member.objects.exists()
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_members", str(tmp_path / "khong-co.xlsx"), stdout=out)
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import_members", str(source), "--as", "nobody", stdout=out)


# --- web -------------------------------------------------------------------------------------


def upload(client: Any, data: bytes, name: str = "ds.xlsx") -> Any:
    file = SimpleUploadedFile(name, data, content_type=XLSX)
    return client.post(reverse("member_io:upload"), {"file": file})


def test_web_upload_preview_confirm(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    page = client.get(reverse("member_io:upload"))
    assert page.status_code == 200 and "Tải tệp mẫu" in page.content.decode()
    rows = [person(f"Nguyễn Văn {name}") for name in ("An", "Bình", "Cường")]
    response = upload(client, xlsx(rows))
    assert response.status_code == 302 and response["Location"] == reverse("member_io:preview")
    preview = client.get(reverse("member_io:preview"))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Ghi vào danh sách" in html and "Nguyễn Văn Bình" in html
    assert [(c.code, n) for c, n in preview.context["per_cell"]] == [("N1", 3)]
    assert not Member.objects.exists()
    done = client.post(reverse("member_io:confirm"))
    assert done.status_code == 302 and Member.objects.count() == 3
    assert import_views.SESSION_KEY not in client.session
    assert "Đã nhập 3 đảng viên" in client.get(reverse("member_io:upload")).content.decode()
    again = client.post(reverse("member_io:confirm"))
    assert again.status_code == 302 and Member.objects.count() == 3


def test_web_errors_page_and_report_download(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    upload(client, xlsx([person(), person("Lê Văn Ba", cell="S1")]))
    page = client.get(reverse("member_io:preview"))
    html = page.content.decode()
    assert "chưa ghi dữ liệu nào" in html.lower() and "S1" in html
    assert [(e.row, e.column) for e in page.context["errors"]] == [(3, "Mã chi bộ")]
    download = client.get(reverse("member_io:report_download"))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    assert read_xlsx(download.content)[1][:3] == [3.0, "Mã chi bộ", "S1"]
    refused = client.post(reverse("member_io:confirm"))
    assert refused.status_code == 200 and not Member.objects.exists()
    client.post(reverse("member_io:cancel"))
    assert client.get(reverse("member_io:report_download")).status_code == 404


def test_web_refuses_wrong_files_on_the_form(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = upload(client, xlsx([person()]), name="ds.xlsm")
    assert response.status_code == 400 and "macro" in response.content.decode()
    assert import_views.SESSION_KEY not in client.session


def test_web_refuses_a_big_upload_before_reading_it_and_still_checks_csrf(
    world: World, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(world.north_manager)
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(import_views, "_FORM_OVERHEAD", 0)
    response = upload(client, xlsx([person()]))
    assert response.status_code == 413 and "Tệp quá lớn" in response.content.decode()
    assert import_views.SESSION_KEY not in client.session
    monkeypatch.undo()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.north_manager)
    assert upload(strict, xlsx([person()])).status_code == 403
    page = strict.get(reverse("member_io:upload"))
    token = page.context["csrf_token"]
    file = SimpleUploadedFile("ds.xlsx", xlsx([person()]), content_type=XLSX)
    accepted = strict.post(
        reverse("member_io:upload"), {"file": file, "csrfmiddlewaretoken": str(token)}
    )
    assert accepted.status_code == 302


def test_web_keeps_a_large_upload_on_disk_and_deletes_it(
    world: World, client: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(import_views, "SESSION_INLINE_LIMIT", 100)
    client.force_login(world.north_manager)
    upload(client, xlsx([person()]))
    kept = list((tmp_path / "uploads").glob("import-*.upload"))
    assert len(kept) == 1 and oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert "data" not in client.session[import_views.SESSION_KEY]
    assert client.post(reverse("member_io:confirm")).status_code == 302
    assert Member.objects.count() == 1 and not kept[0].exists()


def test_web_template_download_is_the_import_layout(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.get(reverse("member_io:template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert read_xlsx(response.content)[0] == list(HEADERS)
