"""Scoped base API views and the exception handler that speaks the domain errors.

``ScopedViewSet`` restricts its queryset in ``get_queryset()`` from the HTTP method's action
before any handler runs; subclasses declare ``queryset`` and ``scope_app`` and may not
override ``get_queryset``. Out-of-scope objects answer 404 exactly like missing ones.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from dangvu.access import scope
from dangvu.core.exceptions import DomainError, StaleEdit
from dangvu.core.models import ScopedQuerySet

NOT_FOUND = "Không tìm thấy."
UNREADABLE = "Không đọc được dữ liệu gửi lên (sai định dạng JSON hoặc biểu mẫu)."
CSRF_FAILED = "Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại."

_VERB_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class HasScopedAction(permissions.BasePermission):
    """Authenticated, and granted the view's action somewhere (403 otherwise)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return scope.has_any(request.user, view.scope_action())


class ScopedAPIMixin:
    """Names the action a request needs: ``<scope_app>.<verb>`` from the HTTP method, or the
    one ``scope_actions`` gives for a named viewset action (e.g. ``{"move": "orgs.move"}``)."""

    scope_app: ClassVar[str] = ""
    scope_actions: ClassVar[dict[str, str]] = {}

    def scope_action(self) -> str:
        if not self.scope_app:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its scope_app")
        named = self.scope_actions.get(getattr(self, "action", None) or "")
        if named:
            return named
        method = getattr(self, "request").method or "GET"  # noqa: B009 (set by the view)
        return f"{self.scope_app}.{_VERB_BY_METHOD.get(method, 'view')}"


class ScopedViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    permission_classes = [HasScopedAction]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset(); filter in filter_queryset() instead "
                "so that scoping cannot be bypassed"
            )

    def get_queryset(self) -> QuerySet[Any]:
        base = getattr(type(self), "queryset", None)
        if base is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare a queryset")
        rows = cast(ScopedQuerySet, base.all())
        return rows.restrict(self.request.user, self.scope_action())


class ScopedAPIView(ScopedAPIMixin, APIView):
    """A non-CRUD endpoint; its handler reads through selectors with ``request.user``."""

    permission_classes = [HasScopedAction]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become JSON answers with their Vietnamese message and field errors."""
    if isinstance(exc, Http404) or (
        isinstance(exc, DomainError) and exc.status_code == status.HTTP_404_NOT_FOUND
    ):
        # One body for "missing" and "outside your scope", whatever raised it.
        return Response({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    # Two texts DRF and Django build in English, outside any catalogue.
    if isinstance(exc, exceptions.ParseError):
        return Response({"detail": UNREADABLE}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return Response({"detail": CSRF_FAILED}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field_errors:
            body["errors"] = exc.field_errors
        if isinstance(exc, StaleEdit):
            body["changed"] = {k: str(v) for k, v in exc.changed.items()}
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
