"""Data quality of the member registry, per grassroots organization of the actor's scope.

A reader module: pure reads, scoped by the actor (``members.view``). Every figure is one
query grouped by cell (never one query per organization), rolled up by path in Python to the
*units* of the report: the grassroots organizations of the scope, or the scope's own top
organizations where a grant sits below the grassroots level (a cell's secretary). Each figure
has a fix-list with exactly the records it counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.members import rules, selectors
from dangvu.members.choices import TransferKind, TransferState
from dangvu.members.models import Member, MemberQuerySet, Stint, Transfer
from dangvu.metrics.registry import Value
from dangvu.orgs.models import Organization, OrgKind

ACTION = "members.view"

# A record is complete when all of these are filled in (field, label).
COMPLETE_FIELDS: list[tuple[str, str]] = [
    ("full_name", "họ và tên"),
    ("birth_date", "ngày sinh"),
    ("gender", "giới tính"),
    ("national_id", "số CCCD"),
    ("card_number", "số thẻ đảng viên"),
    ("hometown", "quê quán"),
    ("agency", "cơ quan, đơn vị công tác"),
]
_TEXT_FIELDS = {"full_name", "gender", "national_id", "card_number", "hometown"}

# The figures with a fix-list: slug in the URL → title.
MEMBER_FIGURES: dict[str, str] = {
    "ho-so-chua-du": "Hồ sơ chưa đủ thông tin",
    "cccd-sai": "Số CCCD không hợp lệ",
    "trung-lap": "Hồ sơ trùng lặp",
    "khong-chi-bo": "Không có tên trong chi bộ nào mà chưa ra khỏi Đảng",
}
ORG_FIGURES: dict[str, str] = {
    "chi-bo-it-dang-vien": "Chi bộ có dưới 3 đảng viên chính thức",
    "loai-co-so": "Loại tổ chức cơ sở không khớp số đảng viên",
}
FIGURES = {**MEMBER_FIGURES, **ORG_FIGURES}


@dataclass
class UnitQuality:
    """The figures of one unit (or of the whole scope when ``organization`` is ``None``)."""

    organization: Organization | None
    members: int = 0  # on a cell's roll today (an open stint)
    complete: int = 0
    invalid_ids: int = 0
    duplicates: int = 0
    without_stint: int = 0
    small_cells: int = 0
    kind_issues: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> int:
        return self.members - self.complete

    @property
    def complete_share(self) -> Value:
        return Value.share(self.complete, self.members)

    @property
    def has_issue(self) -> bool:
        return bool(
            self.incomplete
            or self.invalid_ids
            or self.duplicates
            or self.without_stint
            or self.small_cells
            or self.kind_issues
        )


@dataclass
class QualityReport:
    day: date
    units: list[UnitQuality]
    total: UnitQuality


@dataclass(frozen=True)
class OrganizationIssue:
    """A row of an organization fix-list: the organization, its counts today, the rule."""

    organization: Organization
    members: int
    full: int
    message: str


# --- the report -------------------------------------------------------------------------------


def report(*, actor: Actor, day: date | None = None) -> QualityReport:
    """Every figure for every unit of the actor's scope, and for the whole scope."""
    day = day or timezone.localdate()
    paths = dict(Organization.objects.restrict(actor, ACTION).values_list("id", "path"))
    roots = _roots(actor)
    units = _units(actor, roots)
    rows = {u.path: UnitQuality(u) for u in units}
    total = UnitQuality(None)

    def add(org_id: int, name: str, n: int = 1) -> None:
        setattr(total, name, getattr(total, name) + n)
        unit = _unit_path(paths.get(org_id, ""), rows)
        if unit is not None:
            setattr(rows[unit], name, getattr(rows[unit], name) + n)

    counts = (
        _on_roll(actor)
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("id"), complete=Count("id", filter=_complete_condition()))
    )
    for org_id, n, complete in counts:
        add(org_id, "members", n)
        add(org_id, "complete", complete)
    for org_id in _invalid_id_rows(actor).values():
        add(org_id, "invalid_ids")
    for name, qs in (("duplicates", _duplicates(actor)), ("without_stint", _without_stint(actor))):
        for org_id, n in qs.order_by().values_list("organization_id").annotate(n=Count("id")):
            add(org_id, name, n)
    cell_counts = _cell_counts(roots, day)
    for issue in _small_cells(actor, day, cell_counts):
        add(issue.organization.pk, "small_cells")
    for issue in _kind_issues(day, units, cell_counts, paths):
        rows[issue.organization.path].kind_issues.append(issue.message)
        total.kind_issues.append(issue.message)
    kept = [r for r in rows.values() if _active(r.organization, day) or r.has_issue]
    return QualityReport(day=day, units=kept, total=total)


