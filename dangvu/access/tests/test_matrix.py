"""The permission matrix: persona × page or endpoint × in scope / sibling subtree.

Each row is written out by hand (not derived from the code under test), so a change in who
may see what shows up here as a failing row.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from dangvu.audit.models import AuditEvent
from dangvu.core.testing import World
from dangvu.orgs.models import Organization

PERSONAS = ["anonymous", "outsider", "viewer", "hq_admin", "north_manager", "n1_clerk", "s1_clerk"]


def _get(client: Any, world: World, persona: str, url: str) -> int:
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


# page (route, object attribute on the world) → expected status per persona, in PERSONAS order
PAGES = [
    ("home", None, [302, 403, 200, 200, 200, 200, 200]),
    ("orgs:tree", None, [302, 403, 200, 200, 200, 200, 200]),
    ("orgs:detail", "n1", [302, 403, 200, 200, 200, 200, 404]),
    ("orgs:detail", "s1", [302, 403, 200, 200, 404, 404, 200]),
    ("orgs:detail", "hq", [302, 403, 200, 200, 404, 404, 404]),
    ("orgs:edit", "n1", [302, 403, 403, 200, 200, 403, 403]),
    ("orgs:edit", "south", [302, 403, 403, 200, 404, 403, 403]),
    ("orgs:create", "north", [302, 403, 403, 200, 200, 403, 403]),
    ("orgs:move", "n1", [302, 403, 403, 200, 403, 403, 403]),
    ("orgs:agency_create", "north", [302, 403, 403, 200, 200, 403, 403]),
    ("orgs:term_create", "south", [302, 403, 403, 200, 404, 403, 403]),
    ("audit:list", None, [302, 403, 200, 200, 200, 200, 200]),
    ("access:grants", None, [302, 403, 403, 200, 200, 403, 403]),
    ("access:account_create", None, [302, 403, 403, 200, 200, 403, 403]),
    ("members:list", None, [302, 403, 200, 200, 200, 200, 200]),
    ("members:create", None, [302, 403, 403, 200, 200, 403, 403]),
    ("members:transfers", None, [302, 403, 200, 200, 200, 200, 200]),
    ("members:as_of", None, [302, 403, 200, 200, 200, 200, 200]),
    ("members:quality", None, [302, 403, 200, 200, 200, 200, 200]),
    ("members:quality_list", None, [302, 403, 200, 200, 200, 200, 200]),
    ("members:org_summary", "n1", [302, 403, 200, 200, 200, 200, 404]),
    ("members:org_summary", "s1", [302, 403, 200, 200, 404, 404, 200]),
    ("reviews:progress", None, [302, 403, 200, 200, 200, 200, 200]),
    ("reviews:drilldown", None, [302, 403, 200, 200, 200, 200, 200]),
    ("reviews:grid", "n1", [302, 403, 403, 200, 200, 200, 404]),
    ("reviews:grid", "s1", [302, 403, 403, 200, 404, 404, 200]),
    ("reviews:grid", "n2", [302, 403, 403, 200, 200, 404, 404]),
]


@pytest.mark.parametrize(("route", "target", "expected"), PAGES)
def test_page_matrix(
    world: World, client: Any, route: str, target: str | None, expected: list[int]
) -> None:
    url = reverse(route, args=[getattr(world, target).pk]) if target else reverse(route)
    got = []
    for persona in PERSONAS:
        client.logout()
        got.append(_get(client, world, persona, url))
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


API = [
    ("organization-detail", "n1", [401, 403, 200, 200, 200, 200, 404]),
    ("organization-detail", "s1", [401, 403, 200, 200, 404, 404, 200]),
    ("organization-list", None, [401, 403, 200, 200, 200, 200, 200]),
    ("audit-event-list", None, [401, 403, 200, 200, 200, 200, 200]),
    ("member-list", None, [401, 403, 200, 200, 200, 200, 200]),
    ("transfer-list", None, [401, 403, 200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize(("route", "target", "expected"), API)
def test_api_matrix(
    world: World, client: Any, route: str, target: str | None, expected: list[int]
) -> None:
    url = reverse(route, args=[getattr(world, target).pk]) if target else reverse(route)
    got = []
    for persona in PERSONAS:
        client.logout()
        got.append(_get(client, world, persona, url))
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("superuser", ["HQ", "NORTH", "N1", "N2", "SOUTH", "S1"]),
        ("hq_admin", ["HQ", "NORTH", "N1", "N2", "SOUTH", "S1"]),
        ("viewer", ["HQ", "NORTH", "N1", "N2", "SOUTH", "S1"]),
        ("north_manager", ["NORTH", "N1", "N2"]),
        ("n1_clerk", ["N1"]),
        ("s1_clerk", ["S1"]),
    ],
)
def test_api_list_holds_exactly_the_subtree(
    world: World, client: Any, persona: str, codes: list[str]
) -> None:
    client.force_login(world.persona(persona))
    rows = client.get(reverse("organization-list")).json()["results"]
    assert sorted(r["code"] for r in rows) == sorted(codes)


def test_missing_and_out_of_scope_look_the_same(world: World, client: Any) -> None:
    """SCOPE-02: a sibling's organization answers exactly like an id that does not exist."""
    client.force_login(world.n1_clerk)
    missing = Organization.objects.order_by("-pk").first().pk + 1000
    sibling = client.get(reverse("organization-detail", args=[world.s1.pk]))
    absent = client.get(reverse("organization-detail", args=[missing]))
    assert (sibling.status_code, sibling.content) == (absent.status_code, absent.content)
    assert sibling.json() == {"detail": "Không tìm thấy."}
    page_sibling = client.get(reverse("orgs:detail", args=[world.s1.pk]))
    page_absent = client.get(reverse("orgs:detail", args=[missing]))
    assert page_sibling.status_code == page_absent.status_code == 404
    assert _without_csrf(page_sibling.content) == _without_csrf(page_absent.content)


