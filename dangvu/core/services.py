"""Helpers every service uses: optimistic locking and the in-transaction scope re-check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from dangvu.access.scope import Actor
from dangvu.audit.services import snapshot
from dangvu.core.exceptions import OutOfScope, StaleEdit

M = TypeVar("M", bound=models.Model)


def lock_current(instance: M, expected_version: int, fields: Iterable[str]) -> M:
    """The row of ``instance`` locked for update, refused if it changed since ``expected_version``.

    Edit forms and API updates carry the version they were opened at; a stale one means
    somebody saved in between, and silently overwriting their change would lose it.
    """
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise StaleEdit(_changed(instance, locked, fields))
    return locked


def _changed(opened: models.Model, current: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    names = list(fields)
    before, now = snapshot(opened, names), snapshot(current, names)
    return {
        str(opened._meta.get_field(n).verbose_name): now[n] for n in names if before[n] != now[n]
    }


def ensure_visible(actor: Actor | None, action: str, instance: models.Model) -> None:
    """After a write, inside its transaction: the result must still lie in the actor's scope.

    Guards against a write that moves a record out of the subtree the actor manages
    (the caller's transaction rolls back on the exception).
    """
    manager = type(instance)._default_manager
    if not manager.filter(pk=instance.pk).restrict(actor, action).exists():
        raise OutOfScope()
