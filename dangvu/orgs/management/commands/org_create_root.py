"""``dangvu org_create_root``: the top organization of a new installation.

Every other organization is created under an existing one on the pages or through the API;
the root is the operator's job, like the first superuser.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.access.scope import SystemActor
from dangvu.audit import context
from dangvu.core.exceptions import DomainError
from dangvu.orgs import services
from dangvu.orgs.models import OrgKind


class Command(BaseCommand):
    help = "Tạo tổ chức gốc của cây (ví dụ đảng bộ tỉnh, đảng bộ khối)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="mã, ví dụ DUK")
        parser.add_argument("--name", required=True, help="tên đầy đủ")
        parser.add_argument(
            "--kind",
            default=OrgKind.ABOVE_GRASSROOTS,
            choices=[k.value for k in OrgKind],
            help="loại tổ chức (mặc định: above_grassroots)",
        )
        parser.add_argument(
            "--valid-from", type=date.fromisoformat, required=True, help="ngày thành lập YYYY-MM-DD"
        )
        parser.add_argument("--decision", default="", help="quyết định thành lập")

    def handle(self, *args: Any, **options: Any) -> None:
        with context.job("org_create_root"):
            try:
                org = services.organization_create(
                    actor=SystemActor("org_create_root"),
                    parent=None,
                    code=options["code"],
                    name=options["name"],
                    kind=options["kind"],
                    valid_from=options["valid_from"],
                    decision=options["decision"],
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tạo {org.name} (mã {org.code}).")
