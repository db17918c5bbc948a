"""Reads about access: a user's own grants."""

from __future__ import annotations

from dangvu.access.models import Grant
from dangvu.access.scope import Actor


def own_grants(*, actor: Actor) -> list[Grant]:
    """The grants the actor holds (their own, so no scoping is needed beyond ``user=actor``)."""
    if actor.pk is None:
        return []
    return list(
        Grant.objects.unscoped().filter(user_id=actor.pk).select_related("role", "organization")
    )
