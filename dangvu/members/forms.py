"""Input forms of the member pages (parsing only; the services decide)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from dangvu.core.forms import DateInput, ScopedForm, ScopedModelChoiceField
from dangvu.members.choices import ETHNICITIES, EventKind, Gender, TheoryLevel
from dangvu.members.models import Member
from dangvu.members.selectors import MemberFilters
from dangvu.orgs.models import Agency, Organization


def organization_label(org: Organization) -> str:
    return f"{org.code} — {org.name}"


class OrganizationChoiceField(ScopedModelChoiceField):
    """An organization of the actor's scope, shown with its code (names repeat across units)."""

    def label_from_instance(self, obj: Any) -> str:
        return organization_label(obj)


class AnyCellChoiceField(forms.ModelChoiceField):
    """A cell anywhere in the installation: transfers cross subtrees, so this choice is not
    scoped (the receiving cell's office takes the member in with its own scope)."""

    def label_from_instance(self, obj: Any) -> str:
        return organization_label(obj)


STATUS_CHOICES = [
    ("", "Đang sinh hoạt"),
    ("full", "Đảng viên chính thức"),
    ("probationary", "Đảng viên dự bị"),
    ("exited", "Đã ra khỏi danh sách"),
]
# Age bands of the statistics reports: value → (youngest, oldest) in whole years.
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "18-30": (18, 30),
    "31-40": (31, 40),
    "41-50": (41, 50),
    "51-60": (51, 60),
    "61-": (61, None),
}
AGE_BAND_CHOICES = [
    ("", "Mọi độ tuổi"),
    ("18-30", "Từ 18 đến 30"),
    ("31-40", "Từ 31 đến 40"),
    ("41-50", "Từ 41 đến 50"),
    ("51-60", "Từ 51 đến 60"),
    ("61-", "Trên 60"),
]
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]


