"""Review pages: figures from the registry, their drill-down, the cell grid through htmx, the
propose and decide buttons (with the quota refusal), and scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dangvu.core.testing import World
from dangvu.members.models import Member
from dangvu.members.tests.factories import make_member
from dangvu.metrics import registry
from dangvu.metrics.registry import Period
from dangvu.orgs.models import Organization
from dangvu.reviews.models import Rating, RatingState
from dangvu.reviews.rules import Level, MemberFacts
from dangvu.reviews.services import rating_decide, rating_propose, rating_set
from dangvu.reviews.views import FIGURES

YEAR = 2020
PERIOD = Period.year(YEAR)


def _rated(world: World, cell: Organization, levels: list[Level]) -> list[Rating]:
    ratings = [
        rating_set(
            actor=world.north_manager,
            year=YEAR,
            subject=make_member(cell, f"Đảng viên {cell.code} {i}"),
            level=level,
        )[0]
        for i, level in enumerate(levels)
    ]
    rating_propose(actor=world.north_manager, ratings=ratings)
    rating_decide(actor=world.north_manager, ratings=ratings)
    return ratings


@pytest.fixture
def rated(world: World) -> World:
    """NORTH: 11 members decided (1 HTXSNV, 8 HTTNV, 1 HTNV, 1 KHTNV) and a draft; NORTH
    itself HTTNV and SOUTH HTNV (decided by HQ). N2's HTTNV are decided first, making room
    for N1's HTXSNV under the quota."""
    good, ex = Level.GOOD, Level.EXCELLENT
    _rated(world, world.n2, [good, good, good, good, Level.NOT_COMPLETED])
    _rated(world, world.n1, [ex, good, good, good, good, Level.COMPLETED])
    rating_set(
        actor=world.n1_clerk, year=YEAR, subject=make_member(world.n1, "Dự thảo"), level=good
    )
    orgs = [
        rating_set(actor=world.hq_admin, year=YEAR, subject=world.north, level=good)[0],
        rating_set(actor=world.hq_admin, year=YEAR, subject=world.south, level=Level.COMPLETED)[0],
    ]
    rating_propose(actor=world.hq_admin, ratings=orgs)
    rating_decide(actor=world.hq_admin, ratings=orgs)
    return world


def _progress(client: Any, user: Any, org: Organization) -> Any:
    client.force_login(user)
    return client.get(reverse("reviews:progress"), {"org": org.pk, "nam": YEAR})


# --- progress and drill-down --------------------------------------------------------------


def test_progress_figures_are_the_registry_s(rated: World, client: Any) -> None:
    response = _progress(client, rated.hq_admin, rated.hq)
    assert response.status_code == 200
    figures = {f.key: f.value for f in response.context["figures"]}
    assert figures == {key: registry.get(key).compute(rated.hq, PERIOD) for key in FIGURES}
    # An independent count: 9 of the 11 decided members are HTTNV or above.
    members = Rating.objects.final().filter(subject_kind="member", year=YEAR)
    good = members.filter(level__in=["excellent", "good"]).count()
    assert (figures["members.rated_good_or_above.share"].numerator, members.count()) == (good, 11)
    html = response.content.decode()
    assert "81,82% (9/11)" in html  # members HTTNV or above
    assert "9,09% (1/11)" in html  # members HTXSNV
    assert "50,00% (1/2)" in html  # grassroots organizations HTTNV or above
    progress = response.context["progress"]
    assert progress.by_state["decided"] == 13 and progress.by_state["draft"] == 1
    assert dict(response.context["by_level"])["HTTNV"] == 10


def test_progress_compares_the_children_from_one_rollup(rated: World, client: Any) -> None:
    response = _progress(client, rated.hq_admin, rated.hq)
    children = dict(response.context["children"])
    assert set(children) == {rated.north, rated.south}
    for child, values in children.items():
        assert values == [registry.get(key).compute(child, PERIOD) for key in FIGURES]


