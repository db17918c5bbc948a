"""Scoped base views: every page that shows user data inherits one of these.

``ScopedMixin`` requires a login and an ``action``; a user with no grant for the action
anywhere gets 403, and ``get_queryset()`` is the model's queryset restricted to the user's
subtrees, so an object outside them is a 404 exactly like a missing one. Forms built by
``ScopedFormView`` get the actor and restrict their organization choices to it.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from dangvu.access import scope
from dangvu.core import selectors, services
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope
from dangvu.core.forms import CalendarDayForm
from dangvu.core.models import CalendarDay, ScopedQuerySet


class ScopedMixin(LoginRequiredMixin):
    """Login, then the action check, then the restricted queryset: before any handler runs."""

    action: ClassVar[str] = ""
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.action:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its action")
        if request.user.is_authenticated and not scope.has_any(request.user, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        model: type[Model] | None = getattr(self, "model", None)
        if model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its model")
        return cast(ScopedQuerySet, model._default_manager.all()).restrict(
            self.request.user, self.action
        )


class ScopedTemplateView(ScopedMixin, TemplateView):
    """A page whose data the view gathers through selectors called with ``request.user``."""


class ScopedListView(ScopedMixin, ListView):
    paginate_by = 50


class ScopedDetailView(ScopedMixin, DetailView):
    pass


class ScopedFormView(ScopedMixin, FormView):
    """A form whose valid data goes to one service; domain errors come back onto the form."""

    success_message: ClassVar[str] = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except (OutOfScope, NotPermitted) as exc:
            if isinstance(exc, OutOfScope):
                raise Http404(exc.message) from exc
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        return self.success_response(result)

    def success_response(self, result: Any) -> HttpResponse:
        """After the service succeeded: the success message and a redirect (post/redirect/get)."""
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url_for(result))

    def perform(self, form: Any) -> Any:
        """Call the service with ``actor=self.request.user`` and the form's cleaned data."""
        raise ImproperlyConfigured(f"{type(self).__name__} must implement perform()")

    def get_success_url_for(self, result: Any) -> str:
        return str(result.get_absolute_url())


def _add_errors(form: Any, error: DomainError) -> None:
    placed = False
    for field, message in error.field_errors.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed or any(f not in form.fields for f in error.field_errors):
        form.add_error(None, error.message)


class ScopedObjectFormView(ScopedFormView):
    """A form about one object, looked up in the restricted queryset (404 when out of scope)."""

    object: Any = None

    def get_object(self) -> Any:
        if self.object is None:
            try:
                self.object = self.get_queryset().get(pk=self.kwargs["pk"])
            except self.get_queryset().model.DoesNotExist as exc:
                raise Http404("Không tìm thấy đối tượng.") from exc
        return self.object

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("object", self.get_object())
        return super().get_context_data(**kwargs)


class ScopedChildFormView(ScopedObjectFormView):
    """A form that creates something under the object in the URL (its parent, not its instance).

    The parent is looked up with the view's action (e.g. ``orgs.add``), so creating under an
    organization outside the actor's scope is a 404 before the form is even shown.
    """

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = None
        return kwargs


class CalendarView(LoginRequiredMixin, FormView):
    """The working-day calendar of a year; the administrator declares days off and worked
    weekend days here. Installation-wide and free of personal data (see ``SCOPE_EXEMPT``)."""

    template_name = "core/calendar.html"
    form_class = CalendarDayForm

    def year(self) -> int:
        try:
            return min(max(int(self.request.GET.get("nam", "")), 1990), 2100)
        except ValueError:
            return timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year = self.year()
        return super().get_context_data(year=year, entries=selectors.calendar_year(year), **kwargs)

    def form_valid(self, form: CalendarDayForm) -> HttpResponse:
        try:
            row = services.calendar_day_set(actor=self.request.user, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Đã khai báo.")
        return HttpResponseRedirect(f"{reverse('calendar')}?nam={row.date.year}")


class CalendarDayDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_object_or_404(CalendarDay, pk=pk)
        try:
            services.calendar_day_delete(actor=request.user, row=row)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, "Đã bỏ khai báo.")
        return HttpResponseRedirect(f"{reverse('calendar')}?nam={row.date.year}")