class MemberFilterForm(ScopedForm):
    """The search box and filters of the member list (every field optional)."""

    q = forms.CharField(
        label="Tìm đảng viên",
        required=False,
        max_length=100,
        help_text="Họ tên (gõ không dấu cũng được), số CCCD hoặc số thẻ đảng viên",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    organization = OrganizationChoiceField(
        Organization.objects.unscoped(),
        action="members.view",
        label="Tổ chức",
        required=False,
        empty_label="Toàn bộ phạm vi",
    )
    status = forms.ChoiceField(label="Tình trạng", required=False, choices=STATUS_CHOICES)
    gender = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Nam và nữ"), *Gender.choices]
    )
    age = forms.ChoiceField(label="Độ tuổi", required=False, choices=AGE_BAND_CHOICES)
    ethnicity = forms.ChoiceField(
        label="Dân tộc", required=False, choices=[("", "Mọi dân tộc"), *ETHNICITY_CHOICES]
    )
    admitted_from = forms.DateField(label="Vào Đảng từ ngày", required=False, widget=DateInput())
    admitted_to = forms.DateField(label="Vào Đảng đến ngày", required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("admitted_from"), data.get("admitted_to")
        if start and end and start > end:
            self.add_error("admitted_to", "Ngày cuối phải sau ngày đầu.")
        return data

    def filters(self) -> MemberFilters | None:
        """The selector's filters: the defaults (current members, whole scope) when nothing
        was asked, ``None`` when what was asked is invalid (the errors show on the form)."""
        if not self.is_bound:
            return MemberFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        age_min, age_max = AGE_BANDS.get(data["age"], (None, None))
        return MemberFilters(
            q=data["q"],
            organization=data["organization"],
            status=data["status"],
            gender=data["gender"],
            age_min=age_min,
            age_max=age_max,
            ethnicity=data["ethnicity"],
            admitted_from=data["admitted_from"],
            admitted_to=data["admitted_to"],
        )


class PersonalForm(ScopedForm):
    """The personal record (``services.PERSONAL_FIELDS``)."""

    full_name = forms.CharField(label="Họ và tên", max_length=150)
    birth_date = forms.DateField(label="Ngày sinh", widget=DateInput())
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="Dân tộc", choices=ETHNICITY_CHOICES, initial="Kinh")
    religion = forms.CharField(label="Tôn giáo", max_length=60, required=False)
    national_id = forms.CharField(
        label="Số CCCD",
        max_length=12,
        required=False,
        help_text="12 chữ số",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card_number = forms.CharField(label="Số thẻ đảng viên", max_length=20, required=False)
    hometown = forms.CharField(label="Quê quán", max_length=255, required=False)
    residence = forms.CharField(label="Nơi ở hiện nay", max_length=255, required=False)
    education = forms.CharField(
        label="Giáo dục phổ thông", max_length=20, required=False, help_text="Ví dụ: 12/12"
    )
    qualification = forms.CharField(label="Chuyên môn, nghiệp vụ", max_length=120, required=False)
    theory_level = forms.ChoiceField(
        label="Lý luận chính trị", choices=TheoryLevel.choices, required=False
    )
    position = forms.CharField(label="Chức vụ, nghề nghiệp", max_length=200, required=False)
    agency = ScopedModelChoiceField(
        Agency.objects.select_related("organization"),
        action="orgs.view",
        label="Cơ quan, đơn vị công tác",
        required=False,
        empty_label="(không ghi)",
    )
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A record imported with a name outside the official list keeps it when edited.
        current = self.initial.get("ethnicity")
        if current and current not in ETHNICITIES:
            self.fields["ethnicity"].choices = [*ETHNICITY_CHOICES, (current, current)]  # type: ignore[attr-defined]


class MemberEditForm(PersonalForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class MemberCreateForm(PersonalForm):
    organization = OrganizationChoiceField(
        Organization.objects.unscoped().cells(),
        action="members.add",
        label="Chi bộ sinh hoạt",
    )
    join_reason = forms.ChoiceField(
        label="Hình thức",
        choices=[
            (EventKind.ADMITTED.value, "Kết nạp mới"),
            (EventKind.TRANSFERRED_IN.value, "Chuyển sinh hoạt đến (đã là đảng viên)"),
        ],
    )
    admitted_on = forms.DateField(
        label="Ngày vào Đảng", widget=DateInput(), help_text="Ngày ký quyết định kết nạp"
    )
    decision_number = forms.CharField(label="Số quyết định kết nạp", max_length=60, required=False)
    recognized_on = forms.DateField(
        label="Ngày chính thức",
        required=False,
        widget=DateInput(),
        help_text="Để trống nếu còn là đảng viên dự bị",
    )
    joined_on = forms.DateField(
        label="Ngày sinh hoạt tại chi bộ",
        widget=DateInput(),
        help_text="Ngày lễ kết nạp, hoặc ngày nộp giấy giới thiệu chuyển sinh hoạt",
    )
    field_order = ["organization", "join_reason", "full_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = field.queryset.valid_on(timezone.localdate())  # type: ignore[attr-defined]


EVENT_KINDS = [
    EventKind.RECOGNIZED,
    EventKind.EXEMPTED,
    EventKind.SUSPENDED,
    EventKind.STRUCK_OFF,
    EventKind.EXPELLED,
    EventKind.LEFT,
    EventKind.DIED,
    EventKind.READMITTED,
]


class EventForm(ScopedForm):
    kind = forms.ChoiceField(label="Sự kiện", choices=[(k.value, k.label) for k in EVENT_KINDS])
    date = forms.DateField(label="Ngày hiệu lực", widget=DateInput())
    end_date = forms.DateField(
        label="Đến ngày",
        required=False,
        widget=DateInput(),
        help_text="Với miễn công tác, đình chỉ sinh hoạt có thời hạn",
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DateInput())
    issuer = forms.CharField(label="Cơ quan quyết định", max_length=200, required=False)
    organization = OrganizationChoiceField(
        Organization.objects.unscoped().cells(),
        action="members.add",
        label="Chi bộ sinh hoạt (khi kết nạp lại)",
        required=False,
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def initial_from(self, instance: Member) -> dict[str, Any]:
        return {"organization": instance.organization_id}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "Phải sau ngày hiệu lực.")
        return data


class _TransferTargetForm(ScopedForm):
    to_organization = AnyCellChoiceField(
        Organization.objects.unscoped().cells(),
        label="Đến chi bộ trong hệ thống",
        required=False,
        empty_label="(ngoài hệ thống — ghi tên bên dưới)",
    )
    outside = forms.CharField(
        label="Hoặc tổ chức đảng ngoài hệ thống",
        max_length=255,
        required=False,
        help_text="Tên đầy đủ của tổ chức đảng nơi đến",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organization"]
        field.queryset = field.queryset.valid_on(timezone.localdate())  # type: ignore[attr-defined]

    def initial_from(self, instance: Member) -> dict[str, Any]:
        return {}


class TransferOutForm(_TransferTargetForm):
    effective_on = forms.DateField(
        label="Ngày quyết định có hiệu lực (hoặc chuyển nơi ở)", widget=DateInput()
    )
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40, required=False)
    letter_date = forms.DateField(label="Ngày giới thiệu", widget=DateInput())
    reason = forms.CharField(label="Lý do", max_length=255, required=False)


class TransferTemporaryForm(_TransferTargetForm):
    start = forms.DateField(label="Sinh hoạt tạm thời từ ngày", widget=DateInput())
    planned_end = forms.DateField(label="Dự kiến trở lại ngày", widget=DateInput())
    training = forms.BooleanField(label="Đi học tập, đào tạo (tối đa 2 năm)", required=False)
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40, required=False)
    letter_date = forms.DateField(label="Ngày giới thiệu", widget=DateInput())
    reason = forms.CharField(label="Lý do", max_length=255, required=False)


class TransferReceiveForm(ScopedForm):
    presented_on = forms.DateField(label="Ngày nộp giấy giới thiệu", widget=DateInput())
    late_reason = forms.CharField(
        label="Lý do chậm",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi nộp giấy giới thiệu quá 30 ngày làm việc",
    )

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {}


class TransferReturnForm(ScopedForm):
    returned_on = forms.DateField(label="Ngày trở lại sinh hoạt", widget=DateInput())

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {"returned_on": timezone.localdate()}


class AsOfForm(ScopedForm):
    """``?org=<id>&ngay=YYYY-MM-DD``: which roster, on which day."""

    org = OrganizationChoiceField(
        Organization.objects.unscoped(), action="members.view", label="Tổ chức"
    )
    ngay = forms.DateField(
        label="Tại ngày", required=False, widget=DateInput(), help_text="Để trống: hôm nay"
    )

    def clean_ngay(self) -> date:
        day: date = self.cleaned_data["ngay"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("Không thể xem danh sách của một ngày trong tương lai.")
        return day
