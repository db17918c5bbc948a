"""The figures of the annual review: ratings per level, the shares the year-end report prints
("… đảng viên xếp loại HTTNV trở lên"), and the subjects not rated, by reason.

Each figure reads the ratings of ``period.end.year`` that the competent level decided (decided
or locked: ``RatingQuerySet.final()``), for the organization each rating recorded for that year
(the member's cell then, the rated organization itself, the agency's leading organization): a
member who moved later still counts where he or she was rated. A subtree is the snapshot
organizations below ``root`` in the tree. The rollup is one grouped query over those
organizations with a conditional count per column (level, reason, numerator, denominator), each
column then summed into the ancestors by ``roll_up_counts``; the drill-down lists the same rows.

Shares are over the subjects given a level ("tỷ lệ … trên tổng số được xếp loại"): those not
rated (exempt, suspended, admitted or founded less than six months before) are in neither the
numerator nor the denominator; ``members.not_rated.count`` counts them.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection

from django.db.models import Count, Q

from dangvu.metrics import registry
from dangvu.metrics.registry import Metric, Period, Unit, Value
from dangvu.orgs.models import GRASSROOTS_KINDS, Organization
from dangvu.reviews.models import Rating, RatingQuerySet
from dangvu.reviews.rules import Level, NotRatedReason, SubjectKind

RATED = ~Q(level="")
NOT_RATED = ~Q(not_rated_reason="")


class RatingMetric(Metric):
    """A figure over the final ratings of one kind of subject, computed from named columns.

    ``columns`` maps a column name to the condition a rating meets to count in it (``None``:
    every rating of the metric); ``value`` turns one organization's column totals into the
    figure.
    """

    subject_kind: SubjectKind
    condition: Q

    @abstractmethod
    def columns(self) -> dict[str, Q | None]:
        """Column name → the condition a rating meets to count in it."""

    @abstractmethod
    def value(self, totals: dict[str, int]) -> Value:
        """The figure from one organization's column totals."""

    def ratings(self, root: Organization, period: Period) -> RatingQuerySet:
        """The ratings behind the figure of ``root`` (its whole subtree)."""
        queryset: RatingQuerySet = Rating.objects.unscoped()
        return (
            queryset.final()
            .of_year(period.end.year)
            .filter(
                self.condition,
                subject_kind=self.subject_kind.value,
                organization__path__startswith=root.path,
            )
        )

    def rollup(self, root: Organization, period: Period) -> dict[int, Value]:
        columns = self.columns()
        rows = list(
            self.ratings(root, period)
            .order_by()
            .values("organization_id")
            .annotate(**{name: Count("pk", filter=q) for name, q in columns.items()})
        )
        rolled = {
            name: registry.roll_up_counts(
                root, ((row["organization_id"], row[name]) for row in rows)
            )
            for name in columns
        }
        org_ids = next(iter(rolled.values())).keys()
        return {pk: self.value({name: rolled[name][pk] for name in columns}) for pk in org_ids}

    def drilldown(self, organization: Organization, period: Period) -> RatingQuerySet:
        return self.ratings(organization, period).select_related(
            "organization", "member", "rated_organization", "agency"
        )


class LevelCount(RatingMetric):
    """The subjects given a level, with the count of each level (by code: HTXSNV, …)."""

    unit = Unit.COUNT

    def __init__(self, key: str, label: str, subject_kind: SubjectKind) -> None:
        self.key, self.label, self.subject_kind = key, label, subject_kind
        self.condition = RATED
        self.description = f"{label} (đã quyết định), theo từng mức: HTXSNV, HTTNV, HTNV, KHTNV."

    def columns(self) -> dict[str, Q | None]:
        return {level.code: Q(level=level.value) for level in Level}

    def value(self, totals: dict[str, int]) -> Value:
        return Value(sum(totals.values()), breakdown=totals)


