"""Scoped reads of the audit log."""

from __future__ import annotations

from datetime import date

from dangvu.access.scope import Actor
from dangvu.audit.models import AuditEvent, AuditEventQuerySet
from dangvu.orgs.models import Organization


def event_list(
    *,
    actor: Actor,
    organization: Organization | None = None,
    action: str = "",
    actor_name: str = "",
    target_type: str = "",
    target_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> AuditEventQuerySet:
    """Events of the actor's subtrees, newest first; filters narrow them further."""
    qs = AuditEvent.objects.restrict(actor, "audit.view").select_related("organization")
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if action:
        qs = qs.filter(action=action)
    if actor_name:
        qs = qs.filter(actor_repr__icontains=actor_name)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if since:
        qs = qs.filter(occurred_at__date__gte=since)
    if until:
        qs = qs.filter(occurred_at__date__lte=until)
    return qs
