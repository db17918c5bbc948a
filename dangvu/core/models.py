"""Base models and querysets shared by every app, and the calendar of extra days off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from dangvu.access.scope import Actor


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be limited to the organization subtrees an actor was granted.

    The one choke point of data scoping: ``Model.objects.restrict(actor, action)``. A model
    declares how it reaches its organization with ``scope_path`` (the lookup of the
    organization's materialized ``path``), or a tuple of lookups when a record belongs to two
    organizations at once (a transfer between cells is seen from both ends). Code outside
    requests that really needs every row says so with ``.unscoped()``.
    """

    def restrict(self, actor: Actor | None, action: str) -> Self:
        from dangvu.access import scope

        paths = scope.granted_paths(actor, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        scope_path = self.model.scope_path  # type: ignore[attr-defined]
        lookups = (scope_path,) if isinstance(scope_path, str) else scope_path
        condition = Q()
        for lookup in lookups:
            for path in paths:
                condition |= Q(**{f"{lookup}__startswith": path})
        return self.filter(condition)

    def unscoped(self) -> Self:
        """Every row, deliberately: for commands, migrations and rollups over the whole tree."""
        return self.all()


class ScopedModel(models.Model):
    """Abstract base of every record that belongs to an organization.

    ``scope_path`` is the lookup from the model to the organization's ``path``;
    the default suits models with an ``organization`` foreign key.
    """

    scope_path: ClassVar[str | tuple[str, ...]] = "organization__path"

    objects: Any = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(TimeStampedModel):
    """A day whose working status an administrator declares for a year.

    The ``holidays`` package knows Vietnam's public holidays (lunar Tết included); every year
    the government also moves days (extra Tết days off, a Saturday worked in exchange).
    Those go here and override the package.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc bù"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    reason = models.CharField("lý do", max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày nghỉ, làm bù"
        verbose_name_plural = "ngày nghỉ, làm bù"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.reason}"
