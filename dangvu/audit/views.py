"""The audit log pages: a filtered list and one event's changes. Read-only by design."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangvu.audit import selectors
from dangvu.audit.forms import EventFilterForm
from dangvu.audit.models import AuditEvent
from dangvu.core.views import ScopedDetailView, ScopedListView


class EventListView(ScopedListView):
    action = "audit.view"
    model = AuditEvent
    template_name = "audit/list.html"
    context_object_name = "events"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        self.filter_form = EventFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        clean = {k: v for k, v in filters.items() if v}
        return selectors.event_list(actor=self.request.user, **clean)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class EventDetailView(ScopedDetailView):
    action = "audit.view"
    model = AuditEvent
    template_name = "audit/detail.html"
    context_object_name = "event"
