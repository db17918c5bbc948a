"""Input forms of the organization pages (parsing only; the services decide)."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import DateInput, ScopedForm, ScopedModelChoiceField
from dangvu.orgs.models import Organization, OrgKind, SeatRole


class OrganizationForm(ScopedForm):
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrgKind.choices)
    valid_from = forms.DateField(label="Thành lập từ ngày", widget=DateInput())
    valid_to = forms.DateField(label="Giải thể, sáp nhập ngày", required=False, widget=DateInput())
    decision = forms.CharField(label="Quyết định thành lập", max_length=100, required=False)


class OrganizationEditForm(OrganizationForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class OrganizationMoveForm(ScopedForm):
    new_parent = ScopedModelChoiceField(
        Organization.objects.unscoped().exclude(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]),
        action="orgs.move",
        label="Chuyển về tổ chức cấp trên",
    )
    reason = forms.CharField(
        label="Căn cứ (quyết định số, ngày)",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def initial_from(self, instance: Organization) -> dict[str, object]:
        return {"version": instance.version}


class AgencyForm(ScopedForm):
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên cơ quan, đơn vị", max_length=255)
    valid_from = forms.DateField(label="Từ ngày", widget=DateInput())
    valid_to = forms.DateField(label="Đến ngày", required=False, widget=DateInput())


class AgencyEditForm(AgencyForm):
    organization = ScopedModelChoiceField(
        Organization.objects.unscoped().grassroots(),
        action="orgs.change",
        label="Tổ chức cơ sở đảng lãnh đạo",
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


class TermForm(ScopedForm):
    congress_number = forms.IntegerField(label="Đại hội lần thứ", min_value=1, max_value=99)
    congress_date = forms.DateField(label="Ngày đại hội", widget=DateInput())
    start_date = forms.DateField(label="Nhiệm kỳ từ ngày", widget=DateInput())
    end_date = forms.DateField(label="Nhiệm kỳ đến ngày", widget=DateInput())


class SeatForm(ScopedForm):
    role = forms.ChoiceField(label="Chức vụ", choices=SeatRole.choices)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    start_date = forms.DateField(label="Từ ngày", widget=DateInput())


class SeatEndForm(ScopedForm):
    end_date = forms.DateField(label="Thôi giữ chức vụ từ ngày", widget=DateInput())
    reason = forms.CharField(label="Lý do (hết nhiệm kỳ, chuyển công tác, …)", max_length=300)

    def initial_from(self, instance: object) -> dict[str, object]:
        return {}


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label="Tìm tổ chức", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Loại", required=False, choices=[("", "Tất cả các loại"), *OrgKind.choices]
    )
