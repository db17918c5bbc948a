"""The data-quality report: its figures against counts made independently, per unit and in
scope, its fix-lists, and a number of queries that does not grow with the tree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.core.testing import SETUP, World
from dangvu.members import quality, rules, services
from dangvu.members.models import Member, Stint
from dangvu.members.tests.factories import make_member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Agency, Organization, OrgKind

BIRTH = date(1980, 4, 12)


def _agency(org: Organization, code: str) -> Agency:
    return org_services.agency_create(
        actor=SETUP,
        organization=org,
        code=code,
        name=f"Cơ quan {code}",
        valid_from=date(2015, 1, 1),
    )


def _complete(world: World, org: Organization, name: str, agency: Agency, **kw: Any) -> Member:
    card = f"9{Member.objects.count():05d}"
    return make_member(org, name, card_number=card, hometown="Hà Nam", agency=agency, **kw)


@pytest.fixture
def registry(world: World) -> dict[str, Member]:
    """NORTH: N1 {Tám ✓, Đào (no card), Nam (bad CCCD), Lợi (no open stint)},
    N2 {Nam (same name and birth as N1's), Hoa (probationary, no hometown)};
    SOUTH: S1 {Sơn ✓, Giang (moved outside the system), Hà (on the way to N2)}."""
    north, south = _agency(world.north, "CQ-N"), _agency(world.south, "CQ-S")
    m = {
        "tam": _complete(world, world.n1, "Lê Văn Tám", north),
        "dao": make_member(world.n1, "Nguyễn Thị Đào", gender="F", hometown="Huế"),
        "nam1": _complete(world, world.n1, "Trần Văn Nam", north, birth_date=BIRTH),
        "loi": _complete(world, world.n1, "Phạm Văn Lợi", north),
        "nam2": _complete(world, world.n2, "Trần Văn Nam", north, birth_date=BIRTH),
        "hoa": make_member(
            world.n2, "Vũ Thị Hoa", gender="F", card_number="777", agency=north, recognized_on=None
        ),
        "son": _complete(world, world.s1, "Hà Văn Sơn", south),
        "giang": _complete(world, world.s1, "Đỗ Văn Giang", south),
        "ha": _complete(world, world.s1, "Mai Văn Hà", south),
    }
    # legacy data the services would refuse today
    Member.objects.filter(pk=m["nam1"].pk).update(national_id="001085000001")
    Stint.objects.filter(member=m["loi"]).update(end=date(2020, 1, 1), end_reason="correction")
    # transfers explain a closed stint
    for key, target in (("giang", {"outside": "Đảng bộ tỉnh Bắc Kạn"}), ("ha", {})):
        services.transfer_out(
            actor=world.superuser,
            member=m[key],
            effective_on=date(2024, 3, 1),
            letter_date=date(2024, 3, 4),
            **(target or {"to_organization": world.n2}),
        )
    return m


def _independent(actor_scope: list[Member], unit: Organization | None) -> dict[str, int]:
    """The member figures counted the slow, obvious way over ``actor_scope``."""
    inside = [m for m in actor_scope if unit is None or m.organization.path.startswith(unit.path)]
    on_roll = [m for m in inside if any(s.end is None for s in m.stints.all())]
    roll_scope = [m for m in actor_scope if any(s.end is None for s in m.stints.all())]
    fields = ("full_name", "birth_date", "gender", "national_id", "card_number", "hometown")
    return {
        "members": len(on_roll),
        "complete": sum(
            1 for m in on_roll if all(getattr(m, f) for f in fields) and m.agency_id is not None
        ),
        "invalid_ids": sum(
            1
            for m in on_roll
            if m.national_id
            and rules.check_national_id(m.national_id, m.birth_date, m.gender == "F")
        ),
        "duplicates": sum(
            1
            for m in on_roll
            if any(
                o.pk != m.pk
                and (
                    (o.national_id and o.national_id == m.national_id)
                    or (o.name_folded, o.birth_date) == (m.name_folded, m.birth_date)
                )
                for o in roll_scope
            )
        ),
        "without_stint": sum(
            1
            for m in inside
            if m.exited_on is None
            and not any(s.end is None for s in m.stints.all())
            and not any(
                t.kind == "official"
                and (
                    t.state == "in_transit"
                    or (t.state == "completed" and t.to_organization_id is None)
                )
                for t in m.transfers.all()
            )
        ),
    }


def _small_cells(unit: Organization) -> int:
    """Cells under ``unit`` with fewer than 3 members whose open stint is recognized."""
    today = timezone.localdate()
    cells = Organization.objects.filter(
        path__startswith=unit.path, kind__in=["cell", "grassroots_cell"]
    )
    full = {
        cell.pk: sum(
            1
            for s in Stint.objects.filter(organization=cell, end__isnull=True)
            if s.recognized_on is not None and s.recognized_on <= today
        )
        for cell in cells
    }
    return sum(1 for n in full.values() if n < 3)


def _figures(row: quality.UnitQuality) -> dict[str, int]:
    return {
        "members": row.members,
        "complete": row.complete,
        "invalid_ids": row.invalid_ids,
        "duplicates": row.duplicates,
        "without_stint": row.without_stint,
    }


def test_figures_per_grassroots_match_an_independent_count(
    world: World, registry: dict[str, Member]
) -> None:
    report = quality.report(actor=world.hq_admin)
    everyone = list(Member.objects.select_related("organization").prefetch_related("stints"))
    rows = {row.organization.code: row for row in report.units}
    assert list(rows) == ["NORTH", "SOUTH"]
    for code, row in rows.items():
        assert _figures(row) == _independent(everyone, row.organization), code
        assert row.small_cells == _small_cells(row.organization), code
    assert _figures(report.total) == _independent(everyone, None)
    # and the same numbers written out by hand
    north, south = rows["NORTH"], rows["SOUTH"]
    assert (north.members, north.complete, north.invalid_ids) == (5, 3, 1)
    assert (north.duplicates, north.without_stint, north.small_cells) == (2, 1, 1)
    assert (south.members, south.complete, south.without_stint, south.small_cells) == (1, 1, 0, 1)
    assert str(north.complete_share.value) == "0.6"
    assert north.kind_issues == ["Đảng bộ cơ sở chỉ có 5 đảng viên (dưới 30 thì là chi bộ cơ sở)."]
    assert report.total.small_cells == 2 and len(report.total.kind_issues) == 2


def test_a_cell_secretary_gets_the_cell_only(world: World, registry: dict[str, Member]) -> None:
    report = quality.report(actor=world.n1_clerk)
    assert [row.organization.code for row in report.units] == ["N1"]
    n1 = report.units[0]
    scoped = list(
        Member.objects.restrict(world.n1_clerk, "members.view")
        .select_related("organization")
        .prefetch_related("stints")
    )
    assert _figures(n1) == _independent(scoped, world.n1)
    # Nam's namesake lives in N2, outside the secretary's scope
    assert (n1.members, n1.complete, n1.duplicates, n1.small_cells, n1.kind_issues) == (
        3,
        2,
        0,
        0,
        [],
    )


def test_grassroots_kind_against_the_head_count(world: World) -> None:
    big = org_services.organization_create(
        actor=SETUP,
        parent=world.hq,
        code="BIG",
        name="Chi bộ cơ sở lớn",
        kind=OrgKind.GRASSROOTS_CELL,
        valid_from=date(2015, 1, 1),
    )
    for i in range(30):
        make_member(big, f"Nguyễn Văn Thứ{i:02d}")
    issues = quality.organization_fix_list(actor=world.hq_admin, figure="loai-co-so")
    assert {(i.organization.code, i.members) for i in issues} == {
        ("BIG", 30),
        ("NORTH", 0),
        ("SOUTH", 0),
    }
    small = quality.organization_fix_list(actor=world.hq_admin, figure="chi-bo-it-dang-vien")
    assert {i.organization.code for i in small} == {"N1", "N2", "S1"}  # BIG has 30


def test_fix_lists_hold_exactly_what_the_figures_count(
    world: World, client: Any, registry: dict[str, Member]
) -> None:
    client.force_login(world.hq_admin)
    url = reverse("members:quality_list")

    def listed(figure: str, org: Organization | None = None) -> list[tuple[str, str]]:
        params = {"chi-so": figure, **({"org": org.pk} if org else {})}
        rows = client.get(url, params).context["rows"]
        return [(m.full_name, problem) for m, problem in rows]

    assert listed("ho-so-chua-du", world.north) == [
        ("Nguyễn Thị Đào", "Thiếu số thẻ đảng viên, cơ quan, đơn vị công tác."),
        ("Vũ Thị Hoa", "Thiếu quê quán."),
    ]
    assert listed("cccd-sai") == [
        (
            "Trần Văn Nam",
            "Chữ số thứ năm và sáu của số CCCD (85) không khớp năm sinh 1980.",
        )
    ]
    assert [name for name, _ in listed("trung-lap")] == ["Trần Văn Nam", "Trần Văn Nam"]
    assert [name for name, _ in listed("khong-chi-bo")] == ["Phạm Văn Lợi"]
    assert listed("khong-chi-bo", world.south) == []
    cells = client.get(url, {"chi-so": "chi-bo-it-dang-vien"}).context["page_obj"]
    assert [(i.organization.code, i.members, i.full) for i in cells] == [
        ("N2", 2, 1),
        ("S1", 1, 1),
    ]
    assert client.get(url, {"chi-so": "khong-co"}).status_code == 404
    assert client.get(url, {"chi-so": "cccd-sai", "org": "x"}).status_code == 404
    client.force_login(world.north_manager)
    assert client.get(url, {"chi-so": "cccd-sai", "org": world.south.pk}).status_code == 404


def test_the_page_links_each_figure_to_its_fix_list(
    world: World, client: Any, registry: dict[str, Member]
) -> None:
    client.force_login(world.north_manager)
    response = client.get(reverse("members:quality"))
    page = response.content.decode()
    fix = reverse("members:quality_list")
    for figure in ("ho-so-chua-du", "cccd-sai", "trung-lap", "khong-chi-bo", "chi-bo-it-dang-vien"):
        assert f"{fix}?chi-so={figure}&amp;org={world.north.pk}" in page
    assert "60,0%" in page
    assert "Tổ chức SOUTH" not in page


def test_the_number_of_queries_does_not_grow_with_the_tree(
    world: World, registry: dict[str, Member]
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            quality.report(actor=world.hq_admin)
        return len(captured.captured_queries)

    quality.report(actor=world.hq_admin)  # loads the actor's grants once (cached on the user)
    before = queries()
    for i in range(3):
        grassroots = org_services.organization_create(
            actor=SETUP,
            parent=world.hq,
            code=f"G{i}",
            name=f"Đảng bộ G{i}",
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            valid_from=date(2015, 1, 1),
        )
        for j in range(2):
            cell = org_services.organization_create(
                actor=SETUP,
                parent=grassroots,
                code=f"G{i}C{j}",
                name=f"Chi bộ G{i}C{j}",
                kind=OrgKind.CELL,
                valid_from=date(2015, 1, 1),
            )
            make_member(cell, f"Lê Văn Số{i}{j}")
    assert queries() == before