def test_progress_defaults_to_the_scope_root_and_last_year(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.get(reverse("reviews:progress"))
    assert response.context["organization"] == world.north


def test_progress_refuses_an_organization_outside_the_scope(rated: World, client: Any) -> None:
    response = _progress(client, rated.n1_clerk, rated.s1)
    assert response.status_code == 200 and "figures" not in response.context
    assert response.context["form"].errors["org"]


def test_drilldown_lists_exactly_the_ratings_behind_the_figure(rated: World, client: Any) -> None:
    client.force_login(rated.north_manager)
    url = reverse("reviews:drilldown")
    query = {"chi_so": "members.excellent.share", "org": rated.north.pk, "nam": YEAR}
    response = client.get(url, query)
    shown = {r.pk for r in response.context["ratings"]}
    behind = Rating.objects.final().filter(subject_kind="member", path__startswith=rated.north.path)
    assert shown == set(behind.exclude(level="").values_list("pk", flat=True))
    assert len(shown) == 11
    assert "HTXSNV" in response.content.decode() and "Tổ chức N1" in response.content.decode()
    assert client.get(url, {**query, "chi_so": "members.count"}).status_code == 404
    assert client.get(url, {**query, "org": rated.s1.pk}).status_code == 404


# --- the grid -----------------------------------------------------------------------------


def _row(client: Any, cell: Organization, member: Member, **values: Any) -> Any:
    data = {"member": member.pk, "nam": YEAR, "level": "", "sick_leave_months": "0", **values}
    url = reverse("reviews:grid_row", args=[cell.pk])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_the_grid_lists_the_cell_s_roll(world: World, client: Any) -> None:
    mine = [make_member(world.n1, "Lê Văn Ba"), make_member(world.n1, "Phạm Thị Tư")]
    make_member(world.n2, "Ngô Văn Khác")
    client.force_login(world.n1_clerk)
    response = client.get(reverse("reviews:grid", args=[world.n1.pk]), {"nam": YEAR})
    assert [row.member for row in response.context["rows"]] == mine
    html = response.content.decode()
    assert 'aria-label="Mức xếp loại của Lê Văn Ba"' in html and "Ngô Văn Khác" not in html
    assert f'hx-post="{reverse("reviews:grid_row", args=[world.n1.pk])}"' in html


def test_a_row_saves_through_htmx_and_shows_the_rule_s_error(world: World, client: Any) -> None:
    member = make_member(world.n1, "Lê Văn Ba")
    client.force_login(world.n1_clerk)
    refused = _row(client, world.n1, member, level="good", sick_leave_months="4")
    html = refused.content.decode()
    assert refused.status_code == 200 and html.lstrip().startswith("<tr")
    assert "nghỉ ốm 4 tháng trong năm" in html and "HTNV" in html
    assert 'value="4"' in html and '<option value="good" selected>' in html
    assert not Rating.objects.filter(member=member).exists()
    saved = _row(client, world.n1, member, level="completed", sick_leave_months="4")
    rating = Rating.objects.get(member=member, year=YEAR)
    assert (rating.level, rating.state, rating.organization) == ("completed", "draft", world.n1)
    assert rating.facts["sick_leave_months"] == "4" and not rating.facts["disciplined_in_year"]
    assert "Dự thảo" in saved.content.decode() and 'class="error"' not in saved.content.decode()


def test_a_row_of_a_member_off_the_roll_is_not_found(world: World, client: Any) -> None:
    other = make_member(world.n2, "Ngô Văn Khác")
    client.force_login(world.north_manager)
    assert _row(client, world.n1, other, level="good").status_code == 404
    assert not Rating.objects.exists()


def test_propose_the_cell_then_decide_with_the_quota(world: World, client: Any) -> None:
    best, good = make_member(world.n1, "Giỏi"), make_member(world.n1, "Tốt")
    client.force_login(world.n1_clerk)
    _row(client, world.n1, best, level="excellent")
    _row(client, world.n1, good, level="good")
    grid = reverse("reviews:grid", args=[world.n1.pk])
    response = client.post(
        reverse("reviews:grid_propose", args=[world.n1.pk]), {"nam": YEAR}, follow=True
    )
    assert response.redirect_chain == [(f"{grid}?nam={YEAR}", 302)]
    assert "Đã đề xuất 2 xếp loại" in response.content.decode()
    assert set(Rating.objects.values_list("state", flat=True)) == {RatingState.PROPOSED}
    client.force_login(world.north_manager)
    decide = reverse("reviews:grid_decide", args=[world.n1.pk])
    assert decide in client.get(grid, {"nam": YEAR}).content.decode()
    refused = client.post(decide, {"nam": YEAR}, follow=True).content.decode()
    assert "Số HTXSNV (1) vượt 20% số HTTNV (1 → tối đa 0) trong Tổ chức NORTH." in refused
    assert not Rating.objects.filter(state=RatingState.DECIDED).exists()
    # One HTXSNV needs five HTTNV: four more, proposed, and the cell is decided.
    for i in range(4):
        rating_set(
            actor=world.n1_clerk, year=YEAR, subject=make_member(world.n1, f"Thêm {i}"),
            level=Level.GOOD,
        )  # fmt: skip
    client.post(reverse("reviews:grid_propose", args=[world.n1.pk]), {"nam": YEAR})
    done = client.post(decide, {"nam": YEAR}, follow=True).content.decode()
    assert "Đã quyết định 6 xếp loại." in done
    assert Rating.objects.filter(state=RatingState.DECIDED).count() == 6
    # A decided row is read-only in the grid.
    assert 'aria-label="Mức xếp loại của Giỏi"' not in done


def test_a_disciplined_member_cannot_be_htxsnv_in_the_grid(world: World, client: Any) -> None:
    member = make_member(world.n1)
    client.force_login(world.n1_clerk)
    html = _row(client, world.n1, member, level="excellent", disciplined_in_year="on").content
    assert "bị thi hành kỷ luật" in html.decode()
    assert ' checked aria-label="Nguyễn Văn An bị kỷ luật trong năm"' in html.decode()


# --- scope --------------------------------------------------------------------------------


def test_a_cell_clerk_does_not_find_another_cell_s_grid(world: World, client: Any) -> None:
    member = make_member(world.n2)
    client.force_login(world.n1_clerk)
    assert client.get(reverse("reviews:grid", args=[world.n2.pk])).status_code == 404
    assert _row(client, world.n2, member, level="good").status_code == 404
    client.force_login(world.s1_clerk)
    assert client.get(reverse("reviews:grid", args=[world.n1.pk])).status_code == 404
    assert not Rating.objects.exists()


def test_a_cell_clerk_cannot_decide(world: World, client: Any) -> None:
    rating, _ = rating_set(
        actor=world.n1_clerk, year=YEAR, subject=make_member(world.n1), level=Level.GOOD,
        facts=MemberFacts(),
    )  # fmt: skip
    rating_propose(actor=world.n1_clerk, ratings=[rating])
    client.force_login(world.n1_clerk)
    html = client.get(reverse("reviews:grid", args=[world.n1.pk]), {"nam": YEAR}).content
    assert reverse("reviews:grid_decide", args=[world.n1.pk]) not in html.decode()
    response = client.post(reverse("reviews:grid_decide", args=[world.n1.pk]), {"nam": YEAR})
    assert response.status_code == 403
    assert Rating.objects.get(pk=rating.pk).state == RatingState.PROPOSED


def test_the_grid_is_only_for_cells(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    assert client.get(reverse("reviews:grid", args=[world.north.pk])).status_code == 404
