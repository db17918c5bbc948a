"""Edit pages open with the stored values and the version they were opened at.

Each page is read as a browser would, its form submitted back unchanged but for one field;
the edit must save (the hidden version travels with it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from dangvu.core.testing import World
from dangvu.members.tests.factories import make_member
from dangvu.orgs import services as org_services


def _submitted(form: Any) -> dict[str, Any]:
    """What the browser posts back: every field's rendered initial value."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "pk"):
            data[name] = value.pk
        else:
            formatted = field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


def test_organization_edit_page_round_trips(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    url = reverse("orgs:edit", args=[world.n1.pk])
    form = client.get(url).context["form"]
    assert form["name"].value() == "Tổ chức N1" and form["version"].value() == 1
    data = {**_submitted(form), "name": "Chi bộ Văn phòng"}
    assert client.post(url, data).status_code == 302
    world.n1.refresh_from_db()
    assert (world.n1.name, world.n1.version) == ("Chi bộ Văn phòng", 2)


def test_agency_edit_page_round_trips(world: World, client: Any) -> None:
    agency = org_services.agency_create(
        actor=world.hq_admin,
        organization=world.north,
        code="CQ-N",
        name="Sở Bắc",
        valid_from=date(2015, 1, 1),
    )
    client.force_login(world.north_manager)
    url = reverse("orgs:agency_edit", args=[agency.pk])
    form = client.get(url).context["form"]
    assert form["code"].value() == "CQ-N" and form["version"].value() == 1
    assert client.post(url, {**_submitted(form), "name": "Sở Bắc (mới)"}).status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Sở Bắc (mới)"


def test_member_edit_page_round_trips(world: World, client: Any) -> None:
    member = make_member(
        world.n1, "Nguyễn Thị Đào", gender="F", birth_date=date(1985, 3, 4), hometown="Quảng Trị"
    )
    client.force_login(world.north_manager)
    url = reverse("members:edit", args=[member.pk])
    form = client.get(url).context["form"]
    assert form["full_name"].value() == "Nguyễn Thị Đào" and form["hometown"].value() == "Quảng Trị"
    assert form["version"].value() == 1
    response = client.post(url, {**_submitted(form), "phone": "0912000111"})
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.phone, member.hometown, member.version) == ("0912000111", "Quảng Trị", 2)
