"""``dangvu import members FILE [--dry-run] [--as USERNAME] [--report ERRORS.xlsx]``.

The whole file is checked before anything is written; a refused file prints every error
(row, column, value, reason) and the command exits with an error status.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any, cast

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from dangvu.access import scope
from dangvu.access.scope import Actor, SystemActor
from dangvu.audit.context import job
from dangvu.core.text import format_number
from dangvu.members import imports

PRINTED_ERRORS = 500


class _Stream(io.TextIOBase):
    """Lets rich write through the command's output (and so into ``call_command(stdout=)``)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def console_for(wrapper: OutputWrapper) -> Console:
    stream = _Stream(wrapper)
    width = None if stream.isatty() else 160
    return Console(file=cast(IO[str], stream), width=width, highlight=False)


def actor_for(username: str | None, action: str, name: str) -> Actor:
    """The named active user (who must hold ``action`` somewhere), or the system itself."""
    if not username:
        return SystemActor(name)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản đang hoạt động tên {username!r}.")
    if not scope.has_any(user, action):
        raise CommandError(f"Tài khoản {username} không có quyền “{action}” ở tổ chức nào.")
    return user


def write_private(path: Path, content: bytes) -> None:
    """Write a file that holds personal data, readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


class Command(BaseCommand):
    help = (
        "Nhập danh sách đảng viên từ tệp .xlsx hoặc .csv: kiểm tra cả tệp, chỉ ghi khi không "
        "có lỗi nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv theo các cột của tệp mẫu")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument(
            "--as",
            dest="username",
            help="nhập với phạm vi và quyền của tài khoản này (mặc định: hệ thống)",
        )
        parser.add_argument("--report", help="ghi báo cáo lỗi đầy đủ ra tệp .xlsx này")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if path.stat().st_size > imports.MAX_UPLOAD_BYTES:
            raise CommandError(
                f"Tệp quá lớn; mỗi lần nhập tối đa {imports.MAX_UPLOAD_BYTES // (1024 * 1024)} "
                "MB, hãy chia thành nhiều tệp."
            )
        actor = actor_for(options["username"], "members.import", "import_members")
        console = console_for(self.stdout)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with job("import_members"), Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Đọc tệp", total=1)

            def progress(label: str, done: int, total: int) -> None:
                bar.update(task, description=label, completed=done, total=total)

            result = imports.import_members(
                actor=actor,
                filename=path.name,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
                progress=progress,
            )
        analysis = result.analysis
        if result.refused:
            self._issues(console, "Lỗi", analysis.errors)
            if options["report"]:
                write_private(Path(options["report"]), imports.error_report_xlsx(analysis.errors))
                self.stdout.write(f"Đã ghi báo cáo lỗi vào {options['report']}.")
            rows = analysis.rows_with_errors
            where = f" ở {format_number(rows)} dòng" if rows else ""
            raise CommandError(
                f"Tệp {path.name} có {format_number(len(analysis.errors))} lỗi{where}; "
                "chưa ghi dữ liệu nào."
            )
        if analysis.warnings:
            self._issues(console, "Lưu ý", analysis.warnings)
        cells = len(analysis.per_cell())
        if result.dry_run:
            self.stdout.write(
                f"Kiểm tra xong: {format_number(len(analysis.rows))} đảng viên, "
                f"{format_number(cells)} chi bộ, không có lỗi. Chưa ghi (--dry-run)."
            )
        else:
            self.stdout.write(
                f"Đã nhập {format_number(result.created)} đảng viên vào "
                f"{format_number(cells)} chi bộ từ tệp {path.name}."
            )

    def _issues(self, console: Console, title: str, issues: list[imports.RowError]) -> None:
        table = Table("Dòng", "Cột", "Giá trị", title, title=title, show_lines=False)
        for issue in issues[:PRINTED_ERRORS]:
            table.add_row(*(Text(cell) for cell in issue.as_list()))
        console.print(table)
        if len(issues) > PRINTED_ERRORS:
            console.print(
                Text(
                    f"… và {format_number(len(issues) - PRINTED_ERRORS)} dòng nữa "
                    "(dùng --report để ghi đủ ra tệp .xlsx)."
                )
            )
