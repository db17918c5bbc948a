"""Titles ("TSVM tiêu biểu"): the gate on the final rating, scope, audit, streaks, and who may be
proposed (organizations for the year, members with five HTXSNV years)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope
from dangvu.core.rules import RuleViolation
from dangvu.core.testing import World
from dangvu.members.models import Member
from dangvu.members.tests.factories import make_member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organization, OrgKind
from dangvu.reviews.models import Rating, RatingState, Title, TitleKind
from dangvu.reviews.rules import Level, NotRatedReason, SubjectKind
from dangvu.reviews.titles import (
    eligible_for_exemplary,
    members_excellent_streak,
    streak,
    streak_span,
    title_grant,
)

E, G = Level.EXCELLENT, Level.GOOD
BTV = "Ban Thường vụ Đảng ủy Khối"


def rate_org(
    org: Organization,
    year: int,
    level: Level | None = E,
    *,
    reason: NotRatedReason | None = None,
    state: str = RatingState.DECIDED,
) -> Rating:
    return Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.ORGANIZATION.value,
        rated_organization=org,
        organization=org,
        path=org.path,
        grassroots=org if org.is_grassroots else None,
        level=level.value if level is not None else "",
        not_rated_reason=reason.value if reason is not None else "",
        state=state,
    )


def rate_member(
    member: Member,
    cell: Organization,
    grassroots: Organization,
    year: int,
    level: Level = E,
    *,
    state: str = RatingState.DECIDED,
) -> Rating:
    return Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.MEMBER.value,
        member=member,
        organization=cell,
        path=cell.path,
        grassroots=grassroots,
        level=level.value,
        state=state,
    )


def grant(world: World, org: Organization, year: int, **kwargs: object) -> Title:
    values: dict[str, object] = {
        "actor": world.hq_admin,
        "organization": org,
        "year": year,
        "decision_number": f"{year}-QĐ/ĐUK",
        "decided_on": date(year + 1, 1, 15),
        "decided_by": BTV,
        **kwargs,
    }
    return title_grant(**values)  # type: ignore[arg-type]


def titled(org: Organization, *years: int) -> None:
    for year in years:
        Title.objects.create(organization=org, year=year, decided_on=date(year + 1, 1, 15))


# --- granting -----------------------------------------------------------------------------


def test_a_title_is_granted_and_audited(world: World) -> None:
    rate_org(world.north, 2020, E)
    title = grant(world, world.north, 2020, decision_number=" 125-QĐ/ĐUK ")
    title.refresh_from_db()
    assert title.organization == world.north
    assert (title.year, title.title) == (2020, TitleKind.TSVM_EXEMPLARY)
    assert title.decision_number == "125-QĐ/ĐUK"
    assert title.decided_on == date(2021, 1, 15)
    assert title.decided_by == BTV
    assert str(title) == f"{world.north} — Trong sạch, vững mạnh tiêu biểu năm 2020"
    event = AuditEvent.objects.get(action="reviews.title.grant")
    assert event.target_id == str(title.pk)
    assert event.organization_id == world.north.pk
    assert event.changes["year"] == [None, 2020]
    assert event.changes["decision_number"] == [None, "125-QĐ/ĐUK"]


@pytest.mark.parametrize(
    ("level", "state", "rated"),
    [
        (G, RatingState.DECIDED, "HTTNV"),
        (Level.COMPLETED, RatingState.LOCKED, "HTNV"),
        (E, RatingState.PROPOSED, "chưa xếp loại"),  # not final yet
        (E, RatingState.DRAFT, "chưa xếp loại"),
    ],
)
def test_only_an_organization_rated_htxsnv_final_is_recognized(
    world: World, level: Level, state: str, rated: str
) -> None:
    rate_org(world.north, 2020, level, state=state)
    with pytest.raises(RuleViolation) as caught:
        grant(world, world.north, 2020)
    [violation] = caught.value.violations
    assert violation.code == "reviews.tsvm_exemplary"
    assert violation.message == (
        "Chỉ tổ chức đảng xếp loại HTXSNV mới được xét “Trong sạch, vững mạnh tiêu biểu” "
        f"(tổ chức này: {rated})."
    )
    assert not Title.objects.exists()
    assert not AuditEvent.objects.filter(action="reviews.title.grant").exists()


def test_locked_htxsnv_is_recognized(world: World) -> None:
    rate_org(world.north, 2020, E, state=RatingState.LOCKED)
    assert grant(world, world.north, 2020).pk


def test_no_rating_or_not_rated_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation, match="chưa xếp loại"):
        grant(world, world.north, 2020)
    rate_org(world.north, 2020, None, reason=NotRatedReason.FOUNDED_RECENTLY)
    with pytest.raises(RuleViolation, match="chưa xếp loại"):
        grant(world, world.north, 2020)


def test_under_hd27_the_gate_is_tsvm(world: World) -> None:
    rate_org(world.north, 2016, G)
    with pytest.raises(RuleViolation, match="xếp loại “Trong sạch, vững mạnh” mới được xét"):
        grant(world, world.north, 2016)
    rate_org(world.south, 2016, E)  # TSVM, stored as the top level
    assert grant(world, world.south, 2016).year == 2016


def test_twice_the_same_year_is_refused(world: World) -> None:
    rate_org(world.north, 2020, E)
    grant(world, world.north, 2020)
    with pytest.raises(DomainError, match="đã được công nhận"):
        grant(world, world.north, 2020)
    assert Title.objects.count() == 1


def test_decision_before_the_year_and_years_without_rules_are_refused(world: World) -> None:
    rate_org(world.north, 2020, E)
    with pytest.raises(DomainError, match="từ năm 2020") as caught:
        grant(world, world.north, 2020, decided_on=date(2019, 12, 31))
    assert "decided_on" in caught.value.field_errors
    assert grant(world, world.north, 2020, decided_on=date(2020, 12, 30)).pk
    with pytest.raises(DomainError, match="năm 2013"):
        grant(world, world.north, 2013)


# --- scope: the level above recognizes ----------------------------------------------------


def test_the_level_above_recognizes(world: World) -> None:
    rate_org(world.north, 2020, E)
    with pytest.raises(NotPermitted, match="Chỉ cấp trên trực tiếp"):
        grant(world, world.north, 2020, actor=world.north_manager)  # its own title
    with pytest.raises(NotPermitted):
        grant(world, world.north, 2020, actor=world.viewer)  # sees it, may not decide
    with pytest.raises(OutOfScope):
        grant(world, world.north, 2020, actor=world.s1_clerk)  # cannot see it
    assert not Title.objects.exists()
    assert grant(world, world.north, 2020, actor=world.hq_admin).pk


def test_a_grassroots_committee_recognizes_its_cells(world: World) -> None:
    rate_org(world.n1, 2020, E)
    assert grant(world, world.n1, 2020, actor=world.north_manager).pk
    rate_org(world.s1, 2020, E)
    with pytest.raises(OutOfScope):
        grant(world, world.s1, 2020, actor=world.north_manager)


def test_a_root_needs_a_superuser(world: World) -> None:
    rate_org(world.hq, 2020, E)
    with pytest.raises(NotPermitted):
        grant(world, world.hq, 2020, actor=world.hq_admin)
    assert grant(world, world.hq, 2020, actor=world.superuser).pk


# --- streaks ------------------------------------------------------------------------------


def test_streak_counts_consecutive_titled_years(world: World) -> None:
    titled(world.north, 2016, 2017, 2019, 2020)  # 2018: rated, not titled
    rate_org(world.north, 2018, G)
    for policy in ("break", "skip"):
        assert streak(organization=world.north, year=2020, policy=policy) == 2  # type: ignore[arg-type]
        assert streak_span(organization=world.north, year=2020, policy=policy) == (2019, 2020)  # type: ignore[arg-type]
    assert streak(organization=world.north, year=2017) == 2
    assert streak(organization=world.north, year=2018) == 0
    assert streak_span(organization=world.north, year=2018) is None
    assert streak(organization=world.south, year=2020) == 0


def test_an_unrated_year_breaks_or_is_skipped_by_policy(world: World) -> None:
    titled(world.north, 2015, 2016, 2018, 2019, 2020)
    rate_org(world.north, 2017, None, reason=NotRatedReason.FOUNDED_RECENTLY)
    assert streak(organization=world.north, year=2020) == 3
    assert streak_span(organization=world.north, year=2020) == (2018, 2020)
    assert streak(organization=world.north, year=2020, policy="skip") == 5
    assert streak_span(organization=world.north, year=2020, policy="skip") == (2015, 2020)
    # only a final "not rated" counts as unrated
    titled(world.south, 2018, 2020)
    rate_org(world.south, 2019, None, reason=NotRatedReason.FOUNDED_RECENTLY, state="proposed")
    assert streak(organization=world.south, year=2020, policy="skip") == 1


def test_a_streak_spans_the_change_from_hd27_to_qd132(world: World) -> None:
    for year in range(2015, 2020):  # TSVM under HD 27 in 2015–2017, HTXSNV in 2018–2019
        rate_org(world.n1, year, E)
        grant(world, world.n1, year, actor=world.north_manager)
    assert streak(organization=world.n1, year=2019) == 5
    assert streak_span(organization=world.n1, year=2019) == (2015, 2019)
    assert streak(organization=world.n1, year=2019, title="tsvm_exemplary") == 5
    assert AuditEvent.objects.filter(action="reviews.title.grant").count() == 5


def test_an_unknown_title_is_refused(world: World) -> None:
    with pytest.raises(DomainError, match="Không có danh hiệu"):
        streak(organization=world.north, year=2020, title="hero")


# --- who may be proposed ------------------------------------------------------------------


def test_eligible_are_grassroots_rated_htxsnv_without_the_title(world: World) -> None:
    west = org_services.organization_create(
        actor=world.superuser,
        parent=world.hq,
        code="WEST",
        name="Tổ chức WEST",
        kind=OrgKind.GRASSROOTS_CELL,
        valid_from=date(2015, 1, 1),
    )
    east = org_services.organization_create(
        actor=world.superuser,
        parent=world.hq,
        code="EAST",
        name="Tổ chức EAST",
        kind=OrgKind.GRASSROOTS_CELL,
        valid_from=date(2015, 1, 1),
    )
    rate_org(world.north, 2020, E)
    rate_org(world.south, 2020, E)
    rate_org(west, 2020, G)
    rate_org(east, 2020, E, state=RatingState.PROPOSED)
    rate_org(world.n1, 2020, E)  # a cell, not a grassroots organization
    rate_org(west, 2019, E)  # another year
    grant(world, world.north, 2020)
    assert list(eligible_for_exemplary(actor=world.viewer, organization=world.hq, year=2020)) == [
        world.south
    ]
    assert (
        list(eligible_for_exemplary(actor=world.north_manager, organization=world.north, year=2019))
        == []
    )
    rate_org(world.north, 2019, E)
    assert list(
        eligible_for_exemplary(actor=world.north_manager, organization=world.north, year=2019)
    ) == [world.north]
    with pytest.raises(OutOfScope):
        eligible_for_exemplary(actor=world.s1_clerk, organization=world.north, year=2020)


def test_members_with_five_htxsnv_years(world: World) -> None:
    years = range(2016, 2021)
    five = make_member(world.n1, "Năm năm liền")
    four = make_member(world.n1, "Bốn năm")
    last_good = make_member(world.n2, "Năm cuối HTTNV")
    proposed = make_member(world.n2, "Một năm chưa quyết định")
    moved = make_member(world.n1, "Chuyển về")
    southern = make_member(world.s1, "Miền nam")
    for year in years:
        rate_member(five, world.n1, world.north, year)
        rate_member(southern, world.s1, world.south, year)
        if year > 2016:
            rate_member(four, world.n1, world.north, year)
        rate_member(last_good, world.n2, world.north, year, G if year == 2020 else E)
        state = RatingState.PROPOSED if year == 2018 else RatingState.DECIDED
        rate_member(proposed, world.n2, world.north, year, state=state)
        cell, grassroots = (world.s1, world.south) if year < 2018 else (world.n1, world.north)
        rate_member(moved, cell, grassroots, year)
    rate_member(four, world.n1, world.north, 2015)  # outside the five years

    found = members_excellent_streak(actor=world.viewer, organization=world.hq, year=2020)
    with CaptureQueriesContext(connection) as queries:
        assert set(found) == {five, moved, southern}
    assert len(queries) == 1
    north = members_excellent_streak(actor=world.north_manager, organization=world.north, year=2020)
    assert set(north) == {five, moved}
    four_years = members_excellent_streak(
        actor=world.viewer, organization=world.hq, year=2020, length=4
    )
    assert set(four_years) == {five, four, moved, southern}
    in_2019 = members_excellent_streak(
        actor=world.viewer, organization=world.hq, year=2019, length=4
    )
    assert set(in_2019) == {five, last_good, moved, southern}
    with pytest.raises(OutOfScope):
        members_excellent_streak(actor=world.s1_clerk, organization=world.north, year=2020)
