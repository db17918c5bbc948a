"""``dangvu export members --org CODE --out FILE.xlsx|FILE.csv [--as USERNAME]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.audit.context import job
from dangvu.core.exceptions import DomainError
from dangvu.core.text import format_number
from dangvu.members import exports
from dangvu.members.management.commands.import_members import actor_for, write_private
from dangvu.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Xuất danh sách đảng viên hiện có của một tổ chức và các tổ chức trực thuộc ra tệp "
        ".xlsx hoặc .csv (cùng các cột với tệp nhập)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="mã tổ chức, ví dụ DUK")
        parser.add_argument("--out", required=True, help="tệp kết quả .xlsx hoặc .csv")
        parser.add_argument(
            "--as",
            dest="username",
            help="xuất với phạm vi của tài khoản này (mặc định: hệ thống)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        file_format = out.suffix.lower().lstrip(".")
        if file_format not in exports.FORMATS:
            raise CommandError("--out phải là tệp .xlsx hoặc .csv.")
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục {out.parent}.")
        organization = Organization.objects.unscoped().filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức mã {options['org']!r}.")
        actor = actor_for(options["username"], "members.export", "export_members")
        with job("export_members"):
            try:
                result = exports.export_file(
                    actor=actor, organization=organization, file_format=file_format
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        write_private(out, result.content)
        self.stdout.write(
            f"Đã xuất {format_number(result.members)} đảng viên ({format_number(result.cells)} "
            f"chi bộ) của {organization.name} vào {out}."
        )
