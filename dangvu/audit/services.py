"""``record()``: the one way anything writes to the audit log, and diff helpers for services."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from dangvu.audit import context
from dangvu.audit.actions import LABELS
from dangvu.audit.models import AuditEvent

if TYPE_CHECKING:
    from dangvu.access.scope import Actor
    from dangvu.orgs.models import Organization


class AuditOutsideTransaction(RuntimeError):
    """``record`` was called outside the transaction of the change it describes."""


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-ready values of ``fields`` on ``instance``, taken before a change."""
    return {name: _json_value(getattr(instance, name)) for name in fields}


def snapshot_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-ready form of plain ``values``, comparable with a ``snapshot``."""
    return {name: _json_value(value) for name, value in values.items()}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    organization: Organization | None = None,
    changes: Mapping[str, list[Any]] | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event inside the caller's transaction.

    Called by services after their write; if the transaction rolls back, so does the event.
    """
    if action not in LABELS:
        raise ValueError(f"Unregistered audit action {action!r}: add it to audit/actions.py")
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"{action} must be recorded inside the change's transaction")
    ctx = context.current()
    user: Any = actor if actor is not None and actor.pk is not None else None
    return AuditEvent.objects.create(
        actor=user,
        actor_repr=str(actor) if actor is not None else "Hệ thống",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        organization=organization,
        request_id=ctx.request_id if ctx else uuid.uuid4(),
        source=ctx.source if ctx else "",
        changes={k: [_json_value(v) for v in pair] for k, pair in (changes or {}).items()},
        data={k: _json_value(v) for k, v in (data or {}).items()},
        reason=reason,
    )
