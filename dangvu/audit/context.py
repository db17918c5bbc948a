"""The request or job an audit event belongs to: its id and who started it.

The middleware opens a context per request; management commands open one per run with
``audit.context.job("name")``, so every event one request or one command wrote shares an id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuditContext:
    """``source`` says where the change came from: ``http:POST`` or ``job:import_members``."""

    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = ""


_current: ContextVar[AuditContext | None] = ContextVar("dangvu_audit_context", default=None)


def current() -> AuditContext | None:
    return _current.get()


@contextmanager
def opened(source: str, request_id: uuid.UUID | None = None) -> Iterator[AuditContext]:
    context = AuditContext(request_id=request_id or uuid.uuid4(), source=source)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def job(name: str) -> AbstractContextManager[AuditContext]:
    """The context of a management command or background job called ``name``."""
    return opened(f"job:{name}")
