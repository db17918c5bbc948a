"""The demo bloc's annual reviews: every member, organization and agency rated for 2016–2020,
and the review of 2021 in progress.

**Planned from the registry.** Who is rated each year, where (the cell on the review date and
its grassroots organization) and who is not rated, with the reason, come from the members the
member loader recorded: ``rules_for(year).not_rated_reason`` reads their exemption and
suspension events and admission dates, exactly as ``rating_set`` does. The levels are then
drawn with a seeded generator (``plan_reviews`` is pure over those facts), so that:

- 2020 prints what the year-end report states (demo-scenario.md, "2020 review"): 71 of the 72
  grassroots organizations rated HTTNV or above (24 HTXSNV, 47 HTTNV, 1 HTNV: 98,6%), and as many
  members rated HTTNV or above as make the share print ``MEMBERS_SHARE_2020`` (98,35%) over the
  members actually rated; agencies 65 of 68;
- the same ``STREAK_MEMBERS`` (40) members are rated HTXSNV every year 2016–2020, and nobody
  else all five years; one cell (``STREAK_CELL``) is rated HTXSNV every year;
- other years: about 97–98% of the members HTTNV or above, HTXSNV rising from 12% to 15%;
- in every year and every grassroots organization, HTXSNV members are at most 20% of the HTTNV
  members (HD 21's quota, kept in the HD 27 years too);
- 2021: the members of a few cells rated in draft, and of a few more proposed.

**Written through the review services where it is affordable.** A rating through
``rating_set`` costs about 6 ms on SQLite, and ``rating_propose`` with ``rating_decide``
another 1.5 ms: 2020 and 2021 (some 5,000 ratings) go that way, proposed per cell and decided
per grassroots organization (so the decision checks the quota), all audited. The 2016–2019
reviews (some 17,000 ratings) would add two minutes that way; they are taken over as history
instead, the way a committee's past spreadsheets would be: the same snapshot and reasons, the
year's rule set checking every level (``check_not_rated``, ``check_member_level``,
``check_collective_level``) and every quota group (``check_quota``) before anything is written,
the ratings stored decided, and one audit event per grassroots organization and year.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

from django.utils import timezone

from dangvu.access.scope import Actor
from dangvu.audit.services import record
from dangvu.core.rules import enforce
from dangvu.core.text import format_percent
from dangvu.demo.bloc import SEED
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent, Stint
from dangvu.orgs.models import GRASSROOTS_KINDS, Agency, Organization, OrgKind
from dangvu.reviews import services as review_services
from dangvu.reviews.models import Rating, RatingState
from dangvu.reviews.rules import (
    CollectiveFacts,
    Level,
    MemberFacts,
    NotRatedReason,
    SubjectKind,
    rules_for,
)

REVIEW_SEED = SEED + 2
HISTORY_YEARS = (2016, 2017, 2018, 2019)  # taken over in bulk
REPORT_YEAR = 2020  # through the services, decided
IN_PROGRESS_YEAR = 2021  # through the services, draft or proposed
STREAK_YEARS = (*HISTORY_YEARS, REPORT_YEAR)
STREAK_MEMBERS = 40
MEMBERS_SHARE_2020 = "98,35%"  # format_percent(share, 2)
GRASSROOTS_2020 = {Level.EXCELLENT: 24, Level.GOOD: 47, Level.COMPLETED: 1}
AGENCIES_2020 = {Level.EXCELLENT: 14, Level.GOOD: 51, Level.COMPLETED: 3}
# The cell rated HTXSNV every year (grassroots organization, cell): the persona "chibo"'s.
STREAK_CELL = ("Đảng bộ Sở Tài chính", "Chi bộ Văn phòng")
# Members, a year: share rated below HTTNV (2020: from MEMBERS_SHARE_2020), share of those
# KHTNV, share of the HTTNV-or-above rated HTXSNV.
MEMBER_MIX: dict[int, tuple[float, float, float]] = {
    2016: (0.027, 0.15, 0.120),
    2017: (0.024, 0.14, 0.127),
    2018: (0.022, 0.13, 0.134),
    2019: (0.019, 0.12, 0.141),
    2020: (0.0165, 8 / 70, 612 / 4170),
    2021: (0.016, 0.10, 0.150),
}
# Organizations other than grassroots ones (cells, partial committees), and grassroots ones and
# agencies outside 2020: share HTXSNV, share HTNV.
COLLECTIVE_MIX = {2016: (0.20, 0.04), 2017: (0.22, 0.03), 2018: (0.24, 0.03), 2019: (0.26, 0.02)}
IN_PROGRESS_CELLS = 12  # 2021: half in draft, half proposed
QUOTA_SHARE = Fraction(1, 5)  # HD 21: HTXSNV ≤ 20% of HTTNV within a grassroots organization
HISTORY_SOURCE = "Dữ liệu mẫu: kết quả xếp loại chất lượng năm {year} (tiếp nhận từ hồ sơ)"


def review_date(year: int) -> date:
    """The day of the year's review, as ``rating_set`` takes it by default."""
    return date(year, 12, 15)


