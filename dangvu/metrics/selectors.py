"""Reading figures for a user: the organization must be in their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.metrics import registry
from dangvu.metrics.registry import Period, Value
from dangvu.orgs.models import Organization


def metric_value(*, actor: Actor, key: str, organization: Organization, period: Period) -> Value:
    """One figure for an organization of the actor's scope (a grant covers whole subtrees, so
    everything the figure counts is in scope too)."""
    scope.require(actor, "orgs.view", organization)
    return registry.get(key).compute(organization, period)


def metric_drilldown(
    *, actor: Actor, key: str, organization: Organization, period: Period
) -> QuerySet[Any]:
    scope.require(actor, "orgs.view", organization)
    return registry.get(key).drilldown(organization, period)
