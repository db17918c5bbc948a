"""The member and transfer API: scoped search, masking, filters, read-only transfers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from dangvu.core.testing import World
from dangvu.members import services
from dangvu.members.api import mask_national_id
from dangvu.members.tests.factories import make_member


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["full_name"] for row in response.json()["results"]]


def test_search_without_diacritics_stays_in_scope(world: World, client: Any) -> None:
    # given: two Đào, one in each subtree, and a Đặng
    make_member(world.n1, "Nguyễn Thị Đào", gender="F")
    make_member(world.s1, "Lê Thị Đào", gender="F")
    make_member(world.n2, "Đặng Văn Hải")
    url = reverse("member-list")
    # when / then: everyone is searched the same way, within their scope
    client.force_login(world.hq_admin)
    assert _names(client.get(url, {"q": "dao"})) == ["Lê Thị Đào", "Nguyễn Thị Đào"]
    assert _names(client.get(url, {"q": "nguyen thi dao"})) == ["Nguyễn Thị Đào"]
    assert _names(client.get(url, {"q": "ĐẶNG"})) == ["Đặng Văn Hải"]
    client.force_login(world.n1_clerk)
    assert _names(client.get(url, {"q": "dao"})) == ["Nguyễn Thị Đào"]
    assert _names(client.get(url, {"q": "dang"})) == []
    client.force_login(world.s1_clerk)
    assert _names(client.get(url)) == ["Lê Thị Đào"]


def test_national_id_is_masked_in_the_list_and_full_in_the_record(
    world: World, client: Any
) -> None:
    member = make_member(world.n1, "Nguyễn Thị Đào", gender="F", national_id="045180000123")
    client.force_login(world.north_manager)
    [row] = client.get(reverse("member-list")).json()["results"]
    assert row["national_id"] == "045•••••0123"
    assert (row["status"], row["organization"]) == ("full", world.n1.pk)
    # a full CCCD still finds the record, masked
    rows = client.get(reverse("member-list"), {"q": "045180000123"}).json()["results"]
    assert [r["national_id"] for r in rows] == ["045•••••0123"]
    record = client.get(reverse("member-detail", args=[member.pk])).json()
    assert record["national_id"] == "045180000123"
    assert record["party_age"] is not None and record["version"] == 1
    assert [e["kind"] for e in record["events"]] == ["admitted", "recognized"]
    assert mask_national_id(None) is None and mask_national_id("12345") == "••••••••"


def test_a_record_outside_the_scope_is_not_found(world: World, client: Any) -> None:
    member = make_member(world.s1, "Lê Thị Đào", gender="F")
    client.force_login(world.north_manager)
    response = client.get(reverse("member-detail", args=[member.pk]))
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})


def test_filters_by_organization_subtree_and_status(world: World, client: Any) -> None:
    make_member(world.n1, "Lê Văn Tám")
    make_member(world.n2, "Trần Văn Nam", recognized_on=None)
    make_member(world.s1, "Hà Văn Sơn")
    gone = make_member(world.s1, "Đỗ Văn Cường")
    services.event_record(actor=world.superuser, member=gone, kind="left", date=date(2022, 2, 2))
    url = reverse("member-list")
    client.force_login(world.hq_admin)
    assert _names(client.get(url, {"organization": world.north.pk})) == [
        "Trần Văn Nam",
        "Lê Văn Tám",
    ]
    assert _names(client.get(url, {"organization": world.s1.pk})) == ["Hà Văn Sơn"]
    assert _names(client.get(url, {"status": "probationary"})) == ["Trần Văn Nam"]
    assert _names(client.get(url, {"status": "exited"})) == ["Đỗ Văn Cường"]
    # a filter the user may not use answers 400, in Vietnamese
    client.force_login(world.north_manager)
    response = client.get(url, {"organization": world.s1.pk})
    assert response.status_code == 400
    assert response.json() == {"organization": ["Không tìm thấy tổ chức."]}
    response = client.get(url, {"status": "gone"})
    assert response.status_code == 400
    assert response.json() == {"status": ["“gone” không phải là một lựa chọn hợp lệ."]}


def test_transfers_are_read_from_both_ends_only(world: World, client: Any) -> None:
    member = make_member(world.n1, "Nguyễn Thị Đào", gender="F")
    transfer, _ = services.transfer_out(
        actor=world.superuser,
        member=member,
        to_organization=world.s1,
        effective_on=date(2024, 3, 1),
        letter_date=date(2024, 3, 4),
    )
    url = reverse("transfer-list")
    for persona in ("n1_clerk", "s1_clerk", "hq_admin"):
        client.force_login(world.persona(persona))
        rows = client.get(url).json()["results"]
        assert [(r["id"], r["member_name"], r["state"]) for r in rows] == [
            (transfer.pk, "Nguyễn Thị Đào", "in_transit")
        ], persona
    assert client.get(url, {"state": "completed"}).json()["results"] == []
    assert client.get(url, {"state": "x"}).status_code == 400
    client.force_login(world.n1_clerk)
    assert client.get(reverse("transfer-detail", args=[transfer.pk])).status_code == 200
    # read-only: no write method exists
    assert client.post(url, {}, content_type="application/json").status_code == 403
    client.force_login(world.hq_admin)
    assert client.post(url, {}, content_type="application/json").status_code == 405
    client.logout()
    assert client.get(url).status_code == 401
