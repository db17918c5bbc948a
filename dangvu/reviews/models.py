"""Yearly quality ratings of members, organizations and agencies, with the snapshot of where
the subject stood that year.

A rating stores the organization its subject belonged to in that year (the member's cell, the
rated organization itself, the agency's leading organization), that organization's path then,
and the grassroots organization it belonged to (the group of the HTXSNV quota under HD 21).
A report of a past year therefore reads the tree as it was, whatever was reorganized later.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.core.models import ScopedModel, ScopedQuerySet, TimeStampedModel
from dangvu.reviews.rules import Level, NotRatedReason, SubjectKind


class RatingState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    PROPOSED = "proposed", "Đã đề xuất"
    DECIDED = "decided", "Đã quyết định"
    LOCKED = "locked", "Đã khóa"


FINAL_STATES = (RatingState.DECIDED, RatingState.LOCKED)


class RatingQuerySet(ScopedQuerySet):
    def final(self) -> RatingQuerySet:
        """Ratings decided by the competent level: the only ones figures count."""
        return self.filter(state__in=FINAL_STATES)

    def of_year(self, year: int) -> RatingQuerySet:
        return self.filter(year=year)


class Rating(ScopedModel, TimeStampedModel):
    """The quality level of one subject (member, organization or agency) for one year."""

    year = models.PositiveSmallIntegerField("năm", db_index=True)
    subject_kind = models.CharField(
        "đối tượng", max_length=16, choices=[(k.value, k.label) for k in SubjectKind]
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    rated_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="tổ chức được xếp loại",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    agency = models.ForeignKey(
        "orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="thuộc tổ chức (năm xếp loại)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField("đường dẫn cây (năm xếp loại)", max_length=255, db_index=True)
    grassroots = models.ForeignKey(
        "orgs.Organization",
        verbose_name="tổ chức cơ sở đảng (năm xếp loại)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField("mức xếp loại", max_length=16, choices=Level.choices(), blank=True)
    not_rated_reason = models.CharField(
        "lý do không xếp loại", max_length=24, choices=NotRatedReason.choices(), blank=True
    )
    score = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    facts = models.JSONField("căn cứ", default=dict, blank=True)
    state = models.CharField(
        "trạng thái", max_length=12, choices=RatingState.choices, default=RatingState.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)

    objects: ClassVar[Any] = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["year", "path", "id"]
        indexes = [
            models.Index(fields=["year", "subject_kind", "state"], name="rating_year_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "member"],
                condition=Q(member__isnull=False),
                name="rating_member_year",
            ),
            models.UniqueConstraint(
                fields=["year", "rated_organization"],
                condition=Q(rated_organization__isnull=False),
                name="rating_org_year",
            ),
            models.UniqueConstraint(
                fields=["year", "agency"],
                condition=Q(agency__isnull=False),
                name="rating_agency_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        subject_kind="member",
                        member__isnull=False,
                        rated_organization__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        subject_kind="organization",
                        member__isnull=True,
                        rated_organization__isnull=False,
                        agency__isnull=True,
                    )
                    | Q(
                        subject_kind="agency",
                        member__isnull=True,
                        rated_organization__isnull=True,
                        agency__isnull=False,
                    )
                ),
                name="rating_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(level="") | Q(not_rated_reason=""), name="rating_level_or_reason"
            ),
        ]
        verbose_name = "xếp loại chất lượng"
        verbose_name_plural = "xếp loại chất lượng"

    def __str__(self) -> str:
        return f"{self.subject} — {self.year}: {self.level_display}"

    @property
    def subject(self) -> Any:
        return self.member or self.rated_organization or self.agency

    @property
    def level_display(self) -> str:
        if self.level:
            return Level(self.level).code
        if self.not_rated_reason:
            return f"không xếp loại ({NotRatedReason(self.not_rated_reason).label})"
        return "chưa xếp loại"


class TitleKind(models.TextChoices):
    """Titles awarded to a party organization for a year (rules.md §2.5)."""

    TSVM_EXEMPLARY = "tsvm_exemplary", "Trong sạch, vững mạnh tiêu biểu"


class Title(ScopedModel, TimeStampedModel):
    """A title the level above awarded to an organization for one year ("TSVM tiêu biểu").

    Granted only to an organization whose final rating of the year allows it (HTXSNV from 2018,
    "trong sạch, vững mạnh" under HD 27); consecutive years make the streaks of
    ``dangvu.reviews.titles``.
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="tổ chức được công nhận",
        on_delete=models.PROTECT,
        related_name="titles",
    )
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    title = models.CharField(
        "danh hiệu", max_length=32, choices=TitleKind.choices, default=TitleKind.TSVM_EXEMPLARY
    )
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decided_on = models.DateField("ngày quyết định")
    decided_by = models.CharField("cơ quan quyết định", max_length=255, blank=True)

    scope_path: ClassVar[str] = "organization__path"
    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "organization__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "title"], name="title_org_year_title"
            ),
        ]
        verbose_name = "danh hiệu của tổ chức đảng"
        verbose_name_plural = "danh hiệu của tổ chức đảng"

    def __str__(self) -> str:
        return f"{self.organization} — {TitleKind(self.title).label} năm {self.year}"
