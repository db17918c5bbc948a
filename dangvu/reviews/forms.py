"""Forms of the review pages: which organization and year to show, and one row of the grid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from dangvu.core.forms import ScopedForm
from dangvu.members import selectors as member_selectors
from dangvu.members.forms import OrganizationChoiceField
from dangvu.members.models import Member
from dangvu.orgs import selectors as org_selectors
from dangvu.orgs.models import Organization
from dangvu.reviews import metrics
from dangvu.reviews.models import Rating
from dangvu.reviews.rules import Level, MemberFacts

# The figures of the review the drill-down page lists (the metrics of this app).
DRILLDOWN_KEYS = {
    metric.key: metric.label
    for metric in (
        metrics.MEMBERS_GOOD_OR_ABOVE,
        metrics.MEMBERS_EXCELLENT,
        metrics.GRASSROOTS_GOOD_OR_ABOVE,
        metrics.AGENCIES_GOOD_OR_ABOVE,
        metrics.MEMBER_RATINGS,
        metrics.MEMBERS_NOT_RATED,
    )
}
FIRST_YEAR = 2018  # the first year with a rule set (QĐ 132-QĐ/TW): the grid starts there
OLDEST_YEAR = 2000  # figures of earlier years are read from ratings imported as they were


def last_year() -> int:
    return timezone.localdate().year - 1


def review_day(year: int) -> date:
    """The review date: the roll of 15 December is the one rated."""
    return date(year, 12, 15)


class ProgressForm(ScopedForm):
    """``?org=<id>&nam=YYYY``: empty values mean the user's first scope root and last year."""

    org = OrganizationChoiceField(
        Organization.objects.unscoped(), action="reviews.view", label="Tổ chức", required=False
    )
    nam = forms.IntegerField(
        label="Năm",
        min_value=OLDEST_YEAR,
        max_value=2100,
        required=False,
        help_text="Để trống: năm trước",
    )

    def clean_org(self) -> Organization:
        org = self.cleaned_data["org"] or (
            org_selectors.scope_roots(actor=self.actor, action="reviews.view")
            .order_by("path")
            .first()
        )
        if org is None:
            raise forms.ValidationError("Bạn không có tổ chức nào để xem.")
        return org

    def clean_nam(self) -> int:
        return self.cleaned_data["nam"] or last_year()


class DrilldownForm(ProgressForm):
    chi_so = forms.ChoiceField(label="Chỉ số", choices=list(DRILLDOWN_KEYS.items()), required=False)

    def clean_chi_so(self) -> str:
        return self.cleaned_data["chi_so"] or metrics.MEMBERS_GOOD_OR_ABOVE.key


class YearForm(ScopedForm):
    """The year of the grid and of its buttons."""

    nam = forms.IntegerField(label="Năm", min_value=FIRST_YEAR, max_value=2100, required=False)

    def clean_nam(self) -> int:
        return self.cleaned_data["nam"] or last_year()


class RatingRowForm(YearForm):
    """One member of the cell's roll: level, sick-leave months, discipline in the year.

    ``cell`` is the grid's organization; the member must be on its roll on the review date.
    """

    member = forms.ModelChoiceField(Member.objects.unscoped(), widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label="Mức xếp loại",
        choices=[("", "—"), *((level.value, level.code) for level in Level)],
        required=False,
    )
    sick_leave_months = forms.DecimalField(
        label="Số tháng nghỉ ốm",
        min_value=Decimal(0),
        max_value=Decimal(12),
        max_digits=3,
        decimal_places=1,
        required=False,
    )
    disciplined_in_year = forms.BooleanField(label="Kỷ luật trong năm", required=False)

    def __init__(self, *args: Any, cell: Organization, **kwargs: Any) -> None:
        self.cell = cell
        kwargs.setdefault("auto_id", False)  # many rows on one page: no duplicate ids
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(member: Member, year: int, rating: Rating | None) -> dict[str, Any]:
        facts = rating.facts if rating is not None else {}
        return {
            "nam": year,
            "member": member.pk,
            "level": rating.level if rating is not None else "",
            "sick_leave_months": Decimal(str(facts.get("sick_leave_months", 0))),
            "disciplined_in_year": bool(facts.get("disciplined_in_year", False)),
        }

    def clean_member(self) -> Member:
        member: Member = self.cleaned_data["member"]
        year = self.cleaned_data.get("nam") or last_year()
        roll = member_selectors.members_as_of(
            actor=self.actor, organization=self.cell, day=review_day(year)
        )
        if not roll.filter(member=member).exists():
            raise forms.ValidationError(
                "Đảng viên này không có tên trong chi bộ vào ngày kiểm điểm."
            )
        return member

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["nam"],
            "subject": data["member"],
            "level": Level(data["level"]) if data["level"] else None,
            "facts": MemberFacts(
                sick_leave_months=data["sick_leave_months"] or 0,
                disciplined_in_year=data["disciplined_in_year"],
            ),
        }
