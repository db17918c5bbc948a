"""The demo's annual reviews: the 2020 figures of the year-end report, the HTXSNV streak, the
quota, the reasons not to rate, 2021 in progress. Every figure is also counted here from the
``Rating`` rows, without the metrics.

The demo is loaded once per module (``demo`` in ``conftest.py``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from fractions import Fraction
from io import StringIO

from django.core.management import call_command
from django.db.models import Q

from dangvu.audit.models import AuditEvent
from dangvu.core.text import format_percent
from dangvu.demo.reviews import (
    HISTORY_YEARS,
    IN_PROGRESS_YEAR,
    REPORT_YEAR,
    STREAK_MEMBERS,
    STREAK_YEARS,
    review_date,
)
from dangvu.demo.services import LoadResult
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.metrics import registry
from dangvu.metrics.registry import Period
from dangvu.orgs.models import GRASSROOTS_KINDS, Organization
from dangvu.reviews.models import Rating
from dangvu.reviews.rules import NotRatedReason, rules_for

FINAL = ("decided", "locked")
GOOD_OR_ABOVE = ("excellent", "good")


def _final(year: int, kind: str) -> Q:
    return Q(year=year, subject_kind=kind, state__in=FINAL)


def _levels(condition: Q) -> Counter[str]:
    return Counter(
        Rating.objects.filter(condition).exclude(level="").values_list("level", flat=True)
    )


def _share(levels: Counter[str]) -> Fraction:
    return Fraction(sum(levels[level] for level in GOOD_OR_ABOVE), sum(levels.values()))


def test_the_2020_report_prints_its_shares(demo: LoadResult, db: None) -> None:
    root, period = Organization.objects.get(code="DUK"), Period.year(REPORT_YEAR)
    grassroots = registry.get("grassroots.rated_good_or_above.share").compute(root, period)
    members = registry.get("members.rated_good_or_above.share").compute(root, period)
    agencies = registry.get("agencies.rated_good_or_above.share").compute(root, period)
    assert format_percent(grassroots.value, 1) == "98,6%"
    assert format_percent(members.value, 2) == "98,35%"

    # The same figures from the rows.
    organizations = _levels(
        _final(REPORT_YEAR, "organization") & Q(rated_organization__kind__in=GRASSROOTS_KINDS)
    )
    assert organizations == {"excellent": 24, "good": 47, "completed": 1}
    assert organizations["excellent"] >= 19
    assert format_percent(_share(organizations), 1) == "98,6%"
    assert (grassroots.numerator, grassroots.denominator) == (71, 72)
    rated = _levels(_final(REPORT_YEAR, "member"))
    assert format_percent(_share(rated), 2) == "98,35%"
    assert members.numerator == rated["excellent"] + rated["good"]
    assert members.denominator == sum(rated.values())
    assert rated["completed"] > rated["not_completed"] > 0
    assert _levels(_final(REPORT_YEAR, "agency")) == {
        "excellent": 14,
        "good": 51,
        "completed": 3,
    }
    assert (agencies.numerator, agencies.denominator) == (65, 68)


def test_the_metrics_command_shows_numerator_and_denominator(demo: LoadResult, db: None) -> None:
    out = StringIO()
    call_command(
        "metrics",
        "members.rated_good_or_above.share",
        org="DUK",
        year=REPORT_YEAR,
        json=True,
        stdout=out,
    )
    payload = json.loads(out.getvalue())
    numerator, denominator = payload["numerator"], payload["denominator"]
    assert format_percent(Fraction(numerator, denominator), 2) == "98,35%"
    assert abs(payload["value"] - numerator / denominator) < 1e-6
    rated = _levels(_final(REPORT_YEAR, "member"))
    assert (numerator, denominator) == (rated["excellent"] + rated["good"], sum(rated.values()))


def test_forty_members_are_htxsnv_every_year_2016_2020(demo: LoadResult, db: None) -> None:
    excellent = Rating.objects.filter(
        subject_kind="member", state__in=FINAL, level="excellent", year__in=STREAK_YEARS
    ).values_list("member_id", "year")
    years: dict[int, set[int]] = defaultdict(set)
    for member_id, year in excellent:
        years[member_id].add(year)
    streak = {m for m, ys in years.items() if ys == set(STREAK_YEARS)}
    assert len(streak) == STREAK_MEMBERS == 40
    disciplined = Rating.objects.filter(member_id__in=streak, facts__disciplined_in_year=True)
    assert not disciplined.exists()
    # The other HTXSNV members change from year to year.
    for year in STREAK_YEARS:
        count = sum(year in ys for ys in years.values())
        assert count > 10 * STREAK_MEMBERS
    assert len(years) > 1_000


def test_the_htxsnv_quota_holds_in_every_grassroots_organization(
    demo: LoadResult, db: None
) -> None:
    counts: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    rows = Rating.objects.filter(
        subject_kind="member", state__in=FINAL, level__in=GOOD_OR_ABOVE
    ).values_list("year", "grassroots_id", "level")
    for year, grassroots_id, level in rows:
        counts[(year, grassroots_id)][level] += 1
    assert {year for year, _ in counts} == set(STREAK_YEARS)
    for (year, grassroots_id), levels in counts.items():
        assert 5 * levels["excellent"] <= levels["good"], (year, grassroots_id, levels)
    for year in HISTORY_YEARS:
        assert 0.965 <= _share(_levels(_final(year, "member"))) <= 0.985, year


def test_the_reasons_not_to_rate_come_from_the_registry(demo: LoadResult, db: None) -> None:
    for year in (HISTORY_YEARS[0], REPORT_YEAR):
        rules, day = rules_for(year), review_date(year)
        ratings = Rating.objects.filter(year=year, subject_kind="member").select_related("member")
        not_rated = list(ratings.exclude(not_rated_reason=""))
        reasons = Counter(r.not_rated_reason for r in not_rated)
        assert reasons[NotRatedReason.ADMITTED_RECENTLY.value] > 30
        assert reasons[NotRatedReason.EXEMPT.value] >= 1
        sample = [r for r in not_rated if r.not_rated_reason == NotRatedReason.EXEMPT.value]
        sample += not_rated[:10] + list(ratings.filter(not_rated_reason="")[:10])
        for rating in sample:
            member: Member = rating.member
            events = MemberEvent.objects.filter(member=member, date__lte=day).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day)
            )
            reason = rules.not_rated_reason(
                review_date=day,
                exempted=events.filter(kind=EventKind.EXEMPTED).exists(),
                suspended=events.filter(kind=EventKind.SUSPENDED).exists(),
                admitted_on=member.readmitted_on or member.admitted_on,
            )
            assert rating.not_rated_reason == (reason.value if reason else ""), member
            assert bool(rating.level) == (reason is None)


def test_2020_went_through_the_workflow_and_2021_is_in_progress(demo: LoadResult, db: None) -> None:
    assert set(Rating.objects.filter(year=REPORT_YEAR).values_list("state", flat=True)) == {
        "decided"
    }
    rating = Rating.objects.filter(year=REPORT_YEAR, subject_kind="member").first()
    assert rating is not None and rating.version == 3
    actions = AuditEvent.objects.filter(target_type="reviews.rating", target_id=str(rating.pk))
    assert sorted(actions.values_list("action", flat=True)) == [
        "reviews.rating.decide",
        "reviews.rating.propose",
        "reviews.rating.set",
    ]

    in_progress = Rating.objects.filter(year=IN_PROGRESS_YEAR)
    states = Counter(in_progress.values_list("state", flat=True))
    assert set(states) == {"draft", "proposed"}
    cells = set(in_progress.values_list("organization_id", flat=True))
    assert 5 <= len(cells) <= 20
    root = Organization.objects.get(code="DUK")
    figure = registry.get("members.rated_good_or_above.share").compute(
        root, Period.year(IN_PROGRESS_YEAR)
    )
    assert figure.denominator == 0  # nothing decided yet
