"""Exporting the member list (.xlsx, CSV) with the import's columns, and the empty template.

An export can be imported again as it is: the same headers, dates as real dates (dd/mm/yyyy),
CCCD and card numbers as text. Every text cell that a spreadsheet could take for a formula
(``= + - @``, tab, CR) gets a leading ``'``, in the .xlsx and in the CSV (OWASP "CSV
injection"); the importer takes that ``'`` off again. Every export of personal data is
recorded in the audit log (``members.export``) with its counts, never its content.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit.services import record
from dangvu.core.exceptions import DomainError
from dangvu.core.text import format_date
from dangvu.members.choices import EventKind
from dangvu.members.columns import BY_KEY, COLUMNS, Kind
from dangvu.members.models import Member, MemberEvent, Stint
from dangvu.orgs.models import Organization

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SHEET_NAME = "Danh sách"
GUIDE_NAME = "Hướng dẫn"
_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def neutralize(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


# --- spreadsheets ----------------------------------------------------------------------------


class _Styles:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#B3161B",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": "dd/mm/yyyy"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.title = workbook.add_format({"bold": True, "font_size": 14})


def _write_cell(sheet: Any, styles: _Styles, row: int, col: int, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, styles.date)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "TRUE" if value else "FALSE", styles.text)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, neutralize(str(value)), styles.text)


def _header(sheet: Any, styles: _Styles, headers: Sequence[str], widths: Sequence[int]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, neutralize(text), styles.header)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)


def write_table_xlsx(
    *,
    sheet_name: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[Any]],
) -> bytes:
    """One sheet: a styled, frozen header row, then ``rows`` written one at a time
    (``constant_memory``). Dates get the dd/mm/yyyy format, text is written as text."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, **_WORKBOOK_OPTIONS})
    styles = _Styles(workbook)
    sheet = workbook.add_worksheet(sheet_name)
    _header(sheet, styles, headers, widths)
    last = 0
    for last, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            _write_cell(sheet, styles, last, col, value)
    sheet.autofilter(0, 0, max(last, 1), len(headers) - 1)
    workbook.close()
    return output.getvalue()


