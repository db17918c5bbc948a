"""Form bases: the actor travels with the form and every related-object choice is scoped."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from dangvu.core.models import ScopedQuerySet


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A choice of records restricted to the actor's scope for ``action`` when the form is built.

    A submitted id outside the scope is rejected like an unknown one ("Lựa chọn không hợp lệ").
    """

    def __init__(self, queryset: Any, *, action: str, **kwargs: Any) -> None:
        self.action = action
        super().__init__(queryset, **kwargs)


class ScopedForm(forms.Form):
    """Takes ``actor`` and restricts each ``ScopedModelChoiceField`` to it."""

    def __init__(self, *args: Any, actor: Any, instance: Any = None, **kwargs: Any) -> None:
        self.actor = actor
        self.instance = instance
        if instance is not None:
            # FormView always passes ``initial`` (usually empty): the stored values come first,
            # anything the view put there on purpose wins.
            kwargs["initial"] = {**self.initial_from(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, ScopedModelChoiceField):
                field.queryset = cast(ScopedQuerySet, field.queryset).restrict(actor, field.action)

    def initial_from(self, instance: Any) -> dict[str, Any]:
        """The form's starting values when editing ``instance``: its fields of the same names."""
        return {
            name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CalendarDayForm(forms.Form):
    day = forms.DateField(label="Ngày", widget=DateInput())
    working = forms.TypedChoiceField(
        label="Loại",
        choices=[("0", "Ngày nghỉ"), ("1", "Ngày làm việc bù (thứ Bảy, Chủ nhật)")],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label="Căn cứ, lý do", max_length=200)
