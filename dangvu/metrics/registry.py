"""The single registry of figures: one number, one definition.

A metric has a key (``members.full.count``), a Vietnamese label, a unit, and three ways in:
``rollup(root, period)`` computes it for every organization of a subtree at once from grouped
queries (never a query per organization); ``compute(org, period)`` is that rollup's value for
one node; ``drilldown(org, period)`` lists the records behind the number. Everything that shows
a figure (pages, reports, targets, the ``dangvu metrics`` command) asks the registry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from dangvu.orgs.models import Organization


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Period:
    """A calendar year, or a single day for figures "as of" a date (head-counts)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day)

    @property
    def as_of(self) -> date:
        """The day stock figures (head-counts) are taken: the period's last day."""
        return self.end

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.end:%d/%m/%Y}"
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return (
                f"năm {self.start.year}"
                if self.start.year == self.end.year
                else (f"{self.start.year}–{self.end.year}")
            )
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


@dataclass(frozen=True)
class Value:
    """A figure; shares carry their numerator and denominator so reports can show both, and a
    count split into categories (ratings per level) carries the count of each in ``breakdown``."""

    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    breakdown: dict[str, int] | None = None

    @classmethod
    def count(cls, n: int) -> Value:
        return cls(n)

    @classmethod
    def share(cls, numerator: int, denominator: int) -> Value:
        if denominator == 0:
            return cls(None, numerator, 0)
        exact = Fraction(numerator, denominator)
        return cls(Decimal(exact.numerator) / Decimal(exact.denominator), numerator, denominator)

    def as_dict(self) -> dict[str, Any]:
        value: int | float | None = (
            float(round(self.value, 6)) if isinstance(self.value, Decimal) else self.value
        )
        result: dict[str, Any] = {
            "value": value,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if self.breakdown is not None:
            result["breakdown"] = dict(self.breakdown)
        return result


class Metric(ABC):
    key: str
    label: str
    unit: Unit
    description: str = ""

    @abstractmethod
    def rollup(self, root: Organization, period: Period) -> dict[int, Value]:
        """The figure for ``root`` and every organization below it, by organization id."""

    @abstractmethod
    def drilldown(self, organization: Organization, period: Period) -> QuerySet[Any]:
        """The records behind the figure of ``organization`` (its whole subtree)."""

    def compute(self, organization: Organization, period: Period) -> Value:
        return self.rollup(organization, period)[organization.pk]


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _REGISTRY:
        raise ValueError(f"Metric {metric.key!r} is registered twice")
    _REGISTRY[metric.key] = metric
    return metric


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise KeyError(f"Không có chỉ số {key!r}.") from exc


def all_keys() -> list[str]:
    return sorted(_REGISTRY)


# --- helpers for rollups -------------------------------------------------------------------


def subtree_paths(root: Organization) -> dict[str, int]:
    """Path → id of every organization in ``root``'s subtree (one query)."""
    rows = Organization.objects.unscoped().filter(path__startswith=root.path)
    return dict(rows.values_list("path", "id"))


def roll_up_counts(
    root: Organization, counts_by_org: Mapping[int, int] | Iterable[tuple[int, int]]
) -> dict[int, int]:
    """Sum per-organization counts into every ancestor within ``root``'s subtree.

    The counts come from one grouped query (typically per cell); adding each to the node's
    ancestors by path prefix is linear in (organizations × depth), with no further query.
    """
    paths = subtree_paths(root)
    id_to_path = {pk: path for path, pk in paths.items()}
    totals: dict[int, int] = defaultdict(int)
    items = counts_by_org.items() if isinstance(counts_by_org, Mapping) else counts_by_org
    steplen = Organization.steplen
    for org_id, count in items:
        path = id_to_path.get(org_id)
        if path is None:
            continue
        for end in range(len(root.path), len(path) + 1, steplen):
            totals[paths[path[:end]]] += count
    return {pk: totals.get(pk, 0) for pk in paths.values()}
