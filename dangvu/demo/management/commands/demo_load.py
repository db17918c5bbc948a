"""``dangvu demo_load``: load the demo bloc (idempotent) and set the demo personas."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangvu.core.exceptions import DomainError
from dangvu.core.text import format_number
from dangvu.demo.services import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Đảng bộ Khối các cơ quan tỉnh (DUK) và các tài khoản demo."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        state = "Đã tạo" if result.created else "Đã có sẵn"
        self.stdout.write(
            f"{state} dữ liệu mẫu DUK: {result.organizations} tổ chức đảng, "
            f"{result.agencies} cơ quan, đơn vị, {format_number(result.members)} đảng viên "
            "đang sinh hoạt."
        )
        self.stdout.write(f"Tài khoản demo: {', '.join(result.personas)}")