def write_table_csv(*, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (so that Excel reads the diacritics), RFC 4180 quoting, CRLF."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in headers])
    for values in rows:
        writer.writerow([_csv_text(v) for v in values])
    return output.getvalue().encode("utf-8-sig")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    return neutralize(str(value))


# --- the member list -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    filename: str
    content_type: str
    members: int
    cells: int


def export_members(*, actor: Actor, organization: Organization, file_format: str = "xlsx") -> bytes:
    """The current members of ``organization``'s subtree as an .xlsx (or CSV) file."""
    return export_file(actor=actor, organization=organization, file_format=file_format).content


def export_file(
    *, actor: Actor, organization: Organization, file_format: str = "xlsx"
) -> ExportResult:
    """Build the export and record it in the audit log (who, which subtree, how many)."""
    if file_format not in FORMATS:
        raise DomainError("Chỉ xuất được tệp .xlsx hoặc .csv.")
    scope.require(actor, "members.export", organization)
    cells: set[str] = set()
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for values in _member_values(actor, organization):
            count += 1
            cells.add(values["organization"])
            yield [_export_value(key, values.get(key)) for key in (c.key for c in COLUMNS)]

    headers = [c.header for c in COLUMNS]
    if file_format == "xlsx":
        content = write_table_xlsx(
            sheet_name=SHEET_NAME, headers=headers, widths=[c.width for c in COLUMNS], rows=rows()
        )
    else:
        content = write_table_csv(headers=headers, rows=rows())
    with transaction.atomic():
        record(
            actor=actor,
            action="members.export",
            target=organization,
            organization=organization,
            data={"format": file_format, "members": count, "cells": len(cells)},
        )
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", organization.code).strip("-") or "to-chuc"
    filename = f"dang-vien-{code}-{timezone.localdate():%Y%m%d}.{file_format}"
    return ExportResult(content, filename, FORMATS[file_format], count, len(cells))


def _member_values(actor: Actor, organization: Organization) -> Iterator[dict[str, Any]]:
    """The current members of the subtree (an open stint), in Vietnamese name order, with
    their open stint and admission decision fetched per chunk (three queries a chunk)."""
    derived = {"organization", "agency", "joined_on", "join_reason", "decision_number"}
    queryset = (
        Member.objects.restrict(actor, "members.export")
        .filter(organization__path__startswith=organization.path, stints__end__isnull=True)
        .order_by("name_sort", "id")
        .values(
            "id",
            *(c.key for c in COLUMNS if c.key not in derived),
            cell_code=F("organization__code"),
            agency_code=F("agency__code"),
        )
    )
    chunk: list[dict[str, Any]] = []
    for values in queryset.iterator(chunk_size=_CHUNK):
        chunk.append(values)
        if len(chunk) == _CHUNK:
            yield from _completed(chunk)
            chunk = []
    yield from _completed(chunk)


_CHUNK = 2000


def _completed(chunk: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    ids = [values["id"] for values in chunk]
    stints = {
        member: (start, reason)
        for member, start, reason in Stint.objects.filter(
            member_id__in=ids, end__isnull=True
        ).values_list("member_id", "start", "start_reason")
    }
    decisions: dict[int, str] = {}
    admissions = (
        MemberEvent.objects.filter(member_id__in=ids, kind=EventKind.ADMITTED)
        .order_by("-date", "-id")
        .values_list("member_id", "decision_number")
    )
    for member, number in admissions:
        decisions[member] = number  # the earliest admission is written last
    for values in chunk:
        pk = values.pop("id")
        values["joined_on"], values["join_reason"] = stints.get(pk, (None, ""))
        values["decision_number"] = decisions.get(pk, "")
        values["organization"] = values.pop("cell_code")
        values["agency"] = values.pop("agency_code") or ""
        yield values


def _export_value(key: str, value: Any) -> Any:
    column = BY_KEY[key]
    if value is None:
        return None
    if column.kind is Kind.CHOICE:
        label = column.label_of(str(value))
        if label == value and value in EventKind.values:  # a stint opened by readmission
            return EventKind(value).label
        return label
    return value


# --- the template ----------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """The empty list to fill in (headers, text and date formats, drop-down lists) and a
    second sheet, "Hướng dẫn", that explains every column with an example."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, **_WORKBOOK_OPTIONS})
    styles = _Styles(workbook)
    sheet = workbook.add_worksheet(SHEET_NAME)
    last_row = 5000
    for col, column in enumerate(COLUMNS):
        cell_format = styles.date if column.kind is Kind.DATE else styles.text
        sheet.set_column(col, col, column.width, cell_format)
        sheet.write_string(0, col, column.header, styles.header)
        sheet.write_comment(0, col, column.help, {"x_scale": 2, "y_scale": 1.5})
        if column.kind is Kind.CHOICE:
            sheet.data_validation(
                1,
                col,
                last_row,
                col,
                {
                    "validate": "list",
                    "source": [label for label in column.labels if label],
                    "error_type": "warning",
                    "error_message": column.help,
                },
            )
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)

    guide = workbook.add_worksheet(GUIDE_NAME)
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 70, styles.wrap)
    guide.set_column(3, 3, 30)
    guide.write_string(0, 0, "Hướng dẫn nhập danh sách đảng viên", styles.title)
    notes = [
        "Ghi mỗi đảng viên một dòng ở trang “Danh sách”, từ dòng 2; không đổi tên các cột.",
        "Cả tệp được kiểm tra trước khi ghi: chỉ cần một dòng có lỗi thì chưa ghi dòng nào, "
        "và báo cáo lỗi cho biết dòng, cột và cách sửa.",
        "Các cột số (CCCD, số thẻ, điện thoại) phải ở dạng Văn bản (Text) để giữ số 0 ở đầu.",
    ]
    for offset, note in enumerate(notes, start=1):
        guide.write_string(offset, 0, note)
    top = len(notes) + 2
    for col, text in enumerate(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"]):
        guide.write_string(top, col, text, styles.header)
    for offset, column in enumerate(COLUMNS, start=top + 1):
        guide.write_string(offset, 0, column.header)
        guide.write_string(offset, 1, "Có" if column.required else "")
        guide.write_string(offset, 2, column.help, styles.wrap)
        if column.example:
            guide.write_string(offset, 3, neutralize(column.example), styles.text)
    # The same example as one row of the list, each cell commented with how to write it.
    below = top + len(COLUMNS) + 2
    guide.write_string(below, 0, "Dòng ví dụ (chỉ để tham khảo; dữ liệu ghi ở trang “Danh sách”):")
    for col, column in enumerate(COLUMNS):
        guide.write_string(below + 1, col, column.header, styles.header)
        guide.write_string(below + 2, col, neutralize(column.example), styles.text)
        guide.write_comment(below + 2, col, column.help, {"x_scale": 2, "y_scale": 1.5})
    workbook.close()
    return output.getvalue()