# --- fix-lists --------------------------------------------------------------------------------


def unit_get(*, actor: Actor, pk: int) -> Organization:
    """An organization whose fix-lists the actor may read (404 when missing or out of scope)."""
    try:
        return Organization.objects.restrict(actor, ACTION).get(pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404("Không tìm thấy tổ chức.") from exc


def member_fix_list(
    *, actor: Actor, figure: str, unit: Organization | None = None
) -> QuerySet[Member]:
    """The members counted by a member figure, in Vietnamese order."""
    if figure == "ho-so-chua-du":
        qs: MemberQuerySet = _on_roll(actor).exclude(_complete_condition())
    elif figure == "trung-lap":
        qs = _duplicates(actor)
    elif figure == "khong-chi-bo":
        qs = _without_stint(actor)
    elif figure == "cccd-sai":
        qs = Member.objects.restrict(actor, ACTION).filter(pk__in=list(_invalid_id_rows(actor)))
    else:
        raise KeyError(figure)
    if unit is not None:
        qs = qs.filter(organization__path__startswith=unit.path)
    if figure == "trung-lap":
        return qs.select_related("organization").order_by("name_sort", "birth_date", "id")
    return qs.select_related("organization", "agency").order_by("name_sort", "id")


def organization_fix_list(
    *, actor: Actor, figure: str, unit: Organization | None = None, day: date | None = None
) -> list[OrganizationIssue]:
    day = day or timezone.localdate()
    if figure == "chi-bo-it-dang-vien":
        issues = _small_cells(actor, day, _cell_counts(_roots(actor), day))
    elif figure == "loai-co-so":
        paths = dict(Organization.objects.restrict(actor, ACTION).values_list("id", "path"))
        roots = _roots(actor)
        issues = _kind_issues(day, _units(actor, roots), _cell_counts(roots, day), paths)
    else:
        raise KeyError(figure)
    if unit is not None:
        issues = [i for i in issues if i.organization.path.startswith(unit.path)]
    return issues


def problem(figure: str, member: Member) -> str:
    """Why ``member`` is on a fix-list, for the person who corrects the record."""
    if figure == "ho-so-chua-du":
        return "Thiếu " + ", ".join(missing_fields(member)) + "."
    if figure == "cccd-sai":
        found = _check_id(member.national_id or "", member.birth_date, member.gender)
        return found[0].message if found else ""
    if figure == "trung-lap":
        return "Cùng họ tên và ngày sinh (hoặc cùng số CCCD) với một hồ sơ khác."
    if figure == "khong-chi-bo":
        return "Không có quá trình sinh hoạt đang mở, không chuyển đi, không ra khỏi Đảng."
    return ""


def missing_fields(member: Member) -> list[str]:
    missing = []
    for name, label in COMPLETE_FIELDS:
        value = getattr(member, "agency_id" if name == "agency" else name)
        if value is None or value == "":
            missing.append(label)
    return missing


# --- the figures ------------------------------------------------------------------------------


def _on_roll(actor: Actor) -> MemberQuerySet:
    """The members in scope on a cell's roll today (one open stint each)."""
    return Member.objects.restrict(actor, ACTION).current()


def _complete_condition() -> Q:
    condition = Q()
    for name, _label in COMPLETE_FIELDS:
        condition &= Q(**{f"{name}__isnull": False})
        if name in _TEXT_FIELDS:
            condition &= ~Q(**{name: ""})
    return condition


def _check_id(national_id: str, birth_date: date, gender: str) -> list[rules.Violation]:
    return rules.check_national_id(national_id, birth_date, gender == "F")


def _invalid_id_rows(actor: Actor) -> dict[int, int]:
    """Member id → cell id of the members on a roll whose CCCD fails the rule (re-checked in
    Python, one query over the scope)."""
    rows = (
        _on_roll(actor)
        .exclude(national_id__isnull=True)
        .exclude(national_id="")
        .values_list("id", "organization_id", "national_id", "birth_date", "gender")
    )
    return {
        pk: org_id
        for pk, org_id, national_id, birth, gender in rows.iterator(chunk_size=2000)
        if _check_id(national_id, birth, gender)
    }


def _duplicates(actor: Actor) -> MemberQuerySet:
    """Members on a roll sharing a CCCD, or the folded name and birth date, with another."""
    other = (
        _on_roll(actor)
        .filter(
            Q(national_id=OuterRef("national_id"))
            | Q(name_folded=OuterRef("name_folded"), birth_date=OuterRef("birth_date"))
        )
        .exclude(pk=OuterRef("pk"))
    )
    return _on_roll(actor).filter(Exists(other))


def _without_stint(actor: Actor) -> MemberQuerySet:
    """Members with no open stint who neither left the Party nor were transferred away
    (in transit to a cell, or to an organization outside the system): should be none."""
    open_stint = Stint.objects.unscoped().filter(member=OuterRef("pk"), end__isnull=True)
    transferred = Transfer.objects.unscoped().filter(
        Q(state=TransferState.IN_TRANSIT)
        | Q(state=TransferState.COMPLETED, to_organization__isnull=True),
        member=OuterRef("pk"),
        kind=TransferKind.OFFICIAL,
    )
    return (
        Member.objects.restrict(actor, ACTION)
        .filter(exited_on__isnull=True)
        .exclude(Exists(open_stint))
        .exclude(Exists(transferred))
    )


def _roots(actor: Actor) -> list[Organization]:
    paths = scope.granted_paths(actor, ACTION)
    organizations = Organization.objects.unscoped()
    if paths is None:
        return list(organizations.filter(depth=1))
    return list(organizations.filter(path__in=paths))


def _cell_counts(roots: list[Organization], day: date) -> dict[int, dict[str, Any]]:
    """Members and full members per cell of the scope on ``day`` (one query per scope root,
    usually one)."""
    counts: dict[int, dict[str, Any]] = {}
    for root in roots:
        counts.update(selectors.cell_counts(root, day))
    return counts


def _small_cells(
    actor: Actor, day: date, counts: dict[int, dict[str, Any]]
) -> list[OrganizationIssue]:
    """The cells of the scope active on ``day`` with fewer than 3 full members."""
    found = []
    cells = Organization.objects.restrict(actor, ACTION).cells().valid_on(day)
    for cell in cells:
        row = counts.get(cell.pk, {})
        for violation in rules.check_cell_size(row.get("full", 0)):
            found.append(
                OrganizationIssue(
                    cell, row.get("members", 0), row.get("full", 0), violation.message
                )
            )
    return found


def _kind_issues(
    day: date,
    units: Iterable[Organization],
    counts: dict[int, dict[str, Any]],
    paths: dict[int, str],
) -> list[OrganizationIssue]:
    """The grassroots organizations whose kind does not fit their head-count on ``day``."""
    grassroots = [u for u in units if u.is_grassroots and _active(u, day)]
    members: Counter[str] = Counter()
    full: Counter[str] = Counter()
    by_path = {u.path: u for u in grassroots}
    for cell_id, row in counts.items():
        unit = _unit_path(paths.get(cell_id, ""), by_path)
        if unit is not None:
            members[unit] += row["members"]
            full[unit] += row["full"]
    found = []
    for unit in grassroots:
        for violation in rules.check_grassroots_kind(unit.kind, members[unit.path]):
            found.append(
                OrganizationIssue(unit, members[unit.path], full[unit.path], violation.message)
            )
    return found


# --- units ------------------------------------------------------------------------------------

_BELOW_GRASSROOTS = (OrgKind.PARTIAL_COMMITTEE, OrgKind.CELL)


def _units(actor: Actor, roots: list[Organization]) -> list[Organization]:
    """The grassroots organizations of the scope, and the scope's top organizations that lie
    below the grassroots level; they never nest, so every cell belongs to exactly one."""
    grassroots = list(Organization.objects.restrict(actor, ACTION).grassroots())
    below = [r for r in roots if r.kind in _BELOW_GRASSROOTS]
    return sorted(grassroots + below, key=lambda o: o.path)


def _unit_path(path: str, units: dict[str, Any]) -> str | None:
    """The path of the unit that holds the organization at ``path``, if any."""
    for end in range(Organization.steplen, len(path) + 1, Organization.steplen):
        if path[:end] in units:
            return path[:end]
    return None


def _active(organization: Organization | None, day: date) -> bool:
    if organization is None:
        return True
    return organization.valid_from <= day and (
        organization.valid_to is None or organization.valid_to >= day
    )
