"""The organization API: scoped reads, writes through services, versions, schema and docs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.authtoken.models import Token

from dangvu.audit.models import AuditEvent
from dangvu.core.testing import World
from dangvu.orgs.models import Organization


def test_list_names_parents_and_searches_without_diacritics(world: World, client: Any) -> None:
    # given
    client.force_login(world.hq_admin)
    client.post(
        reverse("organization-list"),
        {
            "parent": world.north.pk,
            "code": "N3",
            "name": "Chi bộ Phòng Đào tạo",
            "kind": "cell",
            "valid_from": "2020-02-01",
        },
        content_type="application/json",
    )
    # when
    rows = client.get(reverse("organization-list"), {"q": "phong dao"}).json()["results"]
    # then
    assert [(r["code"], r["parent"]) for r in rows] == [("N3", world.north.pk)]
    assert client.get(reverse("organization-list"), {"q": "n3"}).json()["count"] == 1


def test_parent_outside_scope_is_reported_as_null(world: World, client: Any) -> None:
    client.force_login(world.n1_clerk)
    row = client.get(reverse("organization-detail", args=[world.n1.pk])).json()
    assert row["parent"] is None and row["code"] == "N1"


def test_create_validates_in_vietnamese_and_writes_nothing(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.post(
        reverse("organization-list"),
        {
            "parent": world.n1.pk,
            "code": "N1X",
            "name": "Sai",
            "kind": "cell",
            "valid_from": "2020-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["parent"].startswith(
        "Chi bộ trực thuộc không thể trực thuộc chi bộ trực thuộc."
    )
    assert not Organization.objects.filter(code="N1X").exists()
    response = client.post(
        reverse("organization-list"), {"code": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Trường này không được bỏ trống." in str(response.json())


def test_update_with_a_stale_version_answers_409(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    url = reverse("organization-detail", args=[world.n1.pk])
    payload = {
        "code": "N1",
        "name": "Tên một",
        "kind": "cell",
        "valid_from": "2015-01-01",
        "version": 1,
    }
    first = client.put(url, payload, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.put(url, {**payload, "name": "Tên hai"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["changed"] == {"tên": "Tên một"}
    assert Organization.objects.get(pk=world.n1.pk).name == "Tên một"


def test_move_endpoint(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    url = reverse("organization-move", args=[world.n2.pk])
    response = client.post(
        url,
        {"new_parent": world.south.pk, "version": 1, "reason": "QĐ 5"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["parent"] == world.south.pk
    client.force_login(world.north_manager)
    response = client.post(
        reverse("organization-move", args=[world.n1.pk]),
        {"new_parent": world.north.pk, "version": 1, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_token_authentication(world: World, client: Any) -> None:
    token = Token.objects.create(user=world.s1_clerk)
    response = client.get(reverse("organization-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [r["code"] for r in response.json()["results"]] == ["S1"]
    assert client.get(reverse("organization-list")).status_code == 401


def test_schema_and_docs_are_served_locally(world: World, client: Any) -> None:
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    client.force_login(world.viewer)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/organizations/",
        "/api/organizations/{id}/move/",
        "/api/agencies/",
        "/api/audit/",
    ):
        assert path in text
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
    asset = [line for line in docs.splitlines() if "swagger-ui-bundle.js" in line][0]
    assert "/static/drf_spectacular_sidecar/" in asset


def test_api_reads_write_no_audit_events(world: World, client: Any) -> None:
    before = AuditEvent.objects.count()
    client.force_login(world.hq_admin)
    client.get(reverse("organization-list"))
    client.get(reverse("agency-list"))
    assert AuditEvent.objects.count() == before