def _without_csrf(html: bytes) -> bytes:
    """The page minus its CSRF token, which is masked differently on every render."""
    html = re.sub(rb'"X-CSRFToken": "[^"]+"', b"", html)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_refused_writes_write_nothing(world: World, client: Any) -> None:
    """Writes into a sibling subtree are refused, and neither the data nor the log changes."""
    client.force_login(world.north_manager)
    events = AuditEvent.objects.count()
    before = Organization.objects.get(pk=world.s1.pk)
    # update of a sibling's organization
    response = client.put(
        reverse("organization-detail", args=[world.s1.pk]),
        {
            "code": "S1X",
            "name": "Đổi tên",
            "kind": "cell",
            "valid_from": "2015-01-01",
            "version": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    # create under a sibling's organization
    response = client.post(
        reverse("organization-list"),
        {
            "parent": world.south.pk,
            "code": "S9",
            "name": "Mới",
            "kind": "cell",
            "valid_from": "2020-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Organization.objects.filter(code="S9").exists()
    # the web form, too
    response = client.post(
        reverse("orgs:edit", args=[world.s1.pk]),
        {
            "code": "S1X",
            "name": "Đổi tên",
            "kind": "cell",
            "valid_from": "2015-01-01",
            "version": 1,
        },
    )
    assert response.status_code == 404
    after = Organization.objects.get(pk=world.s1.pk)
    assert (after.code, after.name, after.version) == (before.code, before.name, before.version)
    assert AuditEvent.objects.count() == events


def test_grant_change_takes_effect_on_the_next_request(world: World, client: Any) -> None:
    """ASVS-16: nothing about scope is kept in the session."""
    client.force_login(world.n1_clerk)
    assert client.get(reverse("orgs:detail", args=[world.n1.pk])).status_code == 200
    world.n1_clerk.grants.all().delete()
    assert client.get(reverse("orgs:detail", args=[world.n1.pk])).status_code == 403
