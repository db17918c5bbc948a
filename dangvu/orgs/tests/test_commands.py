from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.audit.models import AuditEvent
from dangvu.orgs.models import Organization


@pytest.mark.django_db
def test_org_create_root_creates_an_audited_root() -> None:
    out = StringIO()
    call_command(
        "org_create_root",
        "--code",
        "TU",
        "--name",
        "Đảng bộ tỉnh",
        "--valid-from",
        "1945-01-01",
        stdout=out,
    )
    root = Organization.objects.get(code="TU")
    assert root.depth == 1 and root.kind == "above_grassroots"
    event = AuditEvent.objects.get(action="orgs.organization.create")
    assert (event.actor_repr, event.source) == ("Hệ thống (org_create_root)", "job:org_create_root")
    with pytest.raises(CommandError, match="Mã TU đã được dùng"):
        call_command("org_create_root", "--code", "TU", "--name", "x", "--valid-from", "1945-01-01")


@pytest.mark.django_db
def test_a_cell_cannot_be_a_root() -> None:
    with pytest.raises(CommandError, match="phải trực thuộc"):
        call_command(
            "org_create_root",
            "--code",
            "C1",
            "--name",
            "Chi bộ",
            "--kind",
            "cell",
            "--valid-from",
            "2000-01-01",
        )
