"""The organization pages: tree, search, detail, and forms that keep input and speak Vietnamese."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from dangvu.audit.models import AuditEvent
from dangvu.core.testing import World
from dangvu.orgs.models import Organization


def test_tree_starts_at_the_scope_and_loads_children_on_demand(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "Tổ chức NORTH" in page and "Tổ chức HQ" not in page
    children = client.get(reverse("orgs:children", args=[world.north.pk])).content.decode()
    assert "Tổ chức N1" in children and "Tổ chức N2" in children
    assert client.get(reverse("orgs:children", args=[world.south.pk])).status_code == 404


def test_search_ignores_diacritics_and_stays_in_scope(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    client.post(
        reverse("orgs:create", args=[world.south.pk]),
        {"code": "S2", "name": "Chi bộ Phòng Đào tạo", "kind": "cell", "valid_from": "2020-01-01"},
    )
    found = client.get(reverse("orgs:tree"), {"q": "dao tao"}).content.decode()
    assert "Chi bộ Phòng Đào tạo" in found
    client.force_login(world.north_manager)
    hidden = client.get(reverse("orgs:tree"), {"q": "dao tao"}).content.decode()
    assert "Chi bộ Phòng Đào tạo" not in hidden and "0 kết quả" in hidden


def test_search_answers_htmx_with_the_results_fragment(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    response = client.get(
        reverse("orgs:tree"), {"q": "n1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tree-results"
    )
    html = response.content.decode()
    assert "<html" not in html and "Tổ chức N1" in html


def test_detail_shows_breadcrumbs_only_within_scope(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    crumbs = client.get(reverse("orgs:detail", args=[world.n1.pk])).context["breadcrumbs"]
    assert [o.code for o in crumbs] == ["NORTH"]
    client.force_login(world.hq_admin)
    crumbs = client.get(reverse("orgs:detail", args=[world.n1.pk])).context["breadcrumbs"]
    assert [o.code for o in crumbs] == ["HQ", "NORTH"]


def test_create_form_keeps_input_and_shows_the_rule_next_to_the_field(
    world: World, client: Any
) -> None:
    client.force_login(world.hq_admin)
    response = client.post(
        reverse("orgs:create", args=[world.n1.pk]),
        {"code": "N1A", "name": "Chi bộ con", "kind": "cell", "valid_from": "2020-01-01"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chi bộ trực thuộc không thể trực thuộc chi bộ trực thuộc." in html
    assert 'value="Chi bộ con"' in html and 'value="N1A"' in html
    assert not Organization.objects.filter(code="N1A").exists()


def test_create_form_field_errors_are_vietnamese(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    response = client.post(
        reverse("orgs:create", args=[world.north.pk]), {"code": "", "valid_from": "31/02/2020"}
    )
    form = response.context["form"]
    assert form.errors["code"] == ["Trường này là bắt buộc."]
    assert form.errors["valid_from"] == ["Nhập một ngày hợp lệ."]


def test_edit_form_refuses_a_stale_version_and_keeps_the_other_edit(
    world: World, client: Any
) -> None:
    client.force_login(world.hq_admin)
    url = reverse("orgs:edit", args=[world.n2.pk])
    data = {"code": "N2", "name": "Tên A", "kind": "cell", "valid_from": "2015-01-01", "version": 1}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Tên B"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã được người khác sửa" in html and "Tên A" in html
    assert Organization.objects.get(pk=world.n2.pk).name == "Tên A"


def test_move_page_offers_only_parents_in_scope(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    form = client.get(reverse("orgs:move", args=[world.n1.pk])).context["form"]
    choices = {o.code for o in form.fields["new_parent"].queryset}
    assert choices == {"HQ", "NORTH", "SOUTH"}
    response = client.post(
        reverse("orgs:move", args=[world.n1.pk]),
        {"new_parent": world.south.pk, "reason": "Quyết định 7", "version": 1},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="orgs.organization.move").count() == 1


def test_term_and_seat_forms(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.post(
        reverse("orgs:term_create", args=[world.north.pk]),
        {
            "congress_number": 2,
            "congress_date": "2020-05-12",
            "start_date": "2020-05-12",
            "end_date": "2028-05-12",
        },
        follow=True,
    )
    assert "Nhiệm kỳ của cấp ủy là 5 năm" in response.content.decode()
    term = world.north.terms.get()
    response = client.post(
        reverse("orgs:seat_create", args=[term.pk]),
        {"role": "secretary", "full_name": "Đặng Thị Ánh", "start_date": "2020-05-12"},
        follow=True,
    )
    page = response.content.decode()
    assert "Đặng Thị Ánh" in page and "Bí thư" in page


def test_home_shows_the_grant_and_counts_by_kind(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.get(reverse("home"))
    counts = dict(response.context["kind_counts"])
    assert counts["Đảng bộ cơ sở"] == 1 and counts["Chi bộ trực thuộc"] == 2
    assert "Văn phòng đảng ủy cơ sở" in response.content.decode()


def test_actions_are_offered_only_to_who_may_take_them(world: World, client: Any) -> None:
    client.force_login(world.viewer)
    page = client.get(reverse("orgs:detail", args=[world.north.pk])).content.decode()
    assert "Sửa thông tin" not in page and "Chuyển tổ chức" not in page
    client.force_login(world.north_manager)
    page = client.get(reverse("orgs:detail", args=[world.north.pk])).content.decode()
    assert "Sửa thông tin" in page and "Thêm tổ chức trực thuộc" in page
    assert "Chuyển tổ chức" not in page  # moving needs the committee office's role


def test_congress_numbers_are_roman_and_names_family_first(world: World, client: Any) -> None:
    from dangvu.orgs import services

    services.term_create(
        actor=world.hq_admin,
        organization=world.hq,
        congress_number=6,
        congress_date=world.hq.valid_from,
        start_date=world.hq.valid_from,
        end_date=world.hq.valid_from.replace(year=2020),
    )
    world.hq_admin.last_name, world.hq_admin.first_name = "Nguyễn Thị", "Đào"
    world.hq_admin.save()
    client.force_login(world.hq_admin)
    page = client.get(reverse("orgs:detail", args=[world.hq.pk])).content.decode()
    assert "Đại hội lần thứ VI" in page
    assert "Nguyễn Thị Đào" in page


def test_a_committee_member_leaves_the_seat(world: World, client: Any) -> None:
    from datetime import date

    from dangvu.orgs import services

    term, _ = services.term_create(
        actor=world.hq_admin,
        organization=world.north,
        congress_number=1,
        congress_date=date(2020, 5, 1),
        start_date=date(2020, 5, 1),
        end_date=date(2025, 5, 1),
    )
    seat = services.seat_create(
        actor=world.hq_admin,
        term=term,
        role="secretary",
        full_name="Lê Văn Hùng",
        start_date=date(2020, 5, 1),
    )
    client.force_login(world.north_manager)
    assert (
        "thôi giữ chức vụ"
        in client.get(reverse("orgs:detail", args=[world.north.pk])).content.decode()
    )
    response = client.post(
        reverse("orgs:seat_end", args=[seat.pk]), {"end_date": "2019-01-01", "reason": "x"}
    )
    assert response.context["form"].errors == {"end_date": ["Trước ngày nhận chức vụ."]}
    response = client.post(
        reverse("orgs:seat_end", args=[seat.pk]), {"end_date": "2021-01-01", "reason": "Nghỉ hưu"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == date(2021, 1, 1)
    client.force_login(world.s1_clerk)
    assert client.get(reverse("orgs:seat_end", args=[seat.pk])).status_code == 403