@dataclass(frozen=True)
class Entry:
    """One subject of one year's review: where it stood and why it is not rated, if so."""

    kind: SubjectKind
    pk: int  # of the member, the rated organization or the agency
    organization: Organization  # the member's cell, the organization, the agency's leader
    grassroots: Organization
    reason: NotRatedReason | None


@dataclass
class YearPlan:
    year: int
    members: list[Entry]
    organizations: list[Entry]
    agencies: list[Entry]
    levels: dict[tuple[SubjectKind, int], Level]

    def level(self, entry: Entry) -> Level | None:
        return self.levels.get((entry.kind, entry.pk))


# --- the registry's facts -----------------------------------------------------------------


class Facts:
    """What the plan reads from the registry, in a few queries."""

    def __init__(self, root: Organization) -> None:
        orgs = list(
            Organization.objects.unscoped().filter(path__startswith=root.path).order_by("path")
        )
        self.orgs = {o.pk: o for o in orgs}
        by_path = {o.path: o for o in orgs}
        step = Organization.steplen
        self.grassroots: dict[int, Organization | None] = {}
        for org in orgs:
            found = None
            for end in range(step, len(org.path) + 1, step):
                above = by_path.get(org.path[:end])
                if above is not None and above.kind in GRASSROOTS_KINDS:
                    found = above  # the deepest, as reviews.services.grassroots_of
            self.grassroots[org.pk] = found
        self.stints: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        for member_id, org_id, start, end in (
            Stint.objects.unscoped()
            .filter(organization__path__startswith=root.path)
            .order_by("member", "start", "id")
            .values_list("member_id", "organization_id", "start", "end")
        ):
            self.stints[member_id].append((org_id, start, end))
        self.admitted = {
            pk: readmitted or admitted
            for pk, admitted, readmitted in Member.objects.unscoped()
            .filter(pk__in=list(self.stints))
            .values_list("pk", "admitted_on", "readmitted_on")
        }
        self.events: dict[tuple[int, str], list[tuple[date, date | None]]] = defaultdict(list)
        for member_id, kind, day, end in (
            MemberEvent.objects.unscoped()
            .filter(
                member_id__in=list(self.stints),
                kind__in=[EventKind.EXEMPTED, EventKind.SUSPENDED],
            )
            .values_list("member_id", "kind", "date", "end_date")
        ):
            self.events[(member_id, kind)].append((day, end))
        self.agencies = list(
            Agency.objects.unscoped()
            .filter(organization__path__startswith=root.path)
            .select_related("organization")
            .order_by("code")
        )

    def cell_on(self, member_id: int, day: date) -> int | None:
        for org_id, start, end in self.stints[member_id]:
            if start <= day and (end is None or end > day):
                return org_id
        return None

    def has_event(self, member_id: int, kind: str, day: date) -> bool:
        return any(
            start <= day and (end is None or end >= day)
            for start, end in self.events.get((member_id, kind), ())
        )

    def entries(self, year: int) -> tuple[list[Entry], list[Entry], list[Entry]]:
        """The members, organizations and agencies of the year's review."""
        rules, day = rules_for(year), review_date(year)
        members = []
        for member_id in sorted(self.stints):
            cell_id = self.cell_on(member_id, day)
            if cell_id is None:
                continue
            reason = rules.not_rated_reason(
                review_date=day,
                exempted=self.has_event(member_id, EventKind.EXEMPTED, day),
                suspended=self.has_event(member_id, EventKind.SUSPENDED, day),
                admitted_on=self.admitted[member_id],
            )
            members.append(self._entry(SubjectKind.MEMBER, member_id, cell_id, reason))
        organizations = [
            self._entry(
                SubjectKind.ORGANIZATION,
                org.pk,
                org.pk,
                rules.not_rated_reason(review_date=day, founded_on=org.valid_from),
            )
            for org in self.orgs.values()
            if org.kind != OrgKind.ABOVE_GRASSROOTS
            and org.valid_from <= day
            and (org.valid_to is None or org.valid_to > day)
        ]
        agencies = [
            self._entry(
                SubjectKind.AGENCY,
                agency.pk,
                agency.organization_id,
                rules.not_rated_reason(review_date=day),
            )
            for agency in self.agencies
            if agency.valid_from <= day and (agency.valid_to is None or agency.valid_to > day)
        ]
        return members, organizations, agencies

    def _entry(
        self, kind: SubjectKind, pk: int, org_id: int, reason: NotRatedReason | None
    ) -> Entry:
        grassroots = self.grassroots[org_id]
        if grassroots is None:
            raise ValueError(f"{self.orgs[org_id]} belongs to no grassroots organization")
        return Entry(kind, pk, self.orgs[org_id], grassroots, reason)


