"""Scoped reads of the organization tree."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.core.text import fold
from dangvu.orgs.models import (
    Agency,
    CommitteeSeat,
    Organization,
    OrganizationQuerySet,
    OrgKind,
    Term,
)

SEAT_ORDER = ["secretary", "deputy_secretary", "standing_member", "member"]


def organization_list(
    *, actor: Actor, action: str = "orgs.view", q: str = "", kind: str = ""
) -> OrganizationQuerySet:
    """Organizations the actor may see, in tree order, filtered by a diacritic-free search."""
    qs = Organization.objects.restrict(actor, action)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code__iexact=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def scope_roots(*, actor: Actor, action: str = "orgs.view") -> OrganizationQuerySet:
    """The top organizations of the actor's scope for ``action``: where a browser starts."""
    paths = scope.granted_paths(actor, action)
    if paths is None:
        return Organization.objects.get_root_nodes()
    return Organization.objects.unscoped().filter(path__in=paths)


def breadcrumbs(*, actor: Actor, organization: Organization) -> list[Organization]:
    """The ancestors of ``organization`` that the actor may see, from the top down."""
    steplen = Organization.steplen
    prefixes = [organization.path[:i] for i in range(steplen, len(organization.path), steplen)]
    return list(Organization.objects.restrict(actor, "orgs.view").filter(path__in=prefixes))


def children(*, actor: Actor, organization: Organization) -> OrganizationQuerySet:
    return (
        Organization.objects.restrict(actor, "orgs.view")
        .filter(path__startswith=organization.path, depth=organization.depth + 1)
        .order_by("path")
    )


def agency_list(*, actor: Actor, organization: Organization | None = None) -> list[Agency]:
    qs = Agency.objects.restrict(actor, "orgs.view").select_related("organization")
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return list(qs)


def current_term(*, actor: Actor, organization: Organization) -> Term | None:
    return (
        Term.objects.restrict(actor, "orgs.view")
        .filter(organization=organization)
        .order_by("-start_date")
        .first()
    )


def term_seats(*, actor: Actor, term: Term) -> list[CommitteeSeat]:
    """The seats of a term, secretary first, then deputies, standing members and members."""
    seats = CommitteeSeat.objects.restrict(actor, "orgs.view").filter(term=term)
    return sorted(seats, key=lambda s: (SEAT_ORDER.index(s.role), s.end_date is not None, s.pk))


def kind_counts(*, actor: Actor) -> list[tuple[str, int]]:
    """How many organizations of each kind the actor's scope holds today (one grouped query)."""
    rows = (
        Organization.objects.restrict(actor, "orgs.view")
        .valid_on(timezone.localdate())
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    return [(label, counts.get(kind, 0)) for kind, label in OrgKind.choices]
