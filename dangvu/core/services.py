"""Helpers every service uses: optimistic locking and the in-transaction scope re-check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from django.db import models

from dangvu.access.scope import Actor
from dangvu.audit.services import snapshot, snapshot_values
from dangvu.core.exceptions import OutOfScope, StaleEdit
from dangvu.core.models import ScopedQuerySet

M = TypeVar("M", bound=models.Model)


def lock(instance: M) -> M:
    """The current row of ``instance``, locked until the end of the transaction."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_version(
    locked: models.Model, expected_version: int, submitted: Mapping[str, Any]
) -> None:
    """Refuse the write if the row changed since ``expected_version`` (call after the scope check).

    Edit forms and API updates carry the version they were opened at; a stale one means
    somebody saved in between, and silently overwriting their change would lose it. The
    refusal lists the stored values that differ from what was submitted, so the user can
    redo the edit knowing what the other person saved.
    """
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise StaleEdit(_differences(locked, submitted))


def _differences(current: models.Model, submitted: Mapping[str, Any]) -> dict[str, Any]:
    now = snapshot(current, submitted)
    wanted = snapshot_values(submitted)
    return {
        str(getattr(current._meta.get_field(name), "verbose_name", name)): now[name]
        for name in submitted
        if now[name] != wanted[name]
    }


def ensure_visible(actor: Actor | None, action: str, instance: models.Model) -> None:
    """After a write, inside its transaction: the result must still lie in the actor's scope.

    Guards against a write that moves a record out of the subtree the actor manages
    (the caller's transaction rolls back on the exception).
    """
    rows = cast(ScopedQuerySet, type(instance)._default_manager.filter(pk=instance.pk))
    if not rows.restrict(actor, action).exists():
        raise OutOfScope()
