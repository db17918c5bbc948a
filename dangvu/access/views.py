"""Login, logout, password change, and the office's pages for accounts and grants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from dangvu.access import selectors, services
from dangvu.access.forms import AccountForm, GrantForm, LoginForm, RevokeForm
from dangvu.access.models import Grant
from dangvu.core.views import ScopedFormView, ScopedListView, ScopedObjectFormView


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


class GrantListView(ScopedListView):
    """Who holds which role where, in the organizations where the user manages access."""

    action = "access.manage"
    model = Grant
    template_name = "access/grants.html"
    context_object_name = "grants"

    def get_queryset(self) -> QuerySet[Grant]:
        return selectors.grant_list(actor=self.request.user, q=self.request.GET.get("q", ""))


class GrantCreateView(ScopedFormView):
    action = "access.manage"
    form_class = GrantForm
    template_name = "access/grant_form.html"
    success_message = "Đã giao quyền."

    def perform(self, form: GrantForm) -> Grant:
        return services.grant_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url_for(self, result: Grant) -> str:
        return reverse("access:grants")


class GrantRevokeView(ScopedObjectFormView):
    action = "access.manage"
    model = Grant
    form_class = RevokeForm
    template_name = "access/grant_revoke.html"
    success_message = "Đã thu hồi quyền."

    def perform(self, form: RevokeForm) -> None:
        services.grant_delete(actor=self.request.user, grant=self.get_object(), **form.cleaned_data)

    def get_success_url_for(self, result: None) -> str:
        return reverse("access:grants")


class AccountCreateView(ScopedFormView):
    """Open an account; its generated first password is shown once, on the next page."""

    action = "access.manage"
    form_class = AccountForm
    template_name = "access/account_form.html"

    def perform(self, form: AccountForm) -> tuple[User, str]:
        return services.account_open(actor=self.request.user, **form.cleaned_data)

    def success_response(self, result: tuple[User, str]) -> HttpResponse:
        user, password = result
        response = render(
            self.request, "access/account_created.html", {"account": user, "password": password}
        )
        response["Cache-Control"] = "no-store"
        return response
