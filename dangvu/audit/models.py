"""The append-only audit log: one row per change (or per batch) written by a service."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from dangvu.core.models import ScopedModel, ScopedQuerySet


class AppendOnly(Exception):
    """The audit log is never updated or deleted by the application."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được sửa.")

    def delete(self) -> NoReturn:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được xóa.")


class AuditEvent(ScopedModel):
    """Who did what to which record, when, within which request, with which changes.

    ``organization`` places the event in the tree so that the log itself is scoped like
    everything else; events without one (installation-wide) are seen by superusers only.
    ``changes`` maps a field to ``[old, new]``; it never holds secrets. The log outlives what
    it describes: its links to the actor and the organization carry no database constraint, and
    ``actor_repr``/``target_repr`` keep the names as they were.
    """

    occurred_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField("người thực hiện (lúc ghi)", max_length=200)
    action = models.CharField("thao tác", max_length=100, db_index=True)
    target_type = models.CharField("loại đối tượng", max_length=100)
    target_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    target_repr = models.CharField("đối tượng", max_length=300, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="tổ chức",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    request_id = models.UUIDField("mã yêu cầu", db_index=True)
    source = models.CharField("nguồn", max_length=100, blank=True)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    data = models.JSONField("dữ liệu kèm theo", default=dict, blank=True)
    reason = models.TextField("lý do", blank=True)

    objects: ClassVar[Any] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký"

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.actor_repr}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Nhật ký chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được xóa.")
