"""Login, logout and password change pages (Django's views with dangvu's templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from dangvu.access.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5), so a link on another site cannot log the user out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Asks the current password; the user's other sessions end (the session hash changes)."""

    template_name = "access/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)
