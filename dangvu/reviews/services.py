"""Writes to the annual ratings: snapshot, rules of the year, workflow, scope and audit.

Every service runs in one transaction: it locks what it changes, checks the actor's scope on
the rating's snapshot organization (or on the competent level for a decision), enforces the
rules of ``rules_for(year)`` and records one audit event per rating it changes.

The workflow is draft → proposed (by the cell or the organization, ``reviews.rate``) →
decided (by the competent level, ``reviews.decide``). A decided rating changes only through
``rating_rerate``, with a reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit.services import diff, record, snapshot
from dangvu.core.exceptions import DomainError, NotPermitted
from dangvu.core.rules import RuleViolation, Violation, enforce
from dangvu.core.services import check_version, lock
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent, Stint
from dangvu.orgs.models import GRASSROOTS_KINDS, Agency, Organization
from dangvu.reviews.models import FINAL_STATES, Rating, RatingState
from dangvu.reviews.rules import (
    CollectiveFacts,
    Level,
    MemberFacts,
    NotRatedReason,
    Number,
    RuleSet,
    SubjectKind,
    TaskConditions,
    rules_for,
)

RATING_FIELDS = (
    "organization",
    "path",
    "grassroots",
    "level",
    "not_rated_reason",
    "score",
    "facts",
    "state",
)

Subject = Member | Organization | Agency
Facts = MemberFacts | CollectiveFacts


# --- helpers ------------------------------------------------------------------------------


def _rules(year: int) -> RuleSet:
    try:
        return rules_for(year)
    except LookupError as exc:
        raise DomainError(str(exc), field_errors={"year": str(exc)}) from exc


def grassroots_of(organization: Organization) -> Organization | None:
    """The grassroots organization ``organization`` is or belongs to (one query)."""
    step = Organization.steplen
    prefixes = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    return (
        Organization.objects.unscoped()
        .filter(path__in=prefixes, kind__in=GRASSROOTS_KINDS)
        .order_by("-depth")
        .first()
    )


def _cell_on(member: Member, day: date) -> Organization | None:
    """The cell of the member's stint covering ``day``."""
    stint = (
        Stint.objects.unscoped()
        .select_related("organization")
        .filter(member=member, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .first()
    )
    return stint.organization if stint is not None else None


def _has_event(member: Member, kind: str, day: date) -> bool:
    return (
        MemberEvent.objects.unscoped()
        .filter(member=member, kind=kind, date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exists()
    )


@dataclasses.dataclass(frozen=True)
class _Snapshot:
    kind: SubjectKind
    organization: Organization
    grassroots: Organization | None
    reason: NotRatedReason | None


def _snapshot(
    actor: Actor, rules: RuleSet, subject: Subject, review_date: date
) -> tuple[_Snapshot, dict[str, Subject]]:
    """Where the subject stood on ``review_date`` and why it is not rated, if it is not."""
    if isinstance(subject, Member):
        cell = _cell_on(subject, review_date)
        if cell is None:
            scope.require(actor, "reviews.rate", subject.organization)
            raise DomainError(
                f"{subject.full_name} không sinh hoạt ở chi bộ nào vào ngày "
                f"{review_date:%d/%m/%Y} (ngày kiểm điểm) nên không thể xếp loại năm nay.",
                field_errors={"review_date": "Không có quá trình sinh hoạt vào ngày này."},
            )
        reason = rules.not_rated_reason(
            review_date=review_date,
            exempted=_has_event(subject, EventKind.EXEMPTED, review_date),
            suspended=_has_event(subject, EventKind.SUSPENDED, review_date),
            admitted_on=subject.readmitted_on or subject.admitted_on,
        )
        kind, organization = SubjectKind.MEMBER, cell
        lookup: dict[str, Subject] = {"member": subject}
    elif isinstance(subject, Organization):
        reason = rules.not_rated_reason(review_date=review_date, founded_on=subject.valid_from)
        kind, organization = SubjectKind.ORGANIZATION, subject
        lookup = {"rated_organization": subject}
    elif isinstance(subject, Agency):
        reason = rules.not_rated_reason(review_date=review_date)
        kind, organization = SubjectKind.AGENCY, subject.organization
        lookup = {"agency": subject}
    else:
        raise TypeError(f"cannot rate {subject!r}")
    grassroots = grassroots_of(organization)
    if grassroots is None:
        scope.require(actor, "reviews.rate", organization)
        raise DomainError(
            f"{organization} không thuộc tổ chức cơ sở đảng nào nên không xếp loại ở đây: "
            "xếp loại chất lượng áp dụng cho tổ chức cơ sở đảng, chi bộ và đảng viên."
        )
    return _Snapshot(kind, organization, grassroots, reason), lookup


def _json(value: Any) -> Any:
    """A facts value as JSON: enums by value, exact numbers as strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot store {value!r} in the facts of a rating")


def _decimal(value: Any) -> Decimal | None:
    """A score as stored: two decimals."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _number(value: Any) -> Any:
    return Fraction(value) if isinstance(value, str) else value


def facts_of(rating: Rating) -> Facts:
    """The facts stored on ``rating``, as the rule checks read them."""
    data = dict(rating.facts or {})
    conditions = data.pop("conditions", None)
    if conditions is not None:
        data["conditions"] = TaskConditions(**conditions)
    if data.get("score") is not None:
        data["score"] = _number(data["score"])
    if rating.subject_kind == SubjectKind.MEMBER.value:
        if data.get("state_rating"):
            data["state_rating"] = Level(data["state_rating"])
        if "sick_leave_months" in data:
            data["sick_leave_months"] = _number(data["sick_leave_months"])
        return MemberFacts(**data)
    data["kind"] = SubjectKind(rating.subject_kind)
    if data.get("targets_met_share") is not None:
        data["targets_met_share"] = _number(data["targets_met_share"])
    return CollectiveFacts(**data)


def _facts(kind: SubjectKind, facts: Facts | None, score: Number | None) -> Facts:
    """The facts to check and store, of the subject's kind, carrying the score."""
    if kind is SubjectKind.MEMBER:
        if facts is None:
            facts = MemberFacts()
        elif not isinstance(facts, MemberFacts):
            raise DomainError("Căn cứ xếp loại đảng viên phải là căn cứ của một đảng viên.")
    else:
        if facts is None:
            facts = CollectiveFacts(kind=kind)
        elif not isinstance(facts, CollectiveFacts):
            raise DomainError("Căn cứ xếp loại tập thể phải là căn cứ của một tập thể.")
        elif facts.kind is not kind:
            facts = dataclasses.replace(facts, kind=kind)
    if score is not None and facts.score is None:
        facts = dataclasses.replace(facts, score=score)
    return facts


def _check_level(rules: RuleSet, level: Level, facts: Facts) -> list[Violation]:
    if isinstance(facts, MemberFacts):
        return rules.check_member_level(level, facts)
    return rules.check_collective_level(level, facts)


def _subject_name(rating: Rating) -> str:
    return f"{SubjectKind(rating.subject_kind).label} {rating.subject} (năm {rating.year})"


def _competent(rating: Rating) -> Organization | None:
    """Who decides: the grassroots organization for its members and cells, the committee above
    for a grassroots organization itself and for the agencies it leads."""
    if rating.subject_kind == SubjectKind.MEMBER.value:
        return rating.grassroots
    if rating.subject_kind == SubjectKind.AGENCY.value:
        assert rating.agency is not None
        return Organization.objects.get_parent(rating.agency.organization)
    rated = rating.rated_organization
    assert rated is not None
    if rated.is_grassroots:
        return Organization.objects.get_parent(rated)
    return rating.grassroots


def _require_decide(actor: Actor, rating: Rating) -> None:
    """404 when the actor cannot see the rating; 403 when it sees it but is not competent."""
    scope.require(actor, "reviews.view", rating.organization)
    competent = _competent(rating)
    if competent is None:
        if actor.is_superuser:
            return
    elif scope.covers(actor, "reviews.decide", competent.path):
        return
    where = f" ({competent})" if competent is not None else ""
    raise NotPermitted(
        f"Chỉ cấp có thẩm quyền{where} mới quyết định được xếp loại của {_subject_name(rating)}."
    )


def _locked(ratings: Iterable[Rating]) -> list[Rating]:
    """The current rows of ``ratings``, locked, in a stable order (no deadlock between calls).

    ``of=("self",)``: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins.
    """
    ids = sorted({r.pk for r in ratings})
    return list(
        Rating.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related(
            "organization",
            "grassroots",
            "member",
            "rated_organization",
            "agency__organization",
        )
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _quota_counts(group: Rating, *, exclude: Iterable[int] = ()) -> tuple[int, int]:
    """HTXSNV and HTTNV among the final member ratings of ``group``'s grassroots and year."""
    rows = (
        Rating.objects.unscoped()
        .filter(
            year=group.year,
            subject_kind=SubjectKind.MEMBER.value,
            grassroots_id=group.grassroots_id,
            state__in=FINAL_STATES,
            level__in=[Level.EXCELLENT.value, Level.GOOD.value],
        )
        .exclude(pk__in=list(exclude))
        .values("level")
        .annotate(n=Count("id"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    return counts.get(Level.EXCELLENT.value, 0), counts.get(Level.GOOD.value, 0)


def _lock_groups(grassroots_ids: Iterable[int]) -> None:
    """Serialize quota checks of one group: two decisions in it must not both pass."""
    list(
        Organization.objects.unscoped()
        .select_for_update()
        .filter(pk__in=sorted(set(grassroots_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def rating_set(
    *,
    actor: Actor,
    year: int,
    subject: Subject,
    level: Level | None,
    score: Number | None = None,
    facts: Facts | None = None,
    review_date: date | None = None,
) -> tuple[Rating, list[str]]:
    """Record (or change, while draft or proposed) the level of ``subject`` for ``year``.

    The rating keeps where the subject stood on the review date (15 December by default):
    its organization, that organization's path and its grassroots organization. A subject the
    registry says is not rated (exempt, suspended, admitted or founded less than 6 months
    before) gets the reason and no level. Returns the rating and the rule warnings.
    """
    rules = _rules(year)
    review_date = review_date or date(year, 12, 15)
    subject = lock(subject)
    where, lookup = _snapshot(actor, rules, subject, review_date)
    scope.require(actor, "reviews.rate", where.organization)
    rating = Rating.objects.unscoped().select_for_update().filter(year=year, **lookup).first()
    if rating is not None:
        scope.require(actor, "reviews.rate", rating.organization)
        if rating.state in FINAL_STATES:
            raise DomainError(
                f"Xếp loại của {_subject_name(rating)} đã "
                f"{'khóa' if rating.state == RatingState.LOCKED else 'được quyết định'}; "
                "chỉ thay đổi được bằng xếp loại lại, có ghi lý do."
            )
    facts = _facts(where.kind, facts, score)
    stored_score = _decimal(score if score is not None else facts.score)
    warnings: list[Violation] = []
    if where.reason is not None:
        enforce(rules.check_not_rated(level, where.reason))
    elif level is not None:
        warnings = enforce(_check_level(rules, level, facts))
    values: dict[str, Any] = {
        "organization": where.organization,
        "path": where.organization.path,
        "grassroots": where.grassroots,
        "level": level.value if level is not None and where.reason is None else "",
        "not_rated_reason": where.reason.value if where.reason is not None else "",
        "score": stored_score,
        "facts": _json(facts),
    }
    if rating is None:
        before: dict[str, Any] = dict.fromkeys(RATING_FIELDS)
        rating = Rating(year=year, subject_kind=where.kind.value, **lookup, **values)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError as exc:  # a concurrent first rating of the same subject
            raise DomainError(f"{subject} vừa được người khác xếp loại năm {year}.") from exc
        changes = diff(before, snapshot(rating, RATING_FIELDS))
    else:
        before = snapshot(rating, RATING_FIELDS)
        for name, value in values.items():
            setattr(rating, name, value)
        changes = diff(before, snapshot(rating, RATING_FIELDS))
        if changes:  # an unchanged form is no edit: same version, nothing logged
            rating.version += 1
            rating.save()
    messages = [str(v) for v in warnings]
    if changes:
        record(
            actor=actor,
            action="reviews.rating.set",
            target=rating,
            organization=where.organization,
            changes=changes,
            data={"warnings": messages} if messages else None,
        )
    return rating, messages


@transaction.atomic
def rating_propose(*, actor: Actor, ratings: list[Rating]) -> int:
    """Propose draft ratings to the competent level (by the cell or the organization)."""
    rows = _locked(ratings)
    for rating in rows:
        scope.require(actor, "reviews.rate", rating.organization)
        if rating.state != RatingState.DRAFT:
            raise DomainError(
                f"Xếp loại của {_subject_name(rating)} đang ở trạng thái "
                f"“{RatingState(rating.state).label}”; chỉ đề xuất được bản dự thảo."
            )
        if not rating.level and not rating.not_rated_reason:
            raise DomainError(
                f"{_subject_name(rating)} chưa có mức xếp loại nên chưa đề xuất được."
            )
    now = timezone.now()
    for rating in rows:
        rating.state = RatingState.PROPOSED
        rating.proposed_by_id = actor.pk
        rating.proposed_at = now
        rating.version += 1
        rating.save()
        record(
            actor=actor,
            action="reviews.rating.propose",
            target=rating,
            organization=rating.organization,
            changes={"state": [RatingState.DRAFT.value, RatingState.PROPOSED.value]},
        )
    return len(rows)


def _check_quota_on_decision(rows: list[Rating]) -> None:
    """The HTXSNV quota of each grassroots group once ``rows`` are decided; all or nothing."""
    groups: dict[tuple[int, int], list[Rating]] = {}
    for rating in rows:
        if rating.subject_kind == SubjectKind.MEMBER.value and rating.grassroots_id is not None:
            groups.setdefault((rating.year, rating.grassroots_id), []).append(rating)
    _lock_groups(gid for _, gid in groups)
    violations: list[Violation] = []
    for (year, _), members in sorted(groups.items()):
        excellent, good = _quota_counts(members[0], exclude=[r.pk for r in members])
        excellent += sum(r.level == Level.EXCELLENT.value for r in members)
        good += sum(r.level == Level.GOOD.value for r in members)
        violations += _rules(year).check_quota(
            excellent, good, group_name=str(members[0].grassroots)
        )
    enforce(violations)


@transaction.atomic
def rating_decide(*, actor: Actor, ratings: list[Rating]) -> int:
    """Decide proposed ratings (the competent level), all or nothing, quota checked."""
    rows = _locked(ratings)
    for rating in rows:
        _require_decide(actor, rating)
        if rating.state != RatingState.PROPOSED:
            raise DomainError(
                f"Xếp loại của {_subject_name(rating)} đang ở trạng thái "
                f"“{RatingState(rating.state).label}”; chỉ quyết định được xếp loại đã đề xuất."
            )
    _check_quota_on_decision(rows)
    now = timezone.now()
    for rating in rows:
        rating.state = RatingState.DECIDED
        rating.decided_by_id = actor.pk
        rating.decided_at = now
        rating.version += 1
        rating.save()
        record(
            actor=actor,
            action="reviews.rating.decide",
            target=rating,
            organization=rating.organization,
            changes={"state": [RatingState.PROPOSED.value, RatingState.DECIDED.value]},
        )
    return len(rows)


def _base(rules: RuleSet, excellent: int, good: int) -> int:
    return good + (excellent if Level.EXCELLENT in rules.quota_base else 0)


@transaction.atomic
def rating_rerate(
    *, actor: Actor, rating: Rating, level: Level, reason: str, version: int
) -> Rating:
    """Change the level of a decided rating, with a reason, re-checking caps and quota."""
    rating = _locked([rating])[0]
    _require_decide(actor, rating)
    check_version(rating, version, {"level": level.value})
    if rating.state == RatingState.LOCKED:
        raise DomainError(f"Xếp loại của {_subject_name(rating)} đã khóa, không sửa được nữa.")
    if rating.state != RatingState.DECIDED:
        raise DomainError(
            f"Xếp loại của {_subject_name(rating)} chưa được quyết định; hãy sửa trực tiếp."
        )
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Xếp loại lại phải ghi rõ lý do.", field_errors={"reason": "Hãy nhập lý do."}
        )
    rules = _rules(rating.year)
    reason_not_rated = NotRatedReason(rating.not_rated_reason) if rating.not_rated_reason else None
    enforce(rules.check_not_rated(level, reason_not_rated))
    warnings = enforce(_check_level(rules, level, facts_of(rating)))
    if rating.subject_kind == SubjectKind.MEMBER.value and rating.grassroots_id is not None:
        _lock_groups([rating.grassroots_id])
        excellent, good = _quota_counts(rating, exclude=[rating.pk])
        old = Level(rating.level) if rating.level else None
        before = (excellent + (old is Level.EXCELLENT), good + (old is Level.GOOD))
        after = (excellent + (level is Level.EXCELLENT), good + (level is Level.GOOD))
        tighter = after[0] > before[0] or _base(rules, *after) < _base(rules, *before)
        found = rules.check_quota(*after, group_name=str(rating.grassroots))
        if found and tighter:
            raise RuleViolation(found)
    before_values = snapshot(rating, ["level"])
    rating.level = level.value
    changes = diff(before_values, snapshot(rating, ["level"]))
    if changes:
        rating.version += 1
        rating.save()
        messages = [str(v) for v in warnings]
        record(
            actor=actor,
            action="reviews.rating.rerate",
            target=rating,
            organization=rating.organization,
            changes=changes,
            data={"warnings": messages} if messages else None,
            reason=reason,
        )
    return rating
