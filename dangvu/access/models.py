"""Roles (bundles of actions) and grants of a role to a user on an organization's subtree."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dangvu.access.actions import ACTIONS
from dangvu.core.models import ScopedModel, ScopedQuerySet, TimeStampedModel


class Role(TimeStampedModel):
    """A named bundle of actions, e.g. "Văn phòng đảng ủy cơ sở"."""

    code = models.SlugField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=200)
    actions = models.JSONField("các thao tác", default=list)
    builtin = models.BooleanField("có sẵn", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [a for a in self.actions if a not in ACTIONS]
        if unknown:
            raise ValidationError({"actions": f"Thao tác không tồn tại: {', '.join(unknown)}"})


class GrantQuerySet(ScopedQuerySet):
    pass


class Grant(ScopedModel, TimeStampedModel):
    """A role given to a user on an organization; it covers the organization's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="grants"
    )

    objects: ClassVar[Any] = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="grant_unique_user_role_org"
            )
        ]
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.organization}"
