"""Scoped reads of the member registry: lists, search, as-of rosters, party age, quality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.core import calendar
from dangvu.core.text import fold
from dangvu.members import rules
from dangvu.members.choices import StintEnd, TransferKind, TransferState
from dangvu.members.metrics import stints_on
from dangvu.members.models import Member, MemberQuerySet, Stint, Transfer
from dangvu.metrics import registry
from dangvu.metrics.registry import Period
from dangvu.orgs.models import Organization

MAX_AGE = 120


@dataclass(frozen=True)
class MemberFilters:
    q: str = ""
    organization: Organization | None = None
    status: str = ""  # "full", "probationary", "exited", "" (current members)
    gender: str = ""
    age_min: int | None = None
    age_max: int | None = None
    ethnicity: str = ""
    admitted_from: date | None = None
    admitted_to: date | None = None


def search(qs: MemberQuerySet, q: str) -> MemberQuerySet:
    """Diacritic-free search: a 12-digit number is a CCCD, other digits a card number; words
    match the folded name from its start ("nguyen thi d") or the given name first ("dao",
    "nguyen dao" → "dao nguyen"). Every branch is an indexed prefix match."""
    q = q.strip()
    if not q:
        return qs
    if q.isdigit():
        return (
            qs.filter(Q(national_id=q) | Q(card_number=q))
            if len(q) == 12
            else qs.filter(card_number__startswith=q)
        )
    words = fold(q).split()
    if not words:
        return qs.none()
    folded = " ".join(words)
    given_first = " ".join([words[-1], *words[:-1]])
    condition = Q(name_folded__startswith=folded) | Q(name_key__startswith=folded)
    if len(words) > 1:
        condition |= Q(name_key__startswith=given_first)
    return qs.filter(condition)


def member_list(
    *, actor: Actor, filters: MemberFilters | None = None, action: str = "members.view"
) -> MemberQuerySet:
    """Members in the actor's scope, in Vietnamese order (given name first)."""
    f = filters or MemberFilters()
    qs: MemberQuerySet = Member.objects.restrict(actor, action).select_related("organization")
    today = timezone.localdate()
    if f.status == "exited":
        qs = qs.filter(stints__isnull=False).exclude(stints__end__isnull=True).distinct()
    else:
        # One filter() call: the conditions must hold for the same (open) stint.
        open_stint = Q(stints__end__isnull=True)
        if f.status == "full":
            open_stint &= Q(stints__recognized_on__lte=today)
        elif f.status == "probationary":
            open_stint &= Q(stints__recognized_on__isnull=True) | Q(stints__recognized_on__gt=today)
        qs = qs.filter(open_stint)
    qs = search(qs, f.q)
    if f.organization is not None:
        qs = qs.filter(organization__path__startswith=f.organization.path)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.age_min is not None:
        qs = qs.filter(birth_date__lte=_years_before(today, f.age_min))
    if f.age_max is not None:
        qs = qs.filter(birth_date__gt=_years_before(today, f.age_max + 1))
    if f.admitted_from:
        qs = qs.filter(admitted_on__gte=f.admitted_from)
    if f.admitted_to:
        qs = qs.filter(admitted_on__lte=f.admitted_to)
    return qs.order_by("name_sort", "id")


def _years_before(day: date, years: int) -> date:
    years = min(years, MAX_AGE)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def member_get(*, actor: Actor, pk: int, action: str = "members.view") -> Member:
    try:
        return (
            Member.objects.restrict(actor, action)
            .select_related("organization", "agency")
            .get(pk=pk)
        )
    except Member.DoesNotExist as exc:
        raise Http404("Không tìm thấy đảng viên.") from exc


def members_as_of(*, actor: Actor, organization: Organization, day: date) -> QuerySet[Stint]:
    """The members of ``organization``'s subtree on ``day``, as the stints that place them
    there (``stint.member``, ``stint.status_on(day)``), in Vietnamese order. The organization
    must be in the actor's scope (a grant covers its whole subtree)."""
    scope.require(actor, "members.view", organization)
    return (
        stints_on(organization, day)
        .select_related("member", "organization")
        .order_by("member__name_sort", "member_id")
    )


def party_age(member: Member, on: date) -> rules.PartyAge | None:
    """Party age of ``member`` on ``on``; ``None`` for a member not (yet) recognized as full.

    The periods deducted are the gaps between consecutive stints (between cells in a transfer,
    outside the Party until a readmission) and the time after an exit."""
    stints = sorted(member.stints.all(), key=lambda s: s.start)
    if not any(s.recognized_on is not None and s.recognized_on <= on for s in stints):
        return None
    gaps = [
        rules.Period(before.end, after.start)
        for before, after in zip(stints, stints[1:], strict=False)
        if before.end is not None and after.start > before.end
    ]
    last = stints[-1] if stints else None
    if last is not None and last.end is not None:
        in_transit = (
            last.end_reason == StintEnd.TRANSFERRED
            and member.transfers.filter(
                kind=TransferKind.OFFICIAL, state=TransferState.IN_TRANSIT
            ).exists()
        )
        if last.end_reason == StintEnd.EXIT or in_transit:
            gaps.append(rules.Period(last.end, None))
    return rules.party_age(member.admitted_on, gaps, on)


@dataclass(frozen=True)
class OverdueTransfer:
    transfer: Transfer
    due: date
    days_late: int


def transfers_overdue(*, actor: Actor, today: date | None = None) -> list[OverdueTransfer]:
    """Official transfers within the tree whose letter has not been presented in time."""
    today = today or timezone.localdate()
    pending = (
        Transfer.objects.restrict(actor, "members.view")
        .filter(kind=TransferKind.OFFICIAL, state=TransferState.IN_TRANSIT)
        .select_related("member", "from_organization", "to_organization")
    )
    result = []
    for transfer in pending:
        limit = rules.limits_on(transfer.effective_on).arrival_working_days
        due = calendar.add_working_days(transfer.letter_date, limit)
        if today > due:
            result.append(OverdueTransfer(transfer, due, calendar.working_days_between(due, today)))
    return sorted(result, key=lambda o: -o.days_late)


def transfer_list(*, actor: Actor, state: str = "", action: str = "members.view") -> Any:
    qs = Transfer.objects.restrict(actor, action).select_related(
        "member", "from_organization", "to_organization"
    )
    return qs.filter(state=state) if state else qs


def transfer_get(*, actor: Actor, pk: int, action: str = "members.view") -> Transfer:
    try:
        return transfer_list(actor=actor, action=action).get(pk=pk)
    except Transfer.DoesNotExist as exc:
        raise Http404("Không tìm thấy lượt chuyển sinh hoạt.") from exc


def cell_counts(organization: Organization, day: date) -> dict[int, dict[str, Any]]:
    """Per cell of the subtree: members and full members on ``day``, as the metrics registry
    defines them (``members.count``, ``members.full.count``: one grouped query each)."""
    period = Period.day(day)
    members = registry.get("members.count").rollup(organization, period)
    full = registry.get("members.full.count").rollup(organization, period)
    cells = Organization.objects.unscoped().cells().filter(path__startswith=organization.path)
    return {
        pk: {"organization_id": pk, "members": members[pk].value, "full": full[pk].value}
        for pk in cells.values_list("pk", flat=True)
        if members[pk].value
    }