# --- the plan -----------------------------------------------------------------------------


def good_count_2020(rated: int) -> int:
    """How many of ``rated`` members rated HTTNV or above print ``MEMBERS_SHARE_2020``; the
    count nearest that share when none does (a roll the report cannot match exactly)."""
    target = Fraction(MEMBERS_SHARE_2020.rstrip("%").replace(",", ".")) / 100
    nearest = sorted(range(rated + 1), key=lambda n: (abs(Fraction(n, rated) - target), n))
    for count in nearest[:5]:
        if format_percent(Fraction(count, rated), 2) == MEMBERS_SHARE_2020:
            return count
    return nearest[0]


def quota_room(good_or_above: int) -> int:
    """The most HTXSNV among ``good_or_above`` members of one grassroots organization, the
    rest being HTTNV: ``e ≤ 20% × (n − e)``, i.e. ``e ≤ n / 6``."""
    share = QUOTA_SHARE
    return good_or_above * share.numerator // (share.numerator + share.denominator)


def _split(rng: random.Random, entries: list[Entry], counts: dict[Level, int]) -> dict[int, Level]:
    """Exactly ``counts`` of each level other than HTTNV among ``entries``, the rest HTTNV."""
    chosen = rng.sample(entries, sum(counts.values()))
    levels = {e.pk: Level.GOOD for e in entries}
    at = 0
    for level, count in counts.items():
        for entry in chosen[at : at + count]:
            levels[entry.pk] = level
        at += count
    return levels


def _member_levels(
    rng: random.Random,
    year: int,
    entries: list[Entry],
    streak: set[int],
    no_excellent: set[int],
) -> dict[int, Level]:
    """The levels of the rated members: below HTTNV at random outside ``streak``, then HTXSNV
    grassroots organization by grassroots organization within the quota, ``streak`` first and
    never anyone in ``no_excellent``."""
    rated = [e for e in entries if e.reason is None]
    below_share, failed_share, excellent_share = MEMBER_MIX[year]
    if year == REPORT_YEAR:
        good_or_above = good_count_2020(len(rated))
    else:
        good_or_above = len(rated) - round(len(rated) * below_share)
    below = len(rated) - good_or_above
    failed = min(below, max(1, round(below * failed_share)))
    levels = {e.pk: Level.GOOD for e in rated}
    low = rng.sample([e for e in rated if e.pk not in streak], below)
    for index, entry in enumerate(low):
        levels[entry.pk] = Level.NOT_COMPLETED if index < failed else Level.COMPLETED

    groups: dict[int, list[Entry]] = defaultdict(list)
    for entry in rated:
        if levels[entry.pk] is Level.GOOD:
            groups[entry.grassroots.pk].append(entry)
    slots: list[int] = []
    candidates: dict[int, list[Entry]] = {}
    forced = 0
    for group_id, group in sorted(groups.items()):
        room = quota_room(len(group))
        mine = [e for e in group if e.pk in streak]
        if len(mine) > room:
            raise ValueError(f"no room for the HTXSNV streak in {group[0].grassroots} ({year})")
        for entry in mine:
            levels[entry.pk] = Level.EXCELLENT
        forced += len(mine)
        candidates[group_id] = [e for e in group if e.pk not in streak | no_excellent]
        slots += [group_id] * min(room - len(mine), len(candidates[group_id]))
    wanted = round(good_or_above * excellent_share) - forced
    for group_id, count in sorted(Counter(rng.sample(slots, min(wanted, len(slots)))).items()):
        for entry in rng.sample(candidates[group_id], count):
            levels[entry.pk] = Level.EXCELLENT
    return levels


