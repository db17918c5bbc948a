"""Opens an audit context per request, so every event one request writes shares its id."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangvu.audit import context


class AuditContextMiddleware:
    """The id is generated here, never taken from the client, and returned as X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with context.opened(f"http:{request.method}") as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = str(ctx.request_id)
        return response
