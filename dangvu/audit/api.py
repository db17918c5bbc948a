"""Read-only API of the audit log, scoped like the pages."""

from __future__ import annotations

import django_filters
from rest_framework import mixins, serializers

from dangvu.audit.actions import label
from dangvu.audit.models import AuditEvent
from dangvu.core.api import ScopedViewSet


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "actor_repr",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "target_repr",
            "organization",
            "request_id",
            "source",
            "changes",
            "data",
            "reason",
        ]
        read_only_fields = fields

    def get_action_label(self, event: AuditEvent) -> str:
        return label(event.action)


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte")
    # A plain number, not a choice of organizations: validating it would reveal which ids exist.
    organization = django_filters.NumberFilter(field_name="organization_id")

    class Meta:
        model = AuditEvent
        fields = ["action", "target_type", "target_id", "request_id"]


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The audit log (newest first). Append-only: no write methods exist."""

    queryset = AuditEvent.objects.select_related("organization")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    scope_app = "audit"