def _collective_counts(rng: random.Random, year: int, total: int) -> dict[Level, int]:
    excellent, completed = COLLECTIVE_MIX.get(year, COLLECTIVE_MIX[HISTORY_YEARS[-1]])
    return {
        Level.EXCELLENT: round(total * rng.uniform(excellent - 0.03, excellent + 0.03)),
        Level.COMPLETED: max(1, round(total * completed)),
    }


def _streak_members(rng: random.Random, years: dict[int, list[Entry]]) -> set[int]:
    """``STREAK_MEMBERS`` members rated every streak year in the same grassroots organization,
    one per organization, among organizations with at least 15 rated members every year (room
    for an HTXSNV whatever the draw)."""
    where: dict[int, set[int]] = defaultdict(set)
    rated_in: Counter[int] = Counter()
    sizes: dict[int, Counter[int]] = {}
    for year, entries in years.items():
        rated = [e for e in entries if e.reason is None]
        sizes[year] = Counter(e.grassroots.pk for e in rated)
        for entry in rated:
            where[entry.pk].add(entry.grassroots.pk)
            rated_in[entry.pk] += 1
    by_group: dict[int, list[int]] = defaultdict(list)
    for pk, groups in sorted(where.items()):
        if rated_in[pk] == len(years) and len(groups) == 1:
            (group_id,) = groups
            if all(size[group_id] >= 15 for size in sizes.values()):
                by_group[group_id].append(pk)
    if len(by_group) < STREAK_MEMBERS:
        raise ValueError("not enough grassroots organizations for the HTXSNV streak")
    return {rng.choice(by_group[g]) for g in rng.sample(sorted(by_group), STREAK_MEMBERS)}


def plan_reviews(facts: Facts, streak_cell: Organization | None) -> dict[int, YearPlan]:
    """The levels of every subject, 2016–2021, from the registry's facts (seeded, pure)."""
    rng = random.Random(REVIEW_SEED)
    entries = {year: facts.entries(year) for year in (*STREAK_YEARS, IN_PROGRESS_YEAR)}
    streak = _streak_members(rng, {year: entries[year][0] for year in STREAK_YEARS})
    excellent_years: Counter[int] = Counter()
    plans: dict[int, YearPlan] = {}
    for year, (members, organizations, agencies) in sorted(entries.items()):
        # Nobody but the streak may be HTXSNV every year 2016–2020.
        no_excellent = (
            {pk for pk, n in excellent_years.items() if n == len(HISTORY_YEARS)}
            if year == REPORT_YEAR
            else set()
        )
        levels: dict[tuple[SubjectKind, int], Level] = {}
        member_levels = _member_levels(rng, year, members, streak, no_excellent)
        for pk, level in member_levels.items():
            levels[(SubjectKind.MEMBER, pk)] = level
            if level is Level.EXCELLENT and year in HISTORY_YEARS:
                excellent_years[pk] += 1
        rated_orgs = [e for e in organizations if e.reason is None]
        grassroots = [e for e in rated_orgs if e.organization.kind in GRASSROOTS_KINDS]
        others = [e for e in rated_orgs if e.organization.kind not in GRASSROOTS_KINDS]
        rated_agencies = [e for e in agencies if e.reason is None]
        if year == REPORT_YEAR:
            grassroots_counts = {k: v for k, v in GRASSROOTS_2020.items() if k is not Level.GOOD}
            agency_counts = {k: v for k, v in AGENCIES_2020.items() if k is not Level.GOOD}
            if len(grassroots) != sum(GRASSROOTS_2020.values()):
                raise ValueError(f"{len(grassroots)} grassroots organizations rated in 2020")
        else:
            grassroots_counts = _collective_counts(rng, year, len(grassroots))
            agency_counts = _collective_counts(rng, year, len(rated_agencies))
        if streak_cell is not None:
            others = [e for e in others if e.pk != streak_cell.pk]
            levels[(SubjectKind.ORGANIZATION, streak_cell.pk)] = Level.EXCELLENT
        for group, counts in (
            (grassroots, grassroots_counts),
            (others, _collective_counts(rng, year, len(others))),
        ):
            for pk, level in _split(rng, group, counts).items():
                levels[(SubjectKind.ORGANIZATION, pk)] = level
        for pk, level in _split(rng, rated_agencies, agency_counts).items():
            levels[(SubjectKind.AGENCY, pk)] = level
        plans[year] = YearPlan(year, members, organizations, agencies, levels)
    return plans


