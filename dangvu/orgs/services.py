"""Writes to the organization tree: scope check, rules, write and audit in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit.services import diff, record, snapshot
from dangvu.core.exceptions import DomainError, NotPermitted
from dangvu.core.rules import enforce
from dangvu.core.services import check_version, ensure_visible, lock
from dangvu.core.text import fold
from dangvu.orgs import rules
from dangvu.orgs.models import Agency, CommitteeSeat, Organization, SeatRole, Term

ORG_FIELDS = ("code", "name", "kind", "valid_from", "valid_to", "decision")
AGENCY_FIELDS = ("code", "name", "organization", "valid_from", "valid_to")


def _check_code_free(model: type[Organization] | type[Agency], code: str, pk: int | None) -> None:
    taken = model.objects.unscoped().filter(code=code)
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise DomainError(
            f"Mã {code} đã được dùng.", field_errors={"code": f"Mã {code} đã được dùng."}
        )


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    decision: str = "",
) -> Organization:
    """Create an organization under ``parent`` (a root only by a superuser or the system).

    The parent must be in the actor's scope for ``orgs.add`` and be of a kind the new one may
    stand under (Điều lệ Đảng, Điều 21, 24).
    """
    if parent is None:
        if not actor.is_superuser:
            raise NotPermitted("Chỉ quản trị hệ thống mới tạo được tổ chức gốc.")
    else:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        scope.require(actor, "orgs.add", parent)
    code = code.strip()
    enforce(rules.check_parent_kind(kind, parent.kind if parent else None, valid_from))
    enforce(rules.check_validity(valid_from, valid_to))
    _check_code_free(Organization, code, None)
    fields = {
        "code": code,
        "name": name.strip(),
        "name_folded": fold(name),
        "kind": kind,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "decision": decision.strip(),
    }
    try:
        if parent is None:
            org = Organization.objects.add_root(create_kwargs=fields)
        else:
            org = Organization.objects.add_child(parent, create_kwargs=fields)
    except IntegrityError as exc:  # a concurrent create took the code
        raise DomainError(
            f"Mã {code} đã được dùng.", field_errors={"code": "Mã đã tồn tại."}
        ) from exc
    ensure_visible(actor, "orgs.view", org)
    record(
        actor=actor,
        action="orgs.organization.create",
        target=org,
        organization=org,
        changes={k: [None, v] for k, v in snapshot(org, ORG_FIELDS).items()},
    )
    return org


@transaction.atomic
def organization_update(
    *,
    actor: Actor,
    organization: Organization,
    version: int,
    code: str,
    name: str,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    decision: str = "",
) -> Organization:
    """Change an organization's own fields; refused if someone saved it since ``version``."""
    org = lock(organization)
    scope.require(actor, "orgs.change", org)
    submitted = {"code": code, "name": name, "kind": kind, "valid_from": valid_from}
    check_version(org, version, {**submitted, "valid_to": valid_to})
    parent = Organization.objects.get_parent(org)
    enforce(rules.check_parent_kind(kind, parent.kind if parent else None, valid_from))
    for child in Organization.objects.get_children(org):
        enforce(rules.check_parent_kind(child.kind, kind, valid_from))
    enforce(rules.check_validity(valid_from, valid_to))
    code = code.strip()
    _check_code_free(Organization, code, org.pk)
    before = snapshot(org, ORG_FIELDS)
    org.code, org.name, org.name_folded = code, name.strip(), fold(name)
    org.kind, org.valid_from, org.valid_to = kind, valid_from, valid_to
    org.decision = decision.strip()
    changes = diff(before, snapshot(org, ORG_FIELDS))
    if changes:  # an unchanged form is no edit: same version, nothing logged
        org.version += 1
        org.save()
        record(
            actor=actor,
            action="orgs.organization.update",
            target=org,
            organization=org,
            changes=changes,
        )
    return org


@transaction.atomic
def organization_move(
    *, actor: Actor, organization: Organization, new_parent: Organization, version: int, reason: str
) -> Organization:
    """Move an organization, with its whole subtree, under ``new_parent``.

    Both the organization and its new parent must be in the actor's scope for ``orgs.move``.
    """
    org = lock(organization)
    scope.require(actor, "orgs.move", org)
    check_version(org, version, {})
    target = Organization.objects.select_for_update().get(pk=new_parent.pk)
    scope.require(actor, "orgs.move", target)
    if target.path.startswith(org.path):
        raise DomainError(
            "Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.",
            field_errors={"new_parent": "Tổ chức cấp trên mới nằm trong tổ chức đang chuyển."},
        )
    enforce(rules.check_parent_kind(org.kind, target.kind, timezone.localdate()))
    old_parent = Organization.objects.get_parent(org)
    Organization.objects.move(org, target, pos="last-child")
    org = Organization.objects.get(pk=org.pk)
    org.version += 1
    org.save(update_fields=["version", "updated_at"])
    ensure_visible(actor, "orgs.move", org)
    record(
        actor=actor,
        action="orgs.organization.move",
        target=org,
        organization=org,
        changes={"parent": [str(old_parent) if old_parent else None, str(target)]},
        reason=reason,
    )
    return org


