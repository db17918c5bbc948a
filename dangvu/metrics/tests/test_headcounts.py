"""Head-count metrics as of a date, their roll-up over the tree, drill-down, and the command."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.testing import World
from dangvu.members import services
from dangvu.members.choices import EventKind
from dangvu.members.models import Stint
from dangvu.members.tests.factories import make_member
from dangvu.metrics import registry
from dangvu.metrics.registry import Period, Value
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organization


def _count(key: str, org: Organization, day: date) -> Any:
    return registry.get(key).compute(org, Period.day(day)).value


def test_counts_follow_transfers_exits_and_recognition(world: World) -> None:
    # given: two full members in N1, one probationary in S1
    a = make_member(
        world.n1, "Nguyễn Văn An", admitted_on=date(2010, 1, 5), recognized_on=date(2011, 1, 10)
    )
    make_member(
        world.n1, "Trần Văn Bình", admitted_on=date(2012, 1, 5), recognized_on=date(2013, 1, 10)
    )
    c = make_member(
        world.s1,
        "Lê Thị Châu",
        gender="F",
        birth_date=date(1995, 1, 1),
        admitted_on=date(2020, 5, 19),
        recognized_on=None,
    )
    day = date(2020, 12, 31)
    assert [
        _count("members.count", o, day)
        for o in (world.hq, world.north, world.n1, world.n2, world.s1)
    ] == [3, 2, 2, 0, 1]
    assert _count("members.full.count", world.hq, day) == 2
    assert _count("members.probationary.count", world.hq, day) == 1
    # when: A moves from N1 to S1 (in transit 5 Jan – 20 Jan 2021), C is recognized, and B dies
    transfer, _ = services.transfer_out(
        actor=world.hq_admin,
        member=a,
        effective_on=date(2021, 1, 4),
        letter_date=date(2021, 1, 5),
        to_organization=world.s1,
    )
    services.transfer_receive(
        actor=world.hq_admin, transfer=transfer, presented_on=date(2021, 1, 20)
    )
    services.event_record(
        actor=world.hq_admin, member=c, kind=EventKind.RECOGNIZED, date=date(2021, 5, 20)
    )
    b = world.n1.members.get(full_name="Trần Văn Bình")
    services.event_record(
        actor=world.hq_admin, member=b, kind=EventKind.DIED, date=date(2021, 3, 1)
    )
    # then: each day answers with the tree as it was
    assert _count("members.count", world.hq, date(2021, 1, 4)) == 3
    assert _count("members.count", world.hq, date(2021, 1, 10)) == 2  # A in transit
    assert _count("members.count", world.s1, date(2021, 1, 20)) == 2
    assert _count("members.count", world.n1, date(2021, 1, 20)) == 1
    assert _count("members.count", world.hq, date(2021, 3, 1)) == 2  # B died that day
    assert _count("members.probationary.count", world.hq, date(2021, 5, 19)) == 1
    assert _count("members.full.count", world.hq, date(2021, 5, 20)) == 2
    # the past is unchanged
    assert _count("members.count", world.n1, day) == 2


def test_a_year_is_counted_on_its_last_day(world: World) -> None:
    make_member(
        world.n2, admitted_on=date(2020, 12, 31), joined_on=date(2020, 12, 31), recognized_on=None
    )
    assert registry.get("members.count").compute(world.hq, Period.year(2020)) == Value(1)
    assert registry.get("members.count").compute(world.hq, Period.year(2019)) == Value(0)


def test_rollup_equals_an_independent_count_on_a_random_roll(world: World) -> None:
    rng = random.Random(7)
    cells = [world.n1, world.n2, world.s1]
    for i in range(40):
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(4000))
        member = make_member(
            rng.choice(cells),
            f"Đảng viên {i}",
            birth_date=date(1970 + rng.randrange(20), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            admitted_on=start,
            recognized_on=start + timedelta(days=380) if rng.random() < 0.8 else None,
        )
        if rng.random() < 0.2:
            services.event_record(
                actor=world.hq_admin,
                member=member,
                kind=EventKind.LEFT,
                date=start + timedelta(days=500),
            )
    for day in (date(2012, 6, 30), date(2015, 12, 31), date(2020, 12, 31)):
        rolled = registry.get("members.count").rollup(world.hq, Period.day(day))
        for org in Organization.objects.filter(path__startswith=world.hq.path):
            stints = Stint.objects.filter(organization__path__startswith=org.path)
            expected = sum(1 for s in stints if s.covers(day))
            assert rolled[org.pk].value == expected, (org.code, day)


def test_rollup_takes_the_same_number_of_queries_for_any_tree_size(world: World) -> None:
    make_member(world.n1)
    metric = registry.get("members.full.count")
    with CaptureQueriesContext(connection) as small:
        metric.rollup(world.hq, Period.year(2020))
    # grow the tree: ten more cells with members
    for i in range(10):
        cell = org_services.organization_create(
            actor=world.superuser,
            parent=world.south,
            code=f"S{i + 2}",
            name=f"Chi bộ {i}",
            kind="cell",
            valid_from=date(2000, 1, 1),
        )
        make_member(cell, f"Người {i}")
    with CaptureQueriesContext(connection) as large:
        metric.rollup(world.hq, Period.year(2020))
    assert len(large) == len(small) <= 3


def test_drilldown_lists_exactly_the_stints_behind_the_number(world: World) -> None:
    make_member(world.n1, "Nguyễn Văn An")
    make_member(world.n2, "Vũ Thị Hà", gender="F", recognized_on=None, admitted_on=date(2020, 6, 1))
    period = Period.year(2020)
    for key in ("members.count", "members.full.count", "members.probationary.count"):
        metric = registry.get(key)
        rows = list(metric.drilldown(world.north, period))
        assert len(rows) == metric.compute(world.north, period).value
    names = [
        s.member.full_name for s in registry.get("members.count").drilldown(world.north, period)
    ]
    assert names == ["Nguyễn Văn An", "Vũ Thị Hà"]  # given names: An before Hà


def test_metrics_command_prints_json(world: World) -> None:
    make_member(world.n1)
    out = StringIO()
    call_command("metrics", "members.count", "--org", "HQ", "--year", "2020", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "key": "members.count",
        "org": "HQ",
        "period": "năm 2020",
        "value": 1,
        "numerator": None,
        "denominator": None,
    }
    out = StringIO()
    call_command(
        "metrics", "members.full.count", "--org", "NORTH", "--date", "2020-06-30", stdout=out
    )
    assert out.getvalue().strip() == "Số đảng viên chính thức — Tổ chức NORTH, 30/06/2020: 1"


def test_metrics_command_refuses_unknown_keys_and_codes(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có chỉ số"):
        call_command("metrics", "members.nope", "--org", "HQ", "--year", "2020")
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("metrics", "members.count", "--org", "XX", "--year", "2020")


def test_shares_keep_numerator_and_denominator() -> None:
    value = Value.share(4170, 4240)
    assert (value.numerator, value.denominator) == (4170, 4240)
    assert f"{value.value:.4f}" == "0.9835"
    assert Value.share(0, 0).value is None