# --- writing ------------------------------------------------------------------------------


def load_reviews(*, actor: Actor, root: Organization) -> dict[int, int]:
    """Record the planned reviews; return the number of ratings written per year."""
    facts = Facts(root)
    plans = plan_reviews(facts, _streak_cell(root))
    written = {}
    for year in HISTORY_YEARS:
        written[year] = _take_over(actor, plans[year])
    written[REPORT_YEAR] = _through_services(actor, plans[REPORT_YEAR])
    written[IN_PROGRESS_YEAR] = _in_progress(actor, plans[IN_PROGRESS_YEAR])
    return written


def _streak_cell(root: Organization) -> Organization | None:
    grassroots_name, cell_name = STREAK_CELL
    orgs = Organization.objects.unscoped().filter(path__startswith=root.path)
    parent = orgs.filter(name=grassroots_name).first()
    if parent is None:
        return None
    return orgs.filter(path__startswith=parent.path, name=cell_name).first()


def _facts_json(entry: Entry) -> dict[str, Any]:
    facts: Any = (
        MemberFacts() if entry.kind is SubjectKind.MEMBER else CollectiveFacts(kind=entry.kind)
    )

    def plain(value: Any) -> Any:
        return value.value if isinstance(value, Enum) else value

    return {f.name: plain(getattr(facts, f.name)) for f in dataclasses.fields(facts)}


_SUBJECT_FIELD = {
    SubjectKind.MEMBER: "member_id",
    SubjectKind.ORGANIZATION: "rated_organization_id",
    SubjectKind.AGENCY: "agency_id",
}


def _entries(plan: YearPlan) -> Iterable[Entry]:
    yield from plan.members
    yield from plan.organizations
    yield from plan.agencies


def _take_over(actor: Actor, plan: YearPlan) -> int:
    """A past year's results as decided ratings, checked by the year's rules first."""
    rules = rules_for(plan.year)
    rows: list[Rating] = []
    quota: dict[int, Counter[Level]] = defaultdict(Counter)
    groups: dict[int, Organization] = {}
    now = timezone.now()
    for entry in _entries(plan):
        level = plan.level(entry)
        enforce(rules.check_not_rated(level, entry.reason))
        if level is not None:
            if entry.kind is SubjectKind.MEMBER:
                enforce(rules.check_member_level(level, MemberFacts()))
                quota[entry.grassroots.pk][level] += 1
            else:
                enforce(rules.check_collective_level(level, CollectiveFacts(kind=entry.kind)))
        groups[entry.grassroots.pk] = entry.grassroots
        rows.append(
            Rating(
                year=plan.year,
                subject_kind=entry.kind.value,
                organization=entry.organization,
                path=entry.organization.path,
                grassroots=entry.grassroots,
                level=level.value if level is not None else "",
                not_rated_reason=entry.reason.value if entry.reason is not None else "",
                facts=_facts_json(entry),
                state=RatingState.DECIDED,
                proposed_at=now,
                decided_at=now,
                version=3,  # set, proposed, decided
                **{_SUBJECT_FIELD[entry.kind]: entry.pk},
            )
        )
    for group_id, counts in sorted(quota.items()):
        enforce(
            rules.check_quota(
                counts[Level.EXCELLENT], counts[Level.GOOD], group_name=str(groups[group_id])
            )
        )
    Rating.objects.bulk_create(rows, batch_size=500)
    per_group = Counter(row.grassroots_id for row in rows)
    for group_id, count in sorted(per_group.items()):
        record(
            actor=actor,
            action="reviews.rating.decide",
            target=groups[group_id],
            organization=groups[group_id],
            data={"year": plan.year, "ratings": count},
            reason=HISTORY_SOURCE.format(year=plan.year),
        )
    return len(rows)


