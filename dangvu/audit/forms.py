from __future__ import annotations

from django import forms

from dangvu.audit.actions import LABELS
from dangvu.core.forms import DateInput


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Thao tác",
        required=False,
        choices=[("", "Tất cả thao tác"), *sorted(LABELS.items(), key=lambda kv: kv[1])],
    )
    actor_name = forms.CharField(label="Người thực hiện", required=False, max_length=100)
    since = forms.DateField(label="Từ ngày", required=False, widget=DateInput())
    until = forms.DateField(label="Đến ngày", required=False, widget=DateInput())
