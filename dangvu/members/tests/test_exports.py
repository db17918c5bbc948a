"""Exporting member lists: the import's columns (so an export imports again), safe cells,
scoped to the subtree, and logged."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import OutOfScope
from dangvu.core.testing import World
from dangvu.members import exports, imports, services
from dangvu.members.choices import EventKind
from dangvu.members.columns import HEADERS
from dangvu.members.models import Member
from dangvu.members.tests.factories import SETUP, make_member, national_id
from dangvu.orgs import services as org_services

FORMULA = '=HYPERLINK("http://example.com/x","Bấm vào đây")'


def read_xlsx(data: bytes, sheet: int = 0) -> list[list[Any]]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(sheet).to_python()


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def north_roll(world: World) -> list[Member]:
    """Members of every kind in NORTH, one who left, and one in SOUTH."""
    agency = org_services.agency_create(
        actor=SETUP,
        organization=world.north,
        code="CQ-N",
        name="Văn phòng Bắc",
        valid_from=date(2015, 1, 1),
    )
    dao = make_member(
        world.n1,
        "Nguyễn Thị Đào",
        birth_date=date(1990, 7, 1),
        gender="F",
        admitted_on=date(2015, 5, 19),
        recognized_on=date(2016, 5, 19),
        religion="Phật giáo",
        card_number="012345",
        hometown="Xã Hải Thượng, tỉnh Quảng Trị",
        residence='Số 1, đường "Lê Lợi", Đông Hà',
        education="12/12",
        qualification="Cử nhân Kế toán",
        theory_level="trung_cap",
        position="-Phó trưởng phòng",
        agency=agency,
        phone="+84 912 345 678",
        email="dao@example.vn",
        decision_number="125-QĐ/ĐU",
    )
    birth = date(1975, 2, 3)
    tam, _ = services.member_create(
        actor=SETUP,
        organization=world.n2,
        full_name="Lê Văn Tám",
        birth_date=birth,
        gender="M",
        ethnicity="Tày",
        national_id=national_id(birth, False, province="001"),
        admitted_on=date(2001, 9, 2),
        recognized_on=date(2002, 9, 2),
        joined_on=date(2020, 3, 15),
        join_reason=EventKind.TRANSFERRED_IN,
        hometown="@SUM(A1)",
    )
    ut = make_member(
        world.n1,
        FORMULA,
        birth_date=date(2001, 12, 24),
        admitted_on=date(2024, 2, 3),
        recognized_on=None,
    )
    gone = make_member(world.n2, "Trần Văn Đi", birth_date=date(1960, 1, 1))
    services.event_record(actor=SETUP, member=gone, kind=EventKind.LEFT, date=date(2023, 1, 1))
    make_member(world.s1, "Phạm Văn Nam", birth_date=date(1982, 8, 8))
    return [dao, tam, ut]


def registry() -> list[dict[str, Any]]:
    """Everything an import sets, for every current member, in a comparable form."""
    found = []
    for member in Member.objects.current().order_by("national_id"):
        stint = member.stints.get(end__isnull=True)
        admission = member.events.get(kind=EventKind.ADMITTED)
        found.append(
            {
                **{f: getattr(member, f) for f in services.PERSONAL_FIELDS if f != "agency"},
                "agency": member.agency.code if member.agency else None,
                "cell": member.organization.code,
                "admitted_on": member.admitted_on,
                "recognized_on": member.recognized_on,
                "joined_on": stint.start,
                "join_reason": stint.start_reason,
                "stint_recognized_on": stint.recognized_on,
                "decision_number": admission.decision_number,
                "events": sorted((e.kind, e.date) for e in member.events.all()),
            }
        )
    return found


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_registry_gives_the_same_members(
    world: World, file_format: str
) -> None:
    # given
    north_roll(world)
    before = [m for m in registry() if m["cell"] in ("N1", "N2")]
    assert len(before) == 3
    # when: exported, the registry emptied, and the file imported again
    data = exports.export_members(
        actor=world.north_manager, organization=world.north, file_format=file_format
    )
    Member.objects.all().delete()
    result = imports.import_members(
        actor=world.north_manager, filename=f"xuat.{file_format}", data=data
    )
    # then
    assert result.created == 3, result.analysis.errors
    assert registry() == before


def test_the_xlsx_has_real_dates_text_numbers_and_only_the_current_members_of_the_subtree(
    world: World,
) -> None:
    dao, tam, ut = north_roll(world)
    sheet = read_xlsx(exports.export_members(actor=world.hq_admin, organization=world.north))
    assert sheet[0] == list(HEADERS)
    by_name = {row[0].lstrip("'"): dict(zip(HEADERS, row, strict=True)) for row in sheet[1:]}
    assert sorted(by_name) == sorted([dao.full_name, tam.full_name, ut.full_name])
    row = by_name["Nguyễn Thị Đào"]
    assert row["Ngày sinh"] == date(1990, 7, 1) and row["Ngày chính thức"] == date(2016, 5, 19)
    assert row["Số CCCD"] == dao.national_id and row["Số thẻ đảng viên"] == "012345"
    assert (row["Giới tính"], row["Lý luận chính trị"], row["Hình thức"]) == (
        "Nữ",
        "Trung cấp",
        "Kết nạp",
    )
    assert (row["Mã chi bộ"], row["Mã cơ quan"], row["Số quyết định kết nạp"]) == (
        "N1",
        "CQ-N",
        "125-QĐ/ĐU",
    )
    assert by_name["Lê Văn Tám"]["Số CCCD"].startswith("001")
    assert by_name["Lê Văn Tám"]["Hình thức"] == "Chuyển đến"
    assert by_name["Lê Văn Tám"]["Ngày sinh hoạt tại chi bộ"] == date(2020, 3, 15)
    assert by_name[FORMULA]["Ngày chính thức"] == ""


def test_formulas_are_neutralized_in_every_exported_cell(world: World) -> None:
    north_roll(world)
    sheet = read_xlsx(exports.export_members(actor=world.hq_admin, organization=world.north))
    table = read_csv(
        exports.export_members(actor=world.hq_admin, organization=world.north, file_format="csv")
    )
    for rows in (sheet, table):
        cells = [str(c) for row in rows[1:] for c in row]
        assert f"'{FORMULA}" in cells and "'@SUM(A1)" in cells
        assert "'-Phó trưởng phòng" in cells and "'+84 912 345 678" in cells
        assert not any(c.startswith(exports.FORMULA_TRIGGERS) for c in cells)
    assert 'Số 1, đường "Lê Lợi", Đông Hà' in [c for row in table for c in row]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Nguyễn", "Nguyễn"),
        ("", ""),
    ],
)
def test_neutralize(value: str, expected: str) -> None:
    assert exports.neutralize(value) == expected


def test_every_export_is_logged_with_counts_and_no_personal_data(world: World) -> None:
    north_roll(world)
    exports.export_members(actor=world.north_manager, organization=world.north, file_format="csv")
    event = AuditEvent.objects.get(action="members.export")
    assert event.actor == world.north_manager and event.organization == world.north
    assert event.data == {"format": "csv", "members": 3, "cells": 2}


def test_a_cell_secretary_exports_only_their_cell(world: World, client: Any) -> None:
    north_roll(world)
    n1 = read_xlsx(exports.export_members(actor=world.n1_clerk, organization=world.n1))
    assert {row[13] for row in n1[1:]} == {"N1"} and len(n1) == 3
    for other in (world.n2, world.north, world.s1):
        with pytest.raises(OutOfScope):
            exports.export_members(actor=world.n1_clerk, organization=other)
    assert AuditEvent.objects.filter(action="members.export").count() == 1
    client.force_login(world.n1_clerk)
    page = client.get(reverse("member_io:export"))
    assert page.status_code == 200
    assert [o.code for o in page.context["form"].fields["org"].queryset] == ["N1"]
    refused = client.get(reverse("member_io:export"), {"org": world.n2.pk, "format": "xlsx"})
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="members.export").count() == 1
    download = client.get(reverse("member_io:export"), {"org": world.n1.pk, "format": "csv"})
    assert download.status_code == 200 and download["Content-Type"] == exports.FORMATS["csv"]
    assert 'filename="dang-vien-N1-' in download["Content-Disposition"]
    assert len(read_csv(download.content)) == 3
    event = AuditEvent.objects.filter(action="members.export").latest("id")
    assert event.actor == world.n1_clerk and event.data["members"] == 2


def test_the_template_has_the_headers_and_a_guide_whose_example_imports(world: World) -> None:
    template = exports.template_xlsx()
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(template))
    assert workbook.sheet_names == ["Danh sách", "Hướng dẫn"]
    assert read_xlsx(template) == [list(HEADERS)]
    empty = imports.import_members(actor=SETUP, filename="mau.xlsx", data=template)
    assert empty.refused and "không có dòng dữ liệu" in empty.analysis.errors[0].message
    guide = read_xlsx(template, 1)
    start = next(i for i, row in enumerate(guide) if row[0] == "Cột")
    end = next(i for i in range(start, len(guide)) if guide[i][0] == "")
    examples = {row[0]: row[3] for row in guide[start + 1 : end]}
    assert list(examples) == list(HEADERS)
    assert guide[end + 2] == list(HEADERS)
    assert guide[end + 3] == [examples[h] for h in HEADERS]
    example = [[examples[h] if h != "Mã chi bộ" else "N1" for h in HEADERS]]
    data = exports.write_table_csv(headers=HEADERS, rows=example)
    result = imports.import_members(actor=SETUP, filename="vi-du.csv", data=data)
    assert result.created == 1, result.analysis.errors


def test_the_export_command_writes_a_private_file(world: World, tmp_path: Path) -> None:
    north_roll(world)
    out = tmp_path / "bac.xlsx"
    printed = io.StringIO()
    call_command("export_members", "--org", "NORTH", "--out", str(out), stdout=printed)
    assert "Đã xuất 3 đảng viên (2 chi bộ)" in printed.getvalue()
    assert oct(out.stat().st_mode & 0o777) == "0o600" and len(read_xlsx(out.read_bytes())) == 4
    event = AuditEvent.objects.get(action="members.export")
    assert event.actor_repr == "Hệ thống (export_members)"
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("export_members", "--org", "KHONG", "--out", str(out), stdout=printed)
    with pytest.raises(CommandError, match=r"\.xlsx hoặc \.csv"):
        call_command("export_members", "--org", "NORTH", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("export_members", "--org", "NORTH", "--out", str(out), "--as", "n1_clerk")
    assert AuditEvent.objects.filter(action="members.export").count() == 1


def test_a_readmitted_member_is_exported_as_such_and_not_imported_as_new(world: World) -> None:
    member = make_member(world.n1, "Võ Văn Lại", birth_date=date(1970, 1, 1))
    services.event_record(actor=SETUP, member=member, kind=EventKind.LEFT, date=date(2010, 1, 1))
    services.event_record(
        actor=SETUP,
        member=member,
        kind=EventKind.READMITTED,
        date=date(2015, 1, 1),
        organization=world.n1,
    )
    data = exports.export_members(actor=SETUP, organization=world.n1, file_format="csv")
    row = dict(zip(HEADERS, read_csv(data)[1], strict=True))
    assert (row["Hình thức"], row["Ngày sinh hoạt tại chi bộ"]) == ("Kết nạp lại", "01/01/2015")
    Member.objects.all().delete()
    result = imports.import_members(actor=SETUP, filename="xuat.csv", data=data)
    assert [(e.row, e.column) for e in result.analysis.errors] == [(2, "Hình thức")]
