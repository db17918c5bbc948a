"""Head-counts as of a date: ``members.count``, ``members.full.count``,
``members.probationary.count``, for any organization and day, from the stints."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from dangvu.members.models import Stint
from dangvu.metrics import registry
from dangvu.metrics.registry import Metric, Period, Unit, Value
from dangvu.orgs.models import Organization


def stints_on(root: Organization, day: date) -> QuerySet[Stint]:
    """The stints in ``root``'s subtree that cover ``day`` (one per member counted there)."""
    return Stint.objects.unscoped().filter(
        Q(end__isnull=True) | Q(end__gt=day),
        organization__path__startswith=root.path,
        start__lte=day,
    )


class HeadCount(Metric):
    unit = Unit.COUNT

    def __init__(self, key: str, label: str, status: str | None) -> None:
        self.key, self.label, self.status = key, label, status
        self.description = f"{label} có tên trong danh sách chi bộ tại ngày cuối kỳ."

    def _condition(self, day: date) -> Q:
        if self.status == "full":
            return Q(recognized_on__lte=day)
        if self.status == "probationary":
            return Q(recognized_on__isnull=True) | Q(recognized_on__gt=day)
        return Q()

    def rollup(self, root: Organization, period: Period) -> dict[int, Value]:
        day = period.as_of
        rows = (
            stints_on(root, day)
            .filter(self._condition(day))
            .order_by()
            .values_list("organization_id")
            .annotate(n=Count("id"))
        )
        totals = registry.roll_up_counts(root, rows)
        return {pk: Value.count(n) for pk, n in totals.items()}

    def drilldown(self, organization: Organization, period: Period) -> QuerySet[Stint]:
        day = period.as_of
        return (
            stints_on(organization, day)
            .filter(self._condition(day))
            .select_related("member", "organization")
            .order_by("member__name_sort", "member_id")
        )


registry.register(HeadCount("members.count", "Số đảng viên", None))
registry.register(HeadCount("members.full.count", "Số đảng viên chính thức", "full"))
registry.register(HeadCount("members.probationary.count", "Số đảng viên dự bị", "probationary"))