def _set(actor: Actor, plan: YearPlan, entry: Entry, subject: Any) -> Rating:
    rating, _ = review_services.rating_set(
        actor=actor, year=plan.year, subject=subject, level=plan.level(entry)
    )
    expected = entry.reason.value if entry.reason is not None else ""
    if rating.not_rated_reason != expected or rating.grassroots_id != entry.grassroots.pk:
        raise ValueError(f"the plan of {subject} ({plan.year}) disagrees with rating_set")
    return rating


def _subjects(plan: YearPlan, entries: list[Entry]) -> dict[tuple[SubjectKind, int], Any]:
    by_kind: dict[SubjectKind, list[int]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry.pk)
    found: dict[tuple[SubjectKind, int], Any] = {}
    for kind, model in (
        (SubjectKind.MEMBER, Member),
        (SubjectKind.ORGANIZATION, Organization),
        (SubjectKind.AGENCY, Agency),
    ):
        for pk, subject in model.objects.unscoped().in_bulk(by_kind[kind]).items():
            found[(kind, pk)] = subject
    return found


def _through_services(actor: Actor, plan: YearPlan) -> int:
    """The report year: set, proposed by each cell, decided by each grassroots organization
    (its members and cells) and by the bloc (grassroots organizations and agencies)."""
    entries = list(_entries(plan))
    subjects = _subjects(plan, entries)
    by_cell: dict[int, list[Entry]] = defaultdict(list)
    for entry in plan.members:
        by_cell[entry.organization.pk].append(entry)
    to_decide: dict[int, list[Rating]] = defaultdict(list)
    for _, cell_entries in sorted(by_cell.items(), key=lambda item: item[1][0].organization.path):
        ratings = [_set(actor, plan, e, subjects[(e.kind, e.pk)]) for e in cell_entries]
        review_services.rating_propose(actor=actor, ratings=ratings)
        to_decide[cell_entries[0].grassroots.pk] += ratings
    bloc: list[Rating] = []
    cells: dict[int, list[Rating]] = defaultdict(list)
    for entry in plan.organizations:
        rating = _set(actor, plan, entry, subjects[(entry.kind, entry.pk)])
        if entry.organization.kind in GRASSROOTS_KINDS:
            bloc.append(rating)
        else:
            cells[entry.grassroots.pk].append(rating)
    bloc += [_set(actor, plan, e, subjects[(e.kind, e.pk)]) for e in plan.agencies]
    for group_id, ratings in sorted(cells.items()):
        review_services.rating_propose(actor=actor, ratings=ratings)
        to_decide[group_id] += ratings
    for _, ratings in sorted(to_decide.items()):
        review_services.rating_decide(actor=actor, ratings=ratings)
    review_services.rating_propose(actor=actor, ratings=bloc)
    review_services.rating_decide(actor=actor, ratings=bloc)
    return len(entries)


def _in_progress(actor: Actor, plan: YearPlan) -> int:
    """2021 under way: a few cells' members rated in draft, as many more proposed."""
    rng = random.Random(REVIEW_SEED + plan.year)
    by_cell: dict[int, list[Entry]] = defaultdict(list)
    for entry in plan.members:
        by_cell[entry.organization.pk].append(entry)
    cells = rng.sample(sorted(by_cell), IN_PROGRESS_CELLS)
    entries = [e for pk in cells for e in by_cell[pk]]
    subjects = _subjects(plan, entries)
    for index, cell_id in enumerate(cells):
        ratings = [_set(actor, plan, e, subjects[(e.kind, e.pk)]) for e in by_cell[cell_id]]
        if index % 2:
            review_services.rating_propose(actor=actor, ratings=ratings)
    return len(entries)
