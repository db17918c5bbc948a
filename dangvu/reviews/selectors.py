"""Reads of the annual ratings, limited to what the actor may see (``reviews.view``).

Subtrees are read from the ratings' snapshot paths, so a past year shows the tree as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.orgs.models import Organization
from dangvu.reviews.models import Rating, RatingQuerySet, RatingState
from dangvu.reviews.rules import SubjectKind


def rating_list(
    *,
    actor: Actor,
    year: int,
    organization: Organization | None = None,
    subject_kind: SubjectKind | str | None = None,
    state: RatingState | str | None = None,
) -> RatingQuerySet:
    """The ratings of ``year`` the actor may see, within ``organization``'s subtree if given."""
    rows: RatingQuerySet = (
        Rating.objects.restrict(actor, "reviews.view")
        .filter(year=year)
        .select_related("member", "rated_organization", "agency", "organization", "grassroots")
    )
    if organization is not None:
        scope.require(actor, "reviews.view", organization)
        rows = rows.filter(path__startswith=organization.path)
    if subject_kind is not None:
        kind = subject_kind.value if isinstance(subject_kind, SubjectKind) else subject_kind
        rows = rows.filter(subject_kind=kind)
    if state is not None:
        rows = rows.filter(state=state)
    return rows


@dataclass
class Progress:
    """How far the review of one subtree and year has gone."""

    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)  # every state, zeros included
    by_level: dict[str, int] = field(default_factory=dict)  # the levels given, any state
    not_rated: dict[str, int] = field(default_factory=dict)  # per reason
    unset: int = 0  # drafts with neither a level nor a reason yet


def progress(*, actor: Actor, organization: Organization, year: int) -> Progress:
    """Counts per state, per level and per not-rated reason in one grouped query."""
    scope.require(actor, "reviews.view", organization)
    rows = (
        Rating.objects.restrict(actor, "reviews.view")
        .filter(year=year, path__startswith=organization.path)
        .order_by()
        .values("state", "level", "not_rated_reason")
        .annotate(n=Count("id"))
    )
    result = Progress(by_state={state.value: 0 for state in RatingState})
    for row in rows:
        n = row["n"]
        result.total += n
        result.by_state[row["state"]] += n
        if row["level"]:
            result.by_level[row["level"]] = result.by_level.get(row["level"], 0) + n
        elif row["not_rated_reason"]:
            reason = row["not_rated_reason"]
            result.not_rated[reason] = result.not_rated.get(reason, 0) + n
        else:
            result.unset += n
    return result
