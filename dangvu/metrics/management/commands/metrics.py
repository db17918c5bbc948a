"""``dangvu metrics KEY --org CODE --year YEAR [--date YYYY-MM-DD] [--json]``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.core.text import format_number, format_percent
from dangvu.metrics import registry
from dangvu.metrics.registry import Period, Unit
from dangvu.orgs.models import Organization


class Command(BaseCommand):
    help = "In một chỉ số của một tổ chức trong một năm (hoặc tại một ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key", nargs="?", help="mã chỉ số, ví dụ members.count")
        parser.add_argument("--org", help="mã tổ chức, ví dụ DUK")
        parser.add_argument("--year", type=int, help="năm; số liệu thời điểm lấy ngày 31/12")
        parser.add_argument("--date", type=date.fromisoformat, help="ngày (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", help="in JSON")
        parser.add_argument("--list", action="store_true", help="liệt kê các chỉ số")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or not options["key"]:
            for key in registry.all_keys():
                self.stdout.write(f"{key}\t{registry.get(key).label}")
            return
        try:
            metric = registry.get(options["key"])
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from exc
        org = Organization.objects.unscoped().filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"Không có tổ chức mã {options['org']!r}.")
        if options["date"]:
            period = Period.day(options["date"])
        elif options["year"]:
            period = Period.year(options["year"])
        else:
            raise CommandError("Cần --year hoặc --date.")
        value = metric.compute(org, period)
        if options["json"]:
            payload = {"key": metric.key, "org": org.code, "period": str(period), **value.as_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if metric.unit is Unit.SHARE:
            shown = "—" if value.value is None else format_percent(value.value)
            shown += f" ({value.numerator}/{value.denominator})"
        else:
            shown = "—" if value.value is None else format_number(value.value)
        self.stdout.write(f"{metric.label} — {org.name}, {period}: {shown}")
