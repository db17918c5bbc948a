"""The review metrics: figures per level and shares over rated subjects, rolled up over the tree
from the ratings' snapshots, equal to an independent count, with their drill-down and the CLI."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.testing import SETUP, World
from dangvu.core.text import format_percent
from dangvu.members.models import Member
from dangvu.members.tests.factories import make_member
from dangvu.metrics import registry
from dangvu.metrics.registry import Period, Value
from dangvu.orgs import services as org_services
from dangvu.orgs.models import GRASSROOTS_KINDS, Agency, Organization, OrgKind
from dangvu.reviews.models import FINAL_STATES, Rating, RatingState
from dangvu.reviews.rules import Level, NotRatedReason, SubjectKind

YEAR = 2020
PERIOD = Period.year(YEAR)
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = (
    Level.EXCELLENT,
    Level.GOOD,
    Level.COMPLETED,
    Level.NOT_COMPLETED,
)
MEMBER_KEYS = (
    "members.rating.count",
    "members.rated_good_or_above.share",
    "members.excellent.share",
    "members.not_rated.count",
)
ALL_KEYS = (
    *MEMBER_KEYS,
    "grassroots.rated_good_or_above.share",
    "agencies.rated_good_or_above.share",
)


def _grassroots_of(org: Organization) -> Organization | None:
    if org.is_grassroots:
        return org
    return next(
        (
            a
            for a in reversed(list(Organization.objects.get_ancestors(org)))
            if a.kind in GRASSROOTS_KINDS
        ),
        None,
    )


def rate_member(
    member: Member,
    organization: Organization,
    level: Level | None = None,
    *,
    reason: NotRatedReason | None = None,
    state: str = RatingState.DECIDED,
    year: int = YEAR,
) -> Rating:
    """A member's rating, recorded for ``organization`` (the member's cell that year)."""
    return Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.MEMBER.value,
        member=member,
        organization=organization,
        path=organization.path,
        grassroots=_grassroots_of(organization),
        level=level.value if level else "",
        not_rated_reason=reason.value if reason else "",
        state=state,
    )


def rate_organization(
    org: Organization, level: Level, *, state: str = RatingState.DECIDED, year: int = YEAR
) -> Rating:
    return Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.ORGANIZATION.value,
        rated_organization=org,
        organization=org,
        path=org.path,
        grassroots=_grassroots_of(org),
        level=level.value,
        state=state,
    )


def rate_agency(
    agency: Agency, level: Level, *, state: str = RatingState.DECIDED, year: int = YEAR
) -> Rating:
    leading = agency.organization
    return Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.AGENCY.value,
        agency=agency,
        organization=leading,
        path=leading.path,
        grassroots=leading,
        level=level.value,
        state=state,
    )


def make_agency(org: Organization, code: str) -> Agency:
    return org_services.agency_create(
        actor=SETUP,
        organization=org,
        code=code,
        name=f"Cơ quan {code}",
        valid_from=date(2015, 1, 1),
    )


def make_org(world: World, parent: Organization, code: str, kind: str) -> Organization:
    return org_services.organization_create(
        actor=world.superuser,
        parent=parent,
        code=code,
        name=f"Tổ chức {code}",
        kind=kind,
        valid_from=date(2015, 1, 1),
    )


# --- the independent computation -----------------------------------------------------------


def expected_rows(key: str, org: Organization, year: int = YEAR) -> list[Rating]:
    """The ratings behind ``key`` for ``org``, chosen in Python from every rating."""
    org.refresh_from_db()
    rows = []
    for r in Rating.objects.select_related("organization", "rated_organization"):
        if r.year != year or r.state not in FINAL_STATES:
            continue
        if not r.organization.path.startswith(org.path):
            continue
        if key == "members.not_rated.count":
            if r.subject_kind == "member" and r.not_rated_reason:
                rows.append(r)
            continue
        if not r.level:
            continue
        kind = key.split(".")[0]
        is_grassroots = (
            r.rated_organization is not None and r.rated_organization.kind in GRASSROOTS_KINDS
        )
        wanted = {
            "members": r.subject_kind == "member",
            "grassroots": r.subject_kind == "organization" and is_grassroots,
            "agencies": r.subject_kind == "agency",
        }
        if wanted[kind]:
            rows.append(r)
    return rows


def expected_value(key: str, org: Organization, year: int = YEAR) -> Value:
    rows = expected_rows(key, org, year)
    if key == "members.rating.count":
        levels = {level.code: sum(r.level == level.value for r in rows) for level in Level}
        return Value(len(rows), breakdown=levels)
    if key == "members.not_rated.count":
        reasons = {
            reason.value: sum(r.not_rated_reason == reason.value for r in rows)
            for reason in NotRatedReason
        }
        return Value(len(rows), breakdown=reasons)
    wanted = {"excellent"} if key == "members.excellent.share" else {"excellent", "good"}
    return Value.share(sum(r.level in wanted for r in rows), len(rows))


# --- the scenario --------------------------------------------------------------------------


@dataclass
class Scenario:
    west: Organization  # a grassroots cell directly under HQ
    counted: list[Rating]  # the final member ratings with a level in 2020


@pytest.fixture
def scenario(world: World) -> Scenario:
    """In 2020: NORTH 4 members rated final (HTXSNV, HTTNV, HTTNV, HTNV), one draft, one
    proposed, one not rated (admitted recently); SOUTH 2 rated (HTXSNV, KHTNV) and one
    suspended; grassroots NORTH HTTNV, SOUTH HTXSNV, WEST HTNV (and the cell N1, not counted);
    agencies: NORTH's HTXSNV and HTNV, SOUTH's HTTNV (and a draft)."""
    west = make_org(world, world.hq, "WEST", OrgKind.GRASSROOTS_CELL)
    m = [make_member(world.n1, f"Đảng viên Bắc {i}") for i in range(3)]
    m += [make_member(world.n2, f"Đảng viên Bắc {i}") for i in range(3, 7)]
    s = [make_member(world.s1, f"Đảng viên Nam {i}") for i in range(3)]
    # A member now in N1 who was in S1 in 2020: the rating's snapshot decides.
    moved = make_member(world.n1, "Người đã chuyển")
    counted = [
        rate_member(m[0], world.n1, EXCELLENT),
        rate_member(m[1], world.n1, GOOD, state=RatingState.LOCKED),
        rate_member(m[2], world.n1, GOOD),
        rate_member(m[3], world.n2, COMPLETED),
        rate_member(s[0], world.s1, NOT_COMPLETED),
        rate_member(moved, world.s1, EXCELLENT, state=RatingState.LOCKED),
    ]
    rate_member(m[4], world.n2, GOOD, state=RatingState.DRAFT)
    rate_member(m[5], world.n2, EXCELLENT, state=RatingState.PROPOSED)
    rate_member(m[6], world.n2, reason=NotRatedReason.ADMITTED_RECENTLY)
    rate_member(s[1], world.s1, reason=NotRatedReason.SUSPENDED, state=RatingState.LOCKED)
    rate_member(s[2], world.s1, reason=NotRatedReason.EXEMPT, state=RatingState.DRAFT)
    # Other years do not count in 2020.
    rate_member(m[0], world.n1, NOT_COMPLETED, year=2019)
    rate_member(s[2], world.s1, GOOD, year=2021)

    rate_organization(world.north, GOOD)
    rate_organization(world.south, EXCELLENT, state=RatingState.LOCKED)
    rate_organization(west, COMPLETED)
    rate_organization(world.n1, EXCELLENT)  # a subordinate cell: not a grassroots organization
    rate_organization(world.n2, NOT_COMPLETED, state=RatingState.PROPOSED)
    rate_organization(world.north, NOT_COMPLETED, year=2019)

    rate_agency(make_agency(world.north, "A1"), EXCELLENT)
    rate_agency(make_agency(world.north, "A2"), COMPLETED)
    rate_agency(make_agency(world.south, "A3"), GOOD, state=RatingState.LOCKED)
    rate_agency(make_agency(world.south, "A4"), NOT_COMPLETED, state=RatingState.DRAFT)
    return Scenario(west=west, counted=counted)


def _value(key: str, org: Organization) -> Value:
    return registry.get(key).compute(org, PERIOD)


def test_member_counts_per_level_and_not_rated_by_reason(world: World, scenario: Scenario) -> None:
    count = "members.rating.count"
    assert _value(count, world.hq) == Value(
        6, breakdown={"HTXSNV": 2, "HTTNV": 2, "HTNV": 1, "KHTNV": 1}
    )
    assert _value(count, world.north) == Value(
        4, breakdown={"HTXSNV": 1, "HTTNV": 2, "HTNV": 1, "KHTNV": 0}
    )
    assert _value(count, world.n1).breakdown == {"HTXSNV": 1, "HTTNV": 2, "HTNV": 0, "KHTNV": 0}
    assert _value(count, world.s1).breakdown == {"HTXSNV": 1, "HTTNV": 0, "HTNV": 0, "KHTNV": 1}
    assert _value(count, scenario.west) == Value(
        0, breakdown={"HTXSNV": 0, "HTTNV": 0, "HTNV": 0, "KHTNV": 0}
    )
    not_rated = "members.not_rated.count"
    assert _value(not_rated, world.hq) == Value(
        2,
        breakdown={
            "exempt": 0,
            "suspended": 1,
            "admitted_recently": 1,
            "founded_recently": 0,
        },
    )
    assert _value(not_rated, world.north).value == 1
    assert _value(not_rated, world.n1).value == 0
    assert _value(not_rated, world.s1).breakdown == {
        "exempt": 0,
        "suspended": 1,
        "admitted_recently": 0,
        "founded_recently": 0,
    }


def test_member_shares_are_over_rated_members(world: World, scenario: Scenario) -> None:
    good = "members.rated_good_or_above.share"
    excellent = "members.excellent.share"
    assert _value(good, world.hq) == Value.share(4, 6)
    assert (_value(good, world.north).numerator, _value(good, world.north).denominator) == (3, 4)
    assert _value(good, world.north).value == Decimal("0.75")
    assert _value(good, world.n1).value == 1
    assert _value(good, world.s1) == Value.share(1, 2)
    assert _value(excellent, world.hq) == Value.share(2, 6)
    assert _value(excellent, world.north) == Value.share(1, 4)
    assert _value(excellent, world.n1) == Value.share(1, 3)
    assert _value(excellent, world.s1) == Value.share(1, 2)
    # No rated member: no share rather than 0%.
    assert _value(good, scenario.west) == Value(None, 0, 0)


def test_grassroots_share_counts_grassroots_organizations_only(
    world: World, scenario: Scenario
) -> None:
    key = "grassroots.rated_good_or_above.share"
    assert _value(key, world.hq) == Value.share(2, 3)  # NORTH, SOUTH of NORTH, SOUTH, WEST
    assert _value(key, world.north) == Value.share(1, 1)
    assert _value(key, world.south) == Value.share(1, 1)
    assert _value(key, scenario.west) == Value.share(0, 1)
    assert _value(key, world.n1) == Value(None, 0, 0)  # the cell's own rating is not counted
    assert {r.rated_organization for r in registry.get(key).drilldown(world.hq, PERIOD)} == {
        world.north,
        world.south,
        scenario.west,
    }


def test_agency_share_is_counted_at_the_leading_organization(
    world: World, scenario: Scenario
) -> None:
    key = "agencies.rated_good_or_above.share"
    assert _value(key, world.hq) == Value.share(2, 3)
    assert _value(key, world.north) == Value.share(1, 2)
    assert _value(key, world.south) == Value.share(1, 1)
    assert _value(key, world.n1) == Value(None, 0, 0)
    assert [r.agency.code for r in registry.get(key).drilldown(world.hq, PERIOD)] == [
        "A1",
        "A2",
        "A3",
    ]


def test_every_figure_equals_an_independent_count(world: World, scenario: Scenario) -> None:
    orgs = list(Organization.objects.filter(path__startswith=world.hq.path))
    assert len(orgs) == 7
    for key in ALL_KEYS:
        rolled = registry.get(key).rollup(world.hq, PERIOD)
        assert set(rolled) == {o.pk for o in orgs}
        for org in orgs:
            assert rolled[org.pk] == expected_value(key, org), (key, org.code)
            # a subtree's own rollup agrees with the whole tree's
            assert registry.get(key).compute(org, PERIOD) == rolled[org.pk], (key, org.code)


def test_drilldown_lists_exactly_the_ratings_counted(world: World, scenario: Scenario) -> None:
    for key in ALL_KEYS:
        metric = registry.get(key)
        for org in (world.hq, world.north, world.n1, world.s1, scenario.west):
            rows = list(metric.drilldown(org, PERIOD))
            assert sorted(r.pk for r in rows) == sorted(r.pk for r in expected_rows(key, org))
            value = metric.compute(org, PERIOD)
            assert len(rows) == (
                value.denominator if value.denominator is not None else value.value
            )
    rated = registry.get("members.rated_good_or_above.share").drilldown(world.hq, PERIOD)
    assert {r.pk for r in rated} == {r.pk for r in scenario.counted}
    assert sum(r.level in {"excellent", "good"} for r in rated) == 4
    # the member who moved is behind S1's figure, where he was rated
    s1_members = {r.member.full_name for r in rated.filter(organization=world.s1)}
    assert "Người đã chuyển" in s1_members


def test_year_is_the_period_end_year(world: World, scenario: Scenario) -> None:
    key = "members.rating.count"
    assert registry.get(key).compute(world.n1, Period.year(2019)).value == 1
    assert registry.get(key).compute(world.s1, Period.year(2021)).value == 1
    assert registry.get(key).compute(world.hq, Period.day(date(2020, 6, 30))).value == 6
    assert registry.get(key).compute(world.hq, Period.year(2018)).value == 0


def test_share_of_a_report_rounds_as_printed(world: World) -> None:
    value = Value.share(4170, 4240)
    assert (value.numerator, value.denominator) == (4170, 4240)
    assert value.value is not None
    assert format_percent(value.value) == "98,35%"
    assert format_percent(Value.share(986, 1000).value or 0, 1) == "98,6%"
    # the same figure computed from ratings: 59 of 60 members HTTNV or above
    members = [make_member(world.n1, f"Đảng viên {i}") for i in range(60)]
    for i, member in enumerate(members):
        rate_member(member, world.n1, COMPLETED if i == 0 else GOOD)
    share = _value("members.rated_good_or_above.share", world.hq)
    assert (share.numerator, share.denominator) == (59, 60)
    assert share.value is not None
    assert format_percent(share.value) == "98,33%"


def test_rollup_matches_an_independent_count_on_a_random_roll(world: World) -> None:
    rng = random.Random(11)
    cells = [world.n1, world.n2, world.s1]
    states = [*FINAL_STATES, RatingState.DRAFT, RatingState.PROPOSED]
    for i in range(30):
        cell = rng.choice(cells)
        member = make_member(cell, f"Đảng viên {i}")
        if rng.random() < 0.15:
            rate_member(
                member,
                rng.choice(cells),
                reason=rng.choice(list(NotRatedReason)),
                state=rng.choice(states),
            )
        else:
            rate_member(
                member, rng.choice(cells), rng.choice(list(Level)), state=rng.choice(states)
            )
    orgs = list(Organization.objects.filter(path__startswith=world.hq.path))
    for key in MEMBER_KEYS:
        rolled = registry.get(key).rollup(world.hq, PERIOD)
        for org in orgs:
            assert rolled[org.pk] == expected_value(key, org), (key, org.code)


def test_rollups_take_the_same_number_of_queries_for_any_tree_size(
    world: World, scenario: Scenario
) -> None:
    def queries() -> dict[str, int]:
        counts = {}
        for key in ALL_KEYS:
            with CaptureQueriesContext(connection) as captured:
                registry.get(key).rollup(world.hq, PERIOD)
            counts[key] = len(captured)
        return counts

    small = queries()
    # grow the tree: ten grassroots cells, each with a rated member, a rating and an agency
    for i in range(10):
        cell = make_org(world, world.south, f"S{i + 2}", OrgKind.CELL)
        rate_member(make_member(cell, f"Người {i}"), cell, GOOD)
        grassroots = make_org(world, world.hq, f"G{i}", OrgKind.GRASSROOTS_CELL)
        rate_organization(grassroots, GOOD)
        rate_agency(make_agency(grassroots, f"AG{i}"), EXCELLENT)
    large = queries()
    assert large == small
    # one grouped query, then one paths query per rolled-up column
    assert small["members.rated_good_or_above.share"] == 3
    assert small["members.rating.count"] == 1 + len(Level)
    assert _value("grassroots.rated_good_or_above.share", world.hq) == Value.share(12, 13)


def test_metrics_command_prints_share_with_numerator_and_denominator(
    world: World, scenario: Scenario
) -> None:
    out = StringIO()
    call_command(
        "metrics",
        "members.rated_good_or_above.share",
        "--org",
        "HQ",
        "--year",
        "2020",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {
        "key": "members.rated_good_or_above.share",
        "org": "HQ",
        "period": "năm 2020",
        "value": 0.666667,
        "numerator": 4,
        "denominator": 6,
    }
    out = StringIO()
    call_command(
        "metrics", "members.rating.count", "--org", "NORTH", "--year", "2020", "--json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload["value"] == 4
    assert payload["breakdown"] == {"HTXSNV": 1, "HTTNV": 2, "HTNV": 1, "KHTNV": 0}
    out = StringIO()
    call_command(
        "metrics",
        "grassroots.rated_good_or_above.share",
        "--org",
        "HQ",
        "--year",
        "2020",
        stdout=out,
    )
    assert out.getvalue().strip() == (
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên — Tổ chức HQ, năm 2020: "
        f"{format_percent(Decimal(2) / 3)} (2/3)"
    )


def test_all_review_metrics_are_registered() -> None:
    assert set(ALL_KEYS) <= set(registry.all_keys())