class NotRatedCount(RatingMetric):
    """The subjects not rated for the year, with the count of each reason (by its code)."""

    unit = Unit.COUNT

    def __init__(self, key: str, label: str, subject_kind: SubjectKind) -> None:
        self.key, self.label, self.subject_kind = key, label, subject_kind
        self.condition = NOT_RATED
        self.description = f"{label}, theo lý do: miễn, đình chỉ, mới kết nạp, mới thành lập."

    def columns(self) -> dict[str, Q | None]:
        return {reason.value: Q(not_rated_reason=reason.value) for reason in NotRatedReason}

    def value(self, totals: dict[str, int]) -> Value:
        return Value(sum(totals.values()), breakdown=totals)


class LevelShare(RatingMetric):
    """The share of the rated subjects whose level is one of ``levels``."""

    unit = Unit.SHARE

    def __init__(
        self,
        key: str,
        label: str,
        subject_kind: SubjectKind,
        levels: Collection[Level],
        subjects: Q | None = None,
        description: str = "",
    ) -> None:
        self.key, self.label, self.subject_kind = key, label, subject_kind
        self.levels = frozenset(levels)
        self.condition = RATED & subjects if subjects is not None else RATED
        self.description = description

    def columns(self) -> dict[str, Q | None]:
        # Sorted by rank so that the generated SQL is stable.
        levels = sorted(self.levels, reverse=True)
        return {"numerator": Q(level__in=[level.value for level in levels]), "denominator": None}

    def value(self, totals: dict[str, int]) -> Value:
        return Value.share(totals["numerator"], totals["denominator"])


GOOD_OR_ABOVE = Level.good_or_above()

MEMBER_RATINGS = registry.register(
    LevelCount("members.rating.count", "Số đảng viên được xếp loại chất lượng", SubjectKind.MEMBER)
)
MEMBERS_GOOD_OR_ABOVE = registry.register(
    LevelShare(
        "members.rated_good_or_above.share",
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
        SubjectKind.MEMBER,
        GOOD_OR_ABOVE,
        description="Số đảng viên xếp loại HTXSNV hoặc HTTNV trên số đảng viên được xếp loại.",
    )
)
MEMBERS_EXCELLENT = registry.register(
    LevelShare(
        "members.excellent.share",
        "Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ",
        SubjectKind.MEMBER,
        {Level.EXCELLENT},
        description="Số đảng viên xếp loại HTXSNV trên số đảng viên được xếp loại.",
    )
)
MEMBERS_NOT_RATED = registry.register(
    NotRatedCount(
        "members.not_rated.count", "Số đảng viên không xếp loại chất lượng", SubjectKind.MEMBER
    )
)
GRASSROOTS_GOOD_OR_ABOVE = registry.register(
    LevelShare(
        "grassroots.rated_good_or_above.share",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        SubjectKind.ORGANIZATION,
        GOOD_OR_ABOVE,
        # An organization's rating records the rated organization itself as its organization,
        # so the subtree filter and the roll-up place it at its own node.
        subjects=Q(rated_organization__kind__in=GRASSROOTS_KINDS),
        description=(
            "Số đảng bộ cơ sở, chi bộ cơ sở xếp loại HTXSNV hoặc HTTNV trên số tổ chức cơ sở "
            "đảng được xếp loại (không tính chi bộ trực thuộc)."
        ),
    )
)
AGENCIES_GOOD_OR_ABOVE = registry.register(
    LevelShare(
        "agencies.rated_good_or_above.share",
        "Tỷ lệ cơ quan, đơn vị hoàn thành tốt nhiệm vụ trở lên",
        SubjectKind.AGENCY,
        GOOD_OR_ABOVE,
        description=(
            "Số cơ quan, đơn vị xếp loại HTXSNV hoặc HTTNV trên số cơ quan, đơn vị được xếp "
            "loại, tính tại tổ chức cơ sở đảng lãnh đạo."
        ),
    )
)
