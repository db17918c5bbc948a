"""Scope resolution: which organization subtrees an actor may act on, and checks for services.

A grant of a role on an organization covers that organization and all its descendants. The
granted paths are computed once per user object (one request) and never stored in the
session, so a changed grant takes effect on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from dangvu.core.exceptions import NotPermitted, OutOfScope

if TYPE_CHECKING:
    from dangvu.orgs.models import Organization

_CACHE_ATTR = "_dangvu_granted_paths"


class Actor(Protocol):
    """Who acts: a user of ``django.contrib.auth`` (or anonymous) or a ``SystemActor``."""

    @property
    def pk(self) -> Any: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_superuser(self) -> bool: ...


@dataclass(frozen=True)
class SystemActor:
    """A command or job acting for the whole installation, named in the audit log.

    Only code run by an operator (management commands, migrations) creates one; requests
    never do. It is unrestricted, like a superuser, and is recorded by its name.
    """

    name: str
    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = True

    def __str__(self) -> str:
        return f"Hệ thống ({self.name})"


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another granted path (the outer grant covers them)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def _load(actor: Actor) -> dict[str, tuple[str, ...]]:
    from dangvu.access.models import Grant

    by_action: dict[str, set[str]] = {}
    rows = Grant.objects.filter(user_id=actor.pk).values_list("role__actions", "organization__path")
    for actions, path in rows:
        for action in actions:
            by_action.setdefault(action, set()).add(path)
    return {action: _minimal(paths) for action, paths in by_action.items()}


def granted_paths(actor: Actor | None, action: str) -> tuple[str, ...] | None:
    """The subtree roots where ``actor`` may do ``action``; ``None`` means everywhere.

    Fails closed: no actor, an anonymous or inactive user gets no path at all.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return ()
    if actor.is_superuser:
        return None
    cache: dict[str, tuple[str, ...]] | None = getattr(actor, _CACHE_ATTR, None)
    if cache is None:
        cache = _load(actor)
        setattr(actor, _CACHE_ATTR, cache)
    return cache.get(action, ())


def forget(actor: Actor) -> None:
    """Drop the cached paths of ``actor`` (after its grants changed in the same request)."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def has_any(actor: Actor | None, action: str) -> bool:
    """Whether the actor may do ``action`` anywhere (list pages answer 403 otherwise)."""
    paths = granted_paths(actor, action)
    return paths is None or bool(paths)


def covers(actor: Actor | None, action: str, path: str) -> bool:
    paths = granted_paths(actor, action)
    return paths is None or any(path.startswith(p) for p in paths)


def require(actor: Actor | None, action: str, organization: Organization) -> None:
    """Refuse ``action`` on ``organization`` unless a grant covers it.

    An organization the actor cannot even see (no ``orgs.view`` there) is reported as missing
    (``OutOfScope``, 404); one it sees but may not act on gives ``NotPermitted`` (403).
    """
    if covers(actor, action, organization.path):
        return
    if covers(actor, "orgs.view", organization.path):
        raise NotPermitted()
    raise OutOfScope()
