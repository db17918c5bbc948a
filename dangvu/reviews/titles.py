"""Titles of organizations ("TSVM tiêu biểu"), their streaks, and who may be proposed.

Only an organization whose final rating of the year is the top level may be recognized
"Trong sạch, vững mạnh tiêu biểu" (HTXSNV from 2018, "trong sạch, vững mạnh" under HD 27; both
stored as ``Level.EXCELLENT``; rules.md §2.5). The level above recognizes: the committee whose
``reviews.decide`` covers the organization's parent (for a root, a superuser).

Streaks count consecutive titled years ending at a year (``rules.streak``); how a year in which
the organization was not rated affects a streak is a policy (``"break"`` or ``"skip"``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit.services import record, snapshot_values
from dangvu.core.exceptions import DomainError, NotPermitted
from dangvu.core.rules import enforce
from dangvu.core.services import lock
from dangvu.members.models import Member
from dangvu.orgs.models import GRASSROOTS_KINDS, Organization, OrganizationQuerySet
from dangvu.reviews import rules
from dangvu.reviews.models import Rating, Title, TitleKind
from dangvu.reviews.rules import Level, RuleSet, StreakPolicy, SubjectKind

TITLE_FIELDS = ("organization", "year", "title", "decision_number", "decided_on", "decided_by")


def _rules(year: int) -> RuleSet:
    try:
        return rules.rules_for(year)
    except LookupError as exc:
        raise DomainError(str(exc), field_errors={"year": str(exc)}) from exc


def _title(title: TitleKind | str) -> TitleKind:
    try:
        return TitleKind(title)
    except ValueError as exc:
        raise DomainError(f"Không có danh hiệu {title!r}.") from exc


def _require_recognize(actor: Actor, organization: Organization) -> None:
    """404 when the actor cannot see the organization's ratings; 403 when it sees them but is
    not the level above (``reviews.decide`` on the parent; a root needs a superuser)."""
    scope.require(actor, "reviews.view", organization)
    parent = Organization.objects.get_parent(organization)
    if parent is None:
        if actor.is_superuser:
            return
    elif scope.covers(actor, "reviews.decide", parent.path):
        return
    where = f" ({parent})" if parent is not None else ""
    raise NotPermitted(
        f"Chỉ cấp trên trực tiếp có thẩm quyền{where} mới công nhận danh hiệu cho {organization}."
    )


def final_level(organization: Organization, year: int) -> Level | None:
    """The organization's decided (or locked) level for ``year``; ``None`` when it has none
    (no final rating, or a final "not rated")."""
    rating = (
        Rating.objects.unscoped()
        .final()
        .filter(year=year, subject_kind=SubjectKind.ORGANIZATION.value)
        .filter(rated_organization=organization)
        .only("level")
        .first()
    )
    return Level(rating.level) if rating is not None and rating.level else None


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def title_grant(
    *,
    actor: Actor,
    organization: Organization,
    year: int,
    decision_number: str = "",
    decided_on: date,
    decided_by: str = "",
) -> Title:
    """Recognize ``organization`` "TSVM tiêu biểu" for ``year`` (the level above, audited).

    Refused unless the organization's final rating of the year allows it
    (``rules_for(year).check_tsvm_exemplary``), when it already holds the title for the year,
    or when the decision is dated before the year it recognizes.
    """
    organization = lock(organization)
    _require_recognize(actor, organization)
    rule_set = _rules(year)
    enforce(rule_set.check_tsvm_exemplary(final_level(organization, year)))
    kind = TitleKind.TSVM_EXEMPLARY
    if decided_on.year < year:
        message = f"Ngày quyết định phải từ năm {year} trở đi."
        raise DomainError(message, field_errors={"decided_on": message})
    if Title.objects.unscoped().filter(organization=organization, year=year, title=kind).exists():
        raise DomainError(f"{organization} đã được công nhận “{kind.label}” năm {year}.")
    title = Title.objects.create(
        organization=organization,
        year=year,
        title=kind,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        decided_by=decided_by.strip(),
    )
    after = snapshot_values({name: getattr(title, name) for name in TITLE_FIELDS})
    record(
        actor=actor,
        action="reviews.title.grant",
        target=title,
        organization=organization,
        changes={name: [None, value] for name, value in after.items() if value not in ("", None)},
    )
    return title


# --- selectors ----------------------------------------------------------------------------


def _streak_years(
    organization: Organization, year: int, title: TitleKind | str
) -> tuple[set[int], set[int]]:
    """The years up to ``year`` with the title, and those with a final "not rated"."""
    titled = set(
        Title.objects.unscoped()
        .filter(organization=organization, title=_title(title), year__lte=year)
        .values_list("year", flat=True)
    )
    unrated = set(
        Rating.objects.unscoped()
        .final()
        .filter(
            subject_kind=SubjectKind.ORGANIZATION.value,
            rated_organization=organization,
            year__lte=year,
        )
        .exclude(not_rated_reason="")
        .values_list("year", flat=True)
    )
    return titled, unrated


def streak(
    *,
    organization: Organization,
    year: int,
    title: TitleKind | str = TitleKind.TSVM_EXEMPLARY,
    policy: StreakPolicy = "break",
) -> int:
    """How many consecutive years ending at ``year`` the organization held ``title``.

    A year with a final "not rated" rating (founded less than 6 months before) ends the streak
    under ``"break"`` and is stepped over under ``"skip"`` (rules.md §2.5, UNCONFIRMED).
    """
    titled, unrated = _streak_years(organization, year, title)
    return rules.streak(titled, year, unrated_years=unrated, policy=policy)


def streak_span(
    *,
    organization: Organization,
    year: int,
    title: TitleKind | str = TitleKind.TSVM_EXEMPLARY,
    policy: StreakPolicy = "break",
) -> tuple[int, int] | None:
    """``(first, last)`` titled years of that streak ("5 năm liền 2015–2019"); ``None`` if none."""
    titled, unrated = _streak_years(organization, year, title)
    return rules.streak_span(titled, year, unrated_years=unrated, policy=policy)


def eligible_for_exemplary(
    *, actor: Actor, organization: Organization, year: int
) -> OrganizationQuerySet:
    """The grassroots organizations in ``organization``'s subtree (as rated that year) whose
    final rating of ``year`` is the top level and that are not yet "TSVM tiêu biểu" for it."""
    scope.require(actor, "reviews.view", organization)
    rated = (
        Rating.objects.restrict(actor, "reviews.view")
        .final()
        .filter(
            year=year,
            subject_kind=SubjectKind.ORGANIZATION.value,
            level=Level.EXCELLENT.value,
            path__startswith=organization.path,
            rated_organization__kind__in=GRASSROOTS_KINDS,
        )
        .values("rated_organization")
    )
    titled = Title.objects.unscoped().filter(year=year, title=TitleKind.TSVM_EXEMPLARY)
    return (
        Organization.objects.unscoped()
        .filter(pk__in=rated)
        .exclude(pk__in=titled.values("organization"))
    )


def members_excellent_streak(
    *, actor: Actor, organization: Organization, year: int, length: int = 5
) -> QuerySet[Member]:
    """The members rated in ``organization``'s subtree in ``year`` whose final ratings were
    HTXSNV in each of the ``length`` years ending at ``year`` ("HTXSNV 5 năm liền").

    The members are those of the subtree that year (their rating's snapshot path, within the
    actor's ``reviews.view``); their earlier years count wherever they were rated. One grouped
    query over the ratings.
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    scope.require(actor, "reviews.view", organization)
    in_subtree = (
        Rating.objects.restrict(actor, "reviews.view")
        .final()
        .filter(
            year=year,
            subject_kind=SubjectKind.MEMBER.value,
            level=Level.EXCELLENT.value,
            path__startswith=organization.path,
        )
        .values("member")
    )
    excellent_years = (
        Rating.objects.unscoped()
        .final()
        .filter(
            subject_kind=SubjectKind.MEMBER.value,
            year__gte=year - length + 1,
            year__lte=year,
            member__in=in_subtree,
        )
        .values("member")
        .annotate(n=Count("id", filter=Q(level=Level.EXCELLENT.value)))
        .filter(n=length)
        .values("member")
    )
    return Member.objects.unscoped().filter(pk__in=excellent_years)
