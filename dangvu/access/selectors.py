"""Reads about access: a user's own grants, and the grants an office manages."""

from __future__ import annotations

from django.contrib.auth.models import User

from dangvu.access.models import Grant, GrantQuerySet
from dangvu.access.scope import Actor
from dangvu.core.text import fold


def own_grants(*, actor: Actor) -> list[Grant]:
    """The grants the actor holds (their own, so no scoping is needed beyond ``user=actor``)."""
    if actor.pk is None:
        return []
    return list(
        Grant.objects.unscoped().filter(user_id=actor.pk).select_related("role", "organization")
    )


def grant_list(*, actor: Actor, q: str = "") -> GrantQuerySet:
    """Grants on organizations where the actor manages access; ``q`` matches the username or
    the user's name without diacritics."""
    qs = Grant.objects.restrict(actor, "access.manage").select_related(
        "user", "role", "organization"
    )
    if q:
        folded = fold(q)
        matches = [
            u.pk
            for u in User.objects.filter(grants__in=qs).distinct()
            if folded in fold(f"{u.username} {u.last_name} {u.first_name}")
        ]
        qs = qs.filter(user_id__in=matches)
    return qs.order_by("organization__path", "user__username")


def user_by_username(*, actor: Actor, username: str) -> User | None:
    """An existing account by its username, for giving it one more grant.

    Usernames are not secret within one installation (they appear in the audit log), so any
    office that manages access may find one to grant it a role in its own subtree.
    """
    return User.objects.filter(username__iexact=username.strip(), is_active=True).first()