@transaction.atomic
def agency_create(
    *,
    actor: Actor,
    organization: Organization,
    code: str,
    name: str,
    valid_from: date,
    valid_to: date | None = None,
) -> Agency:
    """Record an agency or unit led by a grassroots organization in the actor's scope."""
    scope.require(actor, "orgs.add", organization)
    if not organization.is_grassroots:
        raise DomainError(
            "Cơ quan, đơn vị phải do một tổ chức cơ sở đảng lãnh đạo.",
            field_errors={"organization": "Hãy chọn đảng bộ cơ sở hoặc chi bộ cơ sở."},
        )
    enforce(rules.check_validity(valid_from, valid_to))
    code = code.strip()
    _check_code_free(Agency, code, None)
    agency = Agency.objects.create(
        code=code,
        name=name.strip(),
        organization=organization,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    record(
        actor=actor,
        action="orgs.agency.create",
        target=agency,
        organization=organization,
        changes={k: [None, v] for k, v in snapshot(agency, AGENCY_FIELDS).items()},
    )
    return agency


@transaction.atomic
def agency_update(
    *,
    actor: Actor,
    agency: Agency,
    version: int,
    code: str,
    name: str,
    organization: Organization,
    valid_from: date,
    valid_to: date | None = None,
) -> Agency:
    """Change an agency; moving it to another leading organization needs scope on both."""
    current = lock(agency)
    scope.require(actor, "orgs.change", current.organization)
    scope.require(actor, "orgs.change", organization)
    check_version(current, version, {"code": code, "name": name, "organization": organization})
    if not organization.is_grassroots:
        raise DomainError(
            "Cơ quan, đơn vị phải do một tổ chức cơ sở đảng lãnh đạo.",
            field_errors={"organization": "Hãy chọn đảng bộ cơ sở hoặc chi bộ cơ sở."},
        )
    enforce(rules.check_validity(valid_from, valid_to))
    code = code.strip()
    _check_code_free(Agency, code, current.pk)
    before = snapshot(current, AGENCY_FIELDS)
    current.code, current.name, current.organization = code, name.strip(), organization
    current.valid_from, current.valid_to = valid_from, valid_to
    current.version += 1
    current.save()
    ensure_visible(actor, "orgs.view", current)
    changes = diff(before, snapshot(current, AGENCY_FIELDS))
    if changes:
        record(
            actor=actor,
            action="orgs.agency.update",
            target=current,
            organization=organization,
            changes=changes,
        )
    return current


@transaction.atomic
def term_create(
    *,
    actor: Actor,
    organization: Organization,
    congress_number: int,
    congress_date: date,
    start_date: date,
    end_date: date,
) -> tuple[Term, list[str]]:
    """Open a committee term after the organization's N-th congress; returns warnings too."""
    organization = lock(organization)  # serializes concurrent terms of one organization
    scope.require(actor, "orgs.add", organization)
    warnings = enforce(rules.check_term_length(start_date, end_date))
    if Term.objects.filter(organization=organization, congress_number=congress_number).exists():
        raise DomainError(
            f"Đại hội lần thứ {congress_number} của tổ chức này đã được ghi.",
            field_errors={"congress_number": "Đã có nhiệm kỳ với số đại hội này."},
        )
    term = Term.objects.create(
        organization=organization,
        congress_number=congress_number,
        congress_date=congress_date,
        start_date=start_date,
        end_date=end_date,
    )
    record(
        actor=actor,
        action="orgs.term.create",
        target=term,
        organization=organization,
        changes={
            "congress_number": [None, congress_number],
            "start_date": [None, start_date],
            "end_date": [None, end_date],
        },
        data={"warnings": [str(w) for w in warnings]} if warnings else None,
    )
    return term, [str(w) for w in warnings]


@transaction.atomic
def seat_create(
    *, actor: Actor, term: Term, role: str, full_name: str, start_date: date
) -> CommitteeSeat:
    """Record a committee member (elected or appointed) in a term.

    A committee has one secretary at a time: a new secretary is refused while another holds
    the seat.
    """
    term = Term.objects.select_for_update().select_related("organization").get(pk=term.pk)
    scope.require(actor, "orgs.change", term.organization)
    if not term.start_date <= start_date <= term.end_date:
        raise DomainError(
            "Ngày nhận chức vụ phải nằm trong nhiệm kỳ.",
            field_errors={"start_date": "Ngày ngoài nhiệm kỳ."},
        )
    if (
        role == SeatRole.SECRETARY
        and term.seats.filter(role=SeatRole.SECRETARY, end_date__isnull=True).exists()
    ):
        raise DomainError(
            "Nhiệm kỳ này đang có Bí thư; hãy kết thúc chức vụ của người trước.",
            field_errors={"role": "Đã có Bí thư."},
        )
    seat = CommitteeSeat.objects.create(
        term=term, role=role, full_name=full_name.strip(), start_date=start_date
    )
    record(
        actor=actor,
        action="orgs.seat.create",
        target=seat,
        organization=term.organization,
        changes={"role": [None, role], "full_name": [None, seat.full_name]},
    )
    return seat


@transaction.atomic
def seat_end(*, actor: Actor, seat: CommitteeSeat, end_date: date, reason: str) -> CommitteeSeat:
    """End a person's seat on the committee (term over, transfer, resignation, discipline)."""
    seat = (
        CommitteeSeat.objects.select_for_update()
        .select_related("term__organization")
        .get(pk=seat.pk)
    )
    scope.require(actor, "orgs.change", seat.term.organization)
    if seat.end_date is not None:
        raise DomainError("Chức vụ này đã kết thúc.")
    if end_date < seat.start_date:
        raise DomainError(
            "Ngày kết thúc không thể trước ngày nhận chức vụ.",
            field_errors={"end_date": "Trước ngày nhận chức vụ."},
        )
    seat.end_date = end_date
    seat.save(update_fields=["end_date", "updated_at"])
    record(
        actor=actor,
        action="orgs.seat.end",
        target=seat,
        organization=seat.term.organization,
        changes={"end_date": [None, end_date]},
        reason=reason,
    )
    return seat
