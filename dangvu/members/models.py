"""Members, their effective-dated stints in cells, life-cycle events and transfers.

Membership is a list of stints ``[start, end)`` in cells: a member belongs to a cell from the
stint's start up to (not including) its end. Head-counts and lists *as of a date* read the
stints; statuses read the admission and recognition dates that services set from events.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangvu.core.models import ScopedModel, ScopedQuerySet, TimeStampedModel
from dangvu.members.choices import (
    EventKind,
    Gender,
    MemberStatus,
    StintEnd,
    TheoryLevel,
    TransferKind,
    TransferState,
)


class MemberQuerySet(ScopedQuerySet):
    def current(self) -> MemberQuerySet:
        """Members with an open stint (not exited, not transferred away)."""
        return self.filter(stints__isnull=False, stints__end__isnull=True)


class Member(ScopedModel, TimeStampedModel):
    """A party member (đảng viên): the personal record and the dates that events set.

    ``organization`` is the member's current cell, or the last one for members who left the
    registry; it places the record in the tree for scoping. ``name_folded`` and ``name_key``
    (given name first) are search keys, ``name_sort`` the Vietnamese order; services keep
    them in step with ``full_name``.
    """

    full_name = models.CharField("họ và tên", max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    name_sort = models.CharField(max_length=1000, db_index=True, editable=False)
    birth_date = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=60, blank=True)
    national_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    card_number = models.CharField(
        "số thẻ đảng viên", max_length=20, null=True, blank=True, unique=True
    )
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    education = models.CharField("giáo dục phổ thông", max_length=20, blank=True)
    qualification = models.CharField("chuyên môn, nghiệp vụ", max_length=120, blank=True)
    theory_level = models.CharField(
        "lý luận chính trị", max_length=20, choices=TheoryLevel.choices, blank=True
    )
    position = models.CharField("chức vụ, nghề nghiệp", max_length=200, blank=True)
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name="cơ quan, đơn vị công tác",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        related_name="members",
    )
    admitted_on = models.DateField("ngày vào Đảng", help_text="Ngày ký quyết định kết nạp")
    recognized_on = models.DateField("ngày chính thức", null=True, blank=True)
    readmitted_on = models.DateField("ngày kết nạp lại", null=True, blank=True)
    exited_on = models.DateField("ngày ra khỏi Đảng, từ trần", null=True, blank=True)
    exit_kind = models.CharField("hình thức", max_length=20, choices=EventKind.choices, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)

    objects: ClassVar[Any] = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["organization", "name_sort"], name="member_org_sort_idx"),
        ]
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    def status_on(self, day: date) -> MemberStatus | None:
        """Probationary or full on ``day``, from the stint that covers it (``None`` if none:
        before admission, after an exit, between cells during a transfer)."""
        for stint in self.stints.all():
            status = stint.status_on(day)
            if status is not None:
                return status
        return None


class Stint(ScopedModel, TimeStampedModel):
    """A member's period of official activity in one cell: ``[start, end)``."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="stints")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="stints"
    )
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)
    start_reason = models.CharField("lý do bắt đầu", max_length=20, choices=EventKind.choices)
    recognized_on = models.DateField(
        "ngày chính thức",
        null=True,
        blank=True,
        help_text="Ngày được công nhận chính thức trong lần sinh hoạt đảng này (sau khi kết nạp "
        "hoặc kết nạp lại); đảng viên là chính thức từ ngày này.",
    )
    end_reason = models.CharField(
        "lý do kết thúc", max_length=20, choices=StintEnd.choices, blank=True
    )

    class Meta:
        ordering = ["member", "start", "id"]
        indexes = [
            models.Index(fields=["organization", "start", "end"], name="stint_org_dates_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="stint_ends_after",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(end__isnull=True), name="stint_one_open_per_member"
            ),
        ]
        verbose_name = "quá trình sinh hoạt"
        verbose_name_plural = "quá trình sinh hoạt"

    def __str__(self) -> str:
        return f"{self.member} — {self.organization} từ {self.start:%d/%m/%Y}"

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def status_on(self, day: date) -> MemberStatus | None:
        if not self.covers(day):
            return None
        if self.recognized_on is not None and self.recognized_on <= day:
            return MemberStatus.FULL
        return MemberStatus.PROBATIONARY


class MemberEvent(ScopedModel, TimeStampedModel):
    """A life-cycle event of a member with its decision (number, date, issuer)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("sự kiện", max_length=20, choices=EventKind.choices)
    date = models.DateField("ngày hiệu lực")
    end_date = models.DateField("đến ngày", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    issuer = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    elsewhere = models.BooleanField(
        "tại tổ chức khác",
        default=False,
        help_text="Sự kiện diễn ra ở tổ chức đảng ngoài hệ thống (trước khi chuyển đến).",
    )

    class Meta:
        ordering = ["member", "date", "id"]
        indexes = [models.Index(fields=["kind", "date"], name="event_kind_date_idx")]
        verbose_name = "sự kiện của đảng viên"
        verbose_name_plural = "sự kiện của đảng viên"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.member} ({self.date:%d/%m/%Y})"


class Transfer(ScopedModel, TimeStampedModel):
    """A transfer of party activity, official or temporary, seen from both ends.

    Either end may be outside the installation (``outside``: the other organization's name).
    The official transfer ends the stint in the sending cell on the letter's date and opens
    one in the receiving cell on the day the member presents the letter there.
    """

    scope_path: ClassVar[tuple[str, ...]] = ("from_organization__path", "to_organization__path")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField("loại", max_length=12, choices=TransferKind.choices)
    state = models.CharField(
        "trạng thái", max_length=12, choices=TransferState.choices, default=TransferState.IN_TRANSIT
    )
    from_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="chuyển đi từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="chuyển đến",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outside = models.CharField("tổ chức đảng ngoài hệ thống", max_length=255, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)
    effective_on = models.DateField("ngày quyết định có hiệu lực, chuyển nơi ở")
    letter_number = models.CharField("số giấy giới thiệu", max_length=40, blank=True)
    letter_date = models.DateField("ngày giới thiệu")
    presented_on = models.DateField("ngày nộp giấy giới thiệu", null=True, blank=True)
    planned_end = models.DateField("dự kiến trở lại", null=True, blank=True)
    returned_on = models.DateField("ngày trở lại", null=True, blank=True)
    late_reason = models.TextField("lý do chậm", blank=True)

    class Meta:
        ordering = ["-letter_date", "id"]
        verbose_name = "chuyển sinh hoạt đảng"
        verbose_name_plural = "chuyển sinh hoạt đảng"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member} ({self.letter_date:%d/%m/%Y})"
