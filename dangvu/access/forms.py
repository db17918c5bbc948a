"""Forms of the access pages: login, and the office's grants and accounts."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator

from dangvu.access import selectors
from dangvu.access.models import Role
from dangvu.core.forms import ScopedForm, ScopedModelChoiceField
from dangvu.orgs.models import Organization


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"


class GrantForm(ScopedForm):
    """Give an existing account one more role on an organization of the office's subtree."""

    user = forms.CharField(label="Tên đăng nhập", max_length=150)
    role = forms.ModelChoiceField(Role.objects.order_by("name"), label="Vai trò")
    organization = ScopedModelChoiceField(
        Organization.objects.unscoped(), action="access.manage", label="Trên tổ chức"
    )

    def clean_user(self) -> User:
        user = selectors.user_by_username(actor=self.actor, username=self.cleaned_data["user"])
        if user is None:
            raise forms.ValidationError("Không có tài khoản nào với tên đăng nhập này.")
        return user


class AccountForm(ScopedForm):
    """Open an account for someone in the office's subtree, with its first role."""

    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Chữ không dấu, số và các ký tự @ . + - _",
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử", required=False)
    role = forms.ModelChoiceField(Role.objects.order_by("name"), label="Vai trò")
    organization = ScopedModelChoiceField(
        Organization.objects.unscoped(), action="access.manage", label="Trên tổ chức"
    )


class RevokeForm(ScopedForm):
    reason = forms.CharField(label="Lý do thu hồi", max_length=300)
