"""The demo bloc: its shape, its idempotence, and what each persona sees of it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dangvu.audit.models import AuditEvent
from dangvu.demo.services import load_demo
from dangvu.orgs.models import Agency, Organization

pytestmark = pytest.mark.django_db


def test_the_bloc_has_the_planned_shape(demo: Any, db: None) -> None:
    kinds = Counter(Organization.objects.unscoped().values_list("kind", flat=True))
    assert kinds == {
        "above_grassroots": 1,
        "grassroots_committee": 45,
        "grassroots_cell": 27,
        "partial_committee": 3,
        "cell": 283,
    }
    assert Agency.objects.unscoped().count() == 68
    root = Organization.objects.get(code="DUK")
    assert root.name == "Đảng bộ Khối các cơ quan tỉnh"
    assert [t.congress_number for t in root.terms.order_by("start_date")] == [5, 6]
    assert demo.created and demo.organizations == 359 and demo.agencies == 68


def test_a_second_load_changes_nothing(demo: Any, db: None) -> None:
    orgs, events = Organization.objects.count(), AuditEvent.objects.count()
    paths = list(Organization.objects.values_list("code", "path"))
    again = load_demo(password="mat-khau-demo-du-dai")
    assert not again.created
    assert Organization.objects.count() == orgs
    assert list(Organization.objects.values_list("code", "path")) == paths
    assert AuditEvent.objects.count() == events


def test_the_demo_is_built_through_audited_services(demo: Any, db: None) -> None:
    created = AuditEvent.objects.filter(action="orgs.organization.create").count()
    assert created == 359
    assert AuditEvent.objects.filter(action="demo.load").get().actor_repr == "Hệ thống (demo_load)"


@pytest.mark.parametrize(
    ("username", "count", "top"),
    [
        ("khoi", 359, "Đảng bộ Khối các cơ quan tỉnh"),
        ("xem", 359, "Đảng bộ Khối các cơ quan tỉnh"),
        ("coso", 8, "Đảng bộ Sở Tài chính"),
        ("chibo", 1, "Chi bộ Văn phòng"),
    ],
)
def test_each_persona_sees_exactly_its_part(
    demo: Any, client: Any, username: str, count: int, top: str
) -> None:
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    listing = client.get(reverse("organization-list")).json()
    assert listing["count"] == count
    home = client.get(reverse("home"))
    assert [o.name for o in home.context["roots"]] == [top]


def test_persona_passwords_work_through_the_login_page(demo: Any, client: Any) -> None:
    response = client.post(
        reverse("login"), {"username": "coso", "password": "mat-khau-demo-du-dai"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_read_only_persona_cannot_edit(demo: Any, client: Any) -> None:
    client.force_login(get_user_model().objects.get(username="xem"))
    root = Organization.objects.get(code="DUK")
    assert client.get(reverse("orgs:edit", args=[root.pk])).status_code == 403
