"""The organization tree, the agencies its grassroots organizations lead, terms and seats."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangvu.core.models import ScopedModel, ScopedQuerySet, TimeStampedModel


class OrgKind(models.TextChoices):
    """Kinds of party organization (Điều lệ Đảng 2011, Điều 21–24)."""

    ABOVE_GRASSROOTS = "above_grassroots", "Đảng bộ cấp trên cơ sở"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "grassroots_cell", "Chi bộ cơ sở"
    PARTIAL_COMMITTEE = "partial_committee", "Đảng bộ bộ phận"
    CELL = "cell", "Chi bộ trực thuộc"


GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)
CELL_KINDS = (OrgKind.GRASSROOTS_CELL, OrgKind.CELL)


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def grassroots(self) -> OrganizationQuerySet:
        return self.filter(kind__in=GRASSROOTS_KINDS)

    def cells(self) -> OrganizationQuerySet:
        """Organizations where members are registered: grassroots cells and cells."""
        return self.filter(kind__in=CELL_KINDS)

    def valid_on(self, day: Any) -> OrganizationQuerySet:
        return self.filter(valid_from__lte=day).exclude(valid_to__lt=day)


class OrganizationManager(MP_NodeManager):
    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, actor: Any, action: str) -> OrganizationQuerySet:
        return self.get_queryset().restrict(actor, action)

    def unscoped(self) -> OrganizationQuerySet:
        return self.get_queryset()


class Organization(MP_Node, TimeStampedModel):
    """A party organization (tổ chức đảng) in the tree, from a committee down to a cell.

    The tree is a materialized path (``path``), so a subtree is one indexed prefix filter.
    ``valid_from``/``valid_to`` keep organizations that were dissolved or merged, so that
    past figures stay computable. ``version`` grows with every edit and guards against lost
    updates.
    """

    scope_path: ClassVar[str] = "path"

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    name_folded = models.CharField("tên không dấu", max_length=255, db_index=True, editable=False)
    kind = models.CharField("loại", max_length=32, choices=OrgKind.choices)
    valid_from = models.DateField("thành lập từ ngày")
    valid_to = models.DateField("giải thể, sáp nhập ngày", null=True, blank=True)
    decision = models.CharField("quyết định thành lập", max_length=100, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)

    objects = OrganizationManager()

    class Meta:
        ordering = ["path"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS


class Agency(ScopedModel, TimeStampedModel):
    """An agency or unit (cơ quan, đơn vị) led by a grassroots organization."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức cơ sở đảng lãnh đạo",
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)

    class Meta:
        ordering = ["organization__path", "code"]
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.organization_id])


class Term(ScopedModel, TimeStampedModel):
    """A term (nhiệm kỳ) of an organization's committee, opened by its N-th congress."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="terms"
    )
    congress_number = models.PositiveSmallIntegerField("đại hội lần thứ")
    congress_date = models.DateField("ngày đại hội")
    start_date = models.DateField("nhiệm kỳ từ")
    end_date = models.DateField("nhiệm kỳ đến")

    class Meta:
        ordering = ["organization__path", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "congress_number"], name="term_unique_congress"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="term_ends_after"
            ),
        ]
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.start_date.year}–{self.end_date.year}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.organization_id])


class SeatRole(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY_SECRETARY = "deputy_secretary", "Phó Bí thư"
    STANDING_MEMBER = "standing_member", "Ủy viên Ban Thường vụ"
    MEMBER = "member", "Cấp ủy viên"


class CommitteeSeat(ScopedModel, TimeStampedModel):
    """A seat on the committee (cấp ủy) of a term, held by a person for a period."""

    scope_path: ClassVar[str] = "term__organization__path"

    term = models.ForeignKey(
        Term, verbose_name="nhiệm kỳ", on_delete=models.CASCADE, related_name="seats"
    )
    role = models.CharField("chức vụ", max_length=32, choices=SeatRole.choices)
    full_name = models.CharField("họ và tên", max_length=150)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["term", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=models.Q(role="secretary", end_date__isnull=True),
                name="seat_one_sitting_secretary",
            )
        ]
        verbose_name = "cấp ủy viên"
        verbose_name_plural = "cấp ủy viên"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.full_name}"

    def get_absolute_url(self) -> str:
        return self.term.get_absolute_url()
