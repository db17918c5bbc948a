"""Helpers every service uses (locking, versions, scope re-check) and the calendar services."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar, cast

from django.db import models, transaction

from dangvu.access.scope import Actor
from dangvu.audit.services import diff, record, snapshot, snapshot_values
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope, StaleEdit
from dangvu.core.models import CalendarDay, ScopedQuerySet

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


@transaction.atomic
def calendar_day_set(*, actor: Actor, day: date, working: bool, reason: str) -> CalendarDay:
    """Declare a day off (an extra Tết day) or a worked weekend day for the whole installation.

    Deadlines in working days everywhere follow it from the next computation on; only a
    superuser (the installation's administrator) may change it.
    """
    if not actor.is_superuser:
        raise NotPermitted("Chỉ quản trị hệ thống mới khai báo được ngày nghỉ, ngày làm bù.")
    kind = CalendarDay.Kind.WORKING_DAY if working else CalendarDay.Kind.DAY_OFF
    if working and day.weekday() < 5:
        raise DomainError(
            "Chỉ ngày thứ Bảy, Chủ nhật mới cần khai báo là ngày làm việc bù.",
            field_errors={"day": "Ngày này vốn là ngày làm việc."},
        )
    row = CalendarDay.objects.filter(date=day).first()
    before = snapshot(row, ["kind", "reason"]) if row else {"kind": None, "reason": None}
    row = row or CalendarDay(date=day)
    row.kind, row.reason = kind, reason.strip()
    row.save()
    record(
        actor=actor,
        action="core.calendar_day.set",
        target=row,
        changes=diff(before, snapshot(row, ["kind", "reason"])),
    )
    return row


@transaction.atomic
def calendar_day_delete(*, actor: Actor, row: CalendarDay) -> None:
    """Withdraw a declaration; the day goes back to what the public-holiday calendar says."""
    if not actor.is_superuser:
        raise NotPermitted("Chỉ quản trị hệ thống mới khai báo được ngày nghỉ, ngày làm bù.")
    record(
        actor=actor,
        action="core.calendar_day.delete",
        target=row,
        changes={"kind": [row.kind, None], "reason": [row.reason, None]},
    )
    row.delete()
