"""Writes to the member registry: scope, rules, write and audit in one transaction each.

Status and membership dates are never typed in: they follow from the events recorded here
(admission, recognition, exits, readmission) and from transfers, which open and close stints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dangvu.access import scope
from dangvu.access.scope import Actor
from dangvu.audit.services import diff, record, snapshot
from dangvu.core import calendar
from dangvu.core.exceptions import DomainError
from dangvu.core.rules import Citation, Severity, Violation, enforce
from dangvu.core.services import check_version, lock
from dangvu.core.text import fold, given_first, name_sort_key
from dangvu.members import rules
from dangvu.members.choices import (
    EXIT_KINDS,
    GAP_KINDS,
    EventKind,
    StintEnd,
    TransferKind,
    TransferState,
)
from dangvu.members.models import Member, MemberEvent, Stint, Transfer
from dangvu.orgs.models import Agency, Organization

PERSONAL_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "religion",
    "national_id",
    "card_number",
    "hometown",
    "residence",
    "education",
    "qualification",
    "theory_level",
    "position",
    "agency",
    "phone",
    "email",
)
_DATA_RULE = Citation("Quy tắc dữ liệu của dangvu")
_READMISSION = Citation(rules.QD_24, "mục 3.5")


def _error(code: str, message: str, field: str = "") -> Violation:
    return Violation(code, message, _DATA_RULE, field=field)


@dataclass(frozen=True)
class Arrival:
    """The introduction letter a member transferred in from outside the installation brought."""

    from_outside: str
    letter_date: date
    letter_number: str = ""
    late_reason: str = ""


def check_personal(
    personal: dict[str, Any], *, exclude_pk: int | None = None, against_database: bool = True
) -> list[Violation]:
    """Rules on the personal record, shared by the forms, the API and the importer (which
    checks duplicates against the database for the whole file at once instead)."""
    today = timezone.localdate()
    found: list[Violation] = []
    if not str(personal.get("full_name", "")).strip():
        found.append(_error("members.name_required", "Họ và tên không được để trống.", "full_name"))
    birth = personal.get("birth_date")
    if birth is not None and birth >= today:
        found.append(_error("members.birth_future", "Ngày sinh phải trước hôm nay.", "birth_date"))
    national_id = personal.get("national_id") or ""
    gender = personal.get("gender") or ""
    if national_id and birth is not None and gender:
        found += rules.check_national_id(national_id, birth, gender == "F")
    elif national_id:
        # Without the birth date or the gender (missing, or unreadable in an imported row)
        # only the structure can be checked: 12 digits and a province code. The rule checks
        # those first and stops at the first failure, so any birth date does here; the
        # gender-and-century and birth-year checks it may add are left out.
        found += [
            v
            for v in rules.check_national_id(national_id, date(2000, 1, 1), False)
            if v.code in ("members.cccd_format", "members.cccd_province")
        ]
    if against_database:
        taken_ids, taken_cards = taken_numbers(
            [national_id] if national_id else [],
            [personal["card_number"]] if personal.get("card_number") else [],
            exclude_pk=exclude_pk,
        )
        found += duplicate_violations(personal, taken_ids, taken_cards)
    return found


def taken_numbers(
    national_ids: list[str], card_numbers: list[str], *, exclude_pk: int | None = None
) -> tuple[set[str], set[str]]:
    """Which of these CCCDs and card numbers are already on record (batched queries)."""
    members = Member.objects.unscoped()
    if exclude_pk is not None:
        members = members.exclude(pk=exclude_pk)
    ids: set[str] = set()
    cards: set[str] = set()
    for i in range(0, len(national_ids), 500):
        chunk = national_ids[i : i + 500]
        rows = members.filter(national_id__in=chunk).values_list("national_id", flat=True)
        ids |= {n for n in rows if n}
    for i in range(0, len(card_numbers), 500):
        chunk = card_numbers[i : i + 500]
        rows = members.filter(card_number__in=chunk).values_list("card_number", flat=True)
        cards |= {n for n in rows if n}
    return ids, cards


def duplicate_violations(
    personal: dict[str, Any], taken_ids: set[str], taken_cards: set[str]
) -> list[Violation]:
    found = []
    national_id = personal.get("national_id") or ""
    if national_id in taken_ids:
        found.append(
            _error(
                "members.cccd_duplicate",
                f"Số CCCD {national_id} đã có trong danh sách đảng viên.",
                "national_id",
            )
        )
    card = personal.get("card_number") or ""
    if card in taken_cards:
        found.append(
            _error(
                "members.card_duplicate",
                f"Số thẻ đảng viên {card} đã có trong danh sách.",
                "card_number",
            )
        )
    return found


def check_membership_dates(
    *, birth_date: date, admitted_on: date, recognized_on: date | None, joined_on: date
) -> list[Violation]:
    today = timezone.localdate()
    found: list[Violation] = []
    for name, value, label in (
        ("admitted_on", admitted_on, "Ngày vào Đảng"),
        ("recognized_on", recognized_on, "Ngày chính thức"),
        ("joined_on", joined_on, "Ngày sinh hoạt tại chi bộ"),
    ):
        if value is not None and value > today:
            found.append(_error("members.date_future", f"{label} không thể sau hôm nay.", name))
    if admitted_on <= birth_date:
        found.append(
            _error(
                "members.admitted_before_birth", "Ngày vào Đảng phải sau ngày sinh.", "admitted_on"
            )
        )
    elif admitted_on < birth_date + relativedelta(years=18):
        found.append(
            Violation(
                "members.admitted_under_18",
                "Người vào Đảng phải đủ 18 tuổi; hãy kiểm tra ngày sinh và ngày vào Đảng.",
                Citation(rules.CHARTER, "Điều 1"),
                Severity.WARNING,
                field="admitted_on",
            )
        )
    if recognized_on is not None and recognized_on < admitted_on:
        found.append(
            _error(
                "members.recognized_before_admitted",
                "Ngày chính thức phải sau ngày vào Đảng.",
                "recognized_on",
            )
        )
    if joined_on < admitted_on:
        found.append(
            _error(
                "members.joined_before_admitted",
                "Ngày sinh hoạt tại chi bộ không thể trước ngày vào Đảng.",
                "joined_on",
            )
        )
    return found


def _require_cell(organization: Organization, field: str = "organization") -> None:
    if not organization.is_cell:
        raise DomainError(
            "Đảng viên sinh hoạt ở chi bộ (chi bộ trực thuộc hoặc chi bộ cơ sở).",
            field_errors={field: "Hãy chọn một chi bộ."},
        )


def _search_keys(full_name: str) -> dict[str, str]:
    name = " ".join(full_name.split())
    return {
        "full_name": name,
        "name_folded": fold(name),
        "name_key": given_first(name),
        "name_sort": name_sort_key(name),
    }


def _clean_personal(personal: dict[str, Any]) -> dict[str, Any]:
    unknown = set(personal) - set(PERSONAL_FIELDS)
    if unknown:
        raise TypeError(f"Not personal fields: {sorted(unknown)}")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in personal.items()}
    for unique in ("national_id", "card_number"):
        if unique in cleaned and not cleaned[unique]:
            cleaned[unique] = None
    return cleaned


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    organization: Organization,
    admitted_on: date,
    joined_on: date,
    recognized_on: date | None = None,
    join_reason: str = EventKind.ADMITTED,
    decision_number: str = "",
    arrival: Arrival | None = None,
    audit: bool = True,
    **personal: Any,
) -> tuple[Member, list[Violation]]:
    """Put a member on a cell's roll: newly admitted (``join_reason`` ADMITTED, ``joined_on``
    the ceremony) or arriving with an existing membership (TRANSFERRED_IN).

    The admission and recognition dates become events, so the status follows from them.
    ``arrival`` records the introduction letter of a member transferred in from outside the
    installation (with the 30-working-day check on its presentation). ``audit=False`` is for
    the importer, which records one event for the whole batch.
    """
    scope.require(actor, "members.add", organization)
    _require_cell(organization)
    personal = _clean_personal(personal)
    if isinstance(personal.get("agency"), Agency):
        scope.require(actor, "orgs.view", personal["agency"].organization)
    found = check_personal(personal) + check_membership_dates(
        birth_date=personal["birth_date"],
        admitted_on=admitted_on,
        recognized_on=recognized_on,
        joined_on=joined_on,
    )
    if arrival is not None:
        if join_reason != EventKind.TRANSFERRED_IN:
            raise DomainError("Giấy giới thiệu chỉ dùng cho đảng viên chuyển đến.")
        found += rules.check_transfer_dates(
            effective_on=arrival.letter_date,
            letter_date=arrival.letter_date,
            presented_on=joined_on,
            working_days=_working_days,
        )
    warnings = enforce(found)
    member = Member.objects.create(
        organization=organization,
        admitted_on=admitted_on,
        recognized_on=recognized_on,
        **{**personal, **_search_keys(personal["full_name"])},
    )
    Stint.objects.create(
        member=member,
        organization=organization,
        start=joined_on,
        start_reason=join_reason,
        recognized_on=recognized_on,
    )
    MemberEvent.objects.bulk_create(
        _joining_events(
            member,
            organization=organization,
            admitted_on=admitted_on,
            recognized_on=recognized_on,
            joined_on=joined_on,
            join_reason=join_reason,
            decision_number=decision_number,
        )
    )
    if arrival is not None:
        Transfer.objects.create(
            member=member,
            kind=TransferKind.OFFICIAL,
            state=TransferState.COMPLETED,
            to_organization=organization,
            outside=arrival.from_outside.strip(),
            effective_on=arrival.letter_date,
            letter_number=arrival.letter_number,
            letter_date=arrival.letter_date,
            presented_on=joined_on,
            late_reason=arrival.late_reason.strip(),
        )
    if audit:
        record(
            actor=actor,
            action="members.member.create",
            target=member,
            organization=organization,
            changes={
                "full_name": [None, member.full_name],
                "organization": [None, organization.code],
            },
            data={"warnings": [str(w) for w in warnings]} if warnings else None,
        )
    return member, warnings


def _joining_events(
    member: Member,
    *,
    organization: Organization,
    admitted_on: date,
    recognized_on: date | None,
    joined_on: date,
    join_reason: str,
    decision_number: str,
) -> list[MemberEvent]:
    """The events of a member put on a roll: admission, recognition (if already full), and the
    arrival for a member transferred in. A transferred-in member was admitted and recognized
    by another organization: those events are marked ``elsewhere`` so that this installation's
    admission figures do not count them."""
    elsewhere = join_reason == EventKind.TRANSFERRED_IN
    events = [
        MemberEvent(
            member=member,
            kind=EventKind.ADMITTED,
            date=admitted_on,
            decision_number=decision_number,
            decision_date=admitted_on,
            organization=organization,
            elsewhere=elsewhere,
        )
    ]
    if recognized_on is not None:
        events.append(
            MemberEvent(
                member=member,
                kind=EventKind.RECOGNIZED,
                date=recognized_on,
                organization=organization,
                elsewhere=elsewhere,
            )
        )
    if elsewhere:
        events.append(
            MemberEvent(
                member=member,
                kind=EventKind.TRANSFERRED_IN,
                date=joined_on,
                organization=organization,
            )
        )
    return events


@transaction.atomic
def member_update(*, actor: Actor, member: Member, version: int, **personal: Any) -> Member:
    """Correct the personal record (not the membership dates: those come from events)."""
    current = lock(member)
    scope.require(actor, "members.change", current.organization)
    personal = _clean_personal(personal)
    check_version(current, version, personal)
    merged = {name: getattr(current, name) for name in PERSONAL_FIELDS} | personal
    enforce(check_personal(merged, exclude_pk=current.pk))
    if isinstance(merged.get("agency"), Agency):
        scope.require(actor, "orgs.view", merged["agency"].organization)
    before = snapshot(current, PERSONAL_FIELDS)
    for name, value in personal.items():
        setattr(current, name, value)
    for name, value in _search_keys(current.full_name).items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    changes = diff(before, snapshot(current, PERSONAL_FIELDS))
    if changes:
        record(
            actor=actor,
            action="members.member.update",
            target=current,
            organization=current.organization,
            changes=_mask(changes),
        )
    return current


def _mask(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The log keeps that a national ID changed, not the numbers (they are personal data)."""
    if "national_id" in changes:
        changes["national_id"] = ["***" if v else v for v in changes["national_id"]]
    return changes


def _open_stint(member: Member) -> Stint:
    stint = member.stints.filter(end__isnull=True).first()
    if stint is None:
        raise DomainError(f"{member.full_name} hiện không sinh hoạt ở chi bộ nào.")
    return stint


@transaction.atomic
def event_record(
    *,
    actor: Actor,
    member: Member,
    kind: str,
    date: date,
    decision_number: str = "",
    decision_date: date | None = None,
    issuer: str = "",
    note: str = "",
    end_date: date | None = None,
    organization: Organization | None = None,
) -> MemberEvent:
    """Record recognition, exemption, suspension, an exit or a readmission.

    Exits end the member's stint on ``date``; a readmission (allowed once, Quy định
    24-QĐ/TW mục 3.5) opens a new one in ``organization`` and starts a new probation.
    Admission and transfers have their own services.
    """
    member = lock(member)
    scope.require(actor, "members.change", member.organization)
    if date > timezone.localdate():
        raise DomainError(
            "Ngày của sự kiện không thể sau hôm nay.",
            field_errors={"date": "Ngày trong tương lai."},
        )
    where = member.organization
    if kind == EventKind.RECOGNIZED:
        _recognize(member, date)
    elif kind in (EventKind.EXEMPTED, EventKind.SUSPENDED):
        _open_stint(member)
    elif kind in EXIT_KINDS:
        _exit(member, kind, date)
    elif kind == EventKind.READMITTED:
        if organization is None:
            raise DomainError(
                "Hãy chọn chi bộ sinh hoạt.", field_errors={"organization": "Bắt buộc."}
            )
        scope.require(actor, "members.add", organization)
        _readmit(member, date, organization)
        where = organization
    else:
        raise DomainError("Sự kiện này được ghi qua chức năng riêng (kết nạp, chuyển sinh hoạt).")
    event = MemberEvent.objects.create(
        member=member,
        kind=kind,
        date=date,
        end_date=end_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        note=note,
        organization=where,
    )
    record(
        actor=actor,
        action="members.event.record",
        target=member,
        organization=where,
        changes={"event": [None, kind], "date": [None, date]},
        data={"decision_number": decision_number} if decision_number else None,
    )
    return event


def _membership_start(member: Member) -> date:
    return member.readmitted_on or member.admitted_on


def _recognize(member: Member, day: date) -> None:
    stint = _open_stint(member)
    if stint.recognized_on is not None:
        raise DomainError(f"{member.full_name} đã là đảng viên chính thức.")
    start = _membership_start(member)
    if day < start:
        raise DomainError(
            "Ngày công nhận chính thức phải sau ngày kết nạp.",
            field_errors={"date": "Trước ngày kết nạp."},
        )
    member.stints.filter(start__gte=start, recognized_on__isnull=True).update(recognized_on=day)
    member.recognized_on = day
    member.save(update_fields=["recognized_on", "updated_at"])


def _exit(member: Member, kind: str, day: date) -> None:
    stint = _open_stint(member)
    if day <= stint.start:
        raise DomainError(
            "Ngày này phải sau ngày bắt đầu sinh hoạt ở chi bộ hiện tại.",
            field_errors={"date": "Quá sớm."},
        )
    stint.end, stint.end_reason = day, StintEnd.EXIT
    stint.save(update_fields=["end", "end_reason", "updated_at"])
    member.exited_on, member.exit_kind = day, kind
    member.save(update_fields=["exited_on", "exit_kind", "updated_at"])


def _readmit(member: Member, day: date, organization: Organization) -> None:
    _require_cell(organization)
    if member.readmitted_on is not None:
        enforce(
            [Violation("members.readmitted_twice", "Chỉ được kết nạp lại một lần.", _READMISSION)]
        )
    if member.exit_kind not in GAP_KINDS or member.exited_on is None:
        raise DomainError("Chỉ kết nạp lại người đã bị xóa tên, khai trừ hoặc đã ra khỏi Đảng.")
    if day <= member.exited_on:
        raise DomainError(
            "Ngày kết nạp lại phải sau ngày ra khỏi Đảng.", field_errors={"date": "Quá sớm."}
        )
    Stint.objects.create(
        member=member, organization=organization, start=day, start_reason=EventKind.READMITTED
    )
    member.readmitted_on, member.exited_on, member.exit_kind = day, None, ""
    member.recognized_on, member.organization = None, organization
    member.save()


# --- transfers ------------------------------------------------------------------------------


def _destination(to_organization: Organization | None, outside: str) -> str:
    """Where a transfer goes, by name: a cell of the tree or an organization outside it
    (exactly one of the two)."""
    if (to_organization is None) == (not outside.strip()):
        raise DomainError(
            "Hãy chọn chi bộ trong hệ thống hoặc ghi tên tổ chức đảng nơi đến.",
            field_errors={"to_organization": "Chọn một trong hai."},
        )
    return to_organization.name if to_organization is not None else outside.strip()


def _working_days(start: date, end: date) -> int:
    return calendar.working_days_between(start, end)


@transaction.atomic
def transfer_out(
    *,
    actor: Actor,
    member: Member,
    effective_on: date,
    letter_date: date,
    letter_number: str = "",
    to_organization: Organization | None = None,
    outside: str = "",
    reason: str = "",
) -> tuple[Transfer, list[str]]:
    """Official transfer: the member leaves the cell on the letter's date, to a cell of the
    tree (which receives them when they present the letter) or to an organization outside.

    Time limits (60 working days for the procedure) are warnings, recorded with the transfer.
    """
    member = lock(member)
    scope.require(actor, "members.transfer", member.organization)
    destination = _destination(to_organization, outside)
    if to_organization is not None:
        _require_cell(to_organization, "to_organization")
        if to_organization.valid_to is not None and to_organization.valid_to <= letter_date:
            raise DomainError(
                f"{to_organization.name} đã giải thể, sáp nhập.",
                field_errors={"to_organization": "Chi bộ không còn hoạt động."},
            )
        if to_organization.pk == member.organization_id:
            raise DomainError(
                "Chi bộ nhận trùng chi bộ hiện tại.", field_errors={"to_organization": "Trùng."}
            )
    stint = _open_stint(member)
    if letter_date <= stint.start or letter_date > timezone.localdate():
        raise DomainError(
            "Ngày giới thiệu phải sau ngày bắt đầu sinh hoạt ở chi bộ hiện tại "
            "và không sau hôm nay.",
            field_errors={"letter_date": "Ngày không hợp lệ."},
        )
    warnings = enforce(
        rules.check_transfer_dates(
            effective_on=effective_on,
            letter_date=letter_date,
            presented_on=None,
            working_days=_working_days,
        )
    )
    stint.end, stint.end_reason = letter_date, StintEnd.TRANSFERRED
    stint.save(update_fields=["end", "end_reason", "updated_at"])
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.OFFICIAL,
        state=TransferState.IN_TRANSIT if to_organization else TransferState.COMPLETED,
        from_organization=member.organization,
        to_organization=to_organization,
        outside=outside.strip(),
        reason=reason,
        effective_on=effective_on,
        letter_number=letter_number,
        letter_date=letter_date,
    )
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.TRANSFERRED_OUT,
        date=letter_date,
        decision_number=letter_number,
        organization=member.organization,
        note=destination,
    )
    record(
        actor=actor,
        action="members.transfer.out",
        target=member,
        organization=member.organization,
        changes={"to": [None, to_organization.code if to_organization else destination]},
        data={"warnings": [str(w) for w in warnings]} if warnings else None,
    )
    return transfer, [str(w) for w in warnings]


@transaction.atomic
def transfer_receive(
    *, actor: Actor, transfer: Transfer, presented_on: date, late_reason: str = ""
) -> tuple[Transfer, list[str]]:
    """The receiving cell records the day the member presented the letter: the member's
    stint there starts that day. A letter presented after 30 working days needs the reason."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "to_organization")
        .get(pk=transfer.pk)
    )
    if (
        transfer.kind != TransferKind.OFFICIAL
        or transfer.to_organization is None
        or transfer.state != TransferState.IN_TRANSIT
    ):
        raise DomainError("Lượt chuyển này không chờ chi bộ nhận.")
    scope.require(actor, "members.transfer", transfer.to_organization)
    if presented_on > timezone.localdate():
        raise DomainError(
            "Ngày nộp giấy giới thiệu không thể sau hôm nay.",
            field_errors={"presented_on": "Ngày trong tương lai."},
        )
    found = rules.check_transfer_dates(
        effective_on=transfer.effective_on,
        letter_date=transfer.letter_date,
        presented_on=presented_on,
        working_days=_working_days,
    )
    warnings = enforce(found)
    late = [w for w in warnings if w.code == "members.transfer_arrival_late"]
    if late and not late_reason.strip():
        raise DomainError(
            str(late[0]), field_errors={"late_reason": "Đảng viên nộp chậm: hãy ghi lý do."}
        )
    member = lock(transfer.member)
    last = member.stints.order_by("-start").first()
    Stint.objects.create(
        member=member,
        organization=transfer.to_organization,
        start=presented_on,
        start_reason=EventKind.TRANSFERRED_IN,
        recognized_on=last.recognized_on if last else member.recognized_on,
    )
    member.organization = transfer.to_organization
    member.save(update_fields=["organization", "updated_at"])
    transfer.presented_on, transfer.late_reason = presented_on, late_reason.strip()
    transfer.state = TransferState.COMPLETED
    transfer.save()
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.TRANSFERRED_IN,
        date=presented_on,
        organization=transfer.to_organization,
    )
    record(
        actor=actor,
        action="members.transfer.receive",
        target=member,
        organization=transfer.to_organization,
        changes={
            "organization": [
                transfer.from_organization.code if transfer.from_organization else None,
                transfer.to_organization.code,
            ]
        },
        data={"warnings": [str(w) for w in warnings]} if warnings else None,
        reason=late_reason.strip(),
    )
    return transfer, [str(w) for w in warnings]


@transaction.atomic
def transfer_temporary(
    *,
    actor: Actor,
    member: Member,
    start: date,
    planned_end: date,
    letter_date: date,
    letter_number: str = "",
    to_organization: Organization | None = None,
    outside: str = "",
    reason: str = "",
    training: bool = False,
) -> Transfer:
    """Temporary activity elsewhere (3 months to under a year; up to 2 years for training):
    the member stays on the home cell's roll and is counted there, not at the host."""
    member = lock(member)
    scope.require(actor, "members.transfer", member.organization)
    _open_stint(member)
    destination = _destination(to_organization, outside)
    enforce(rules.check_temporary_duration(start, planned_end, training))
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.TEMPORARY,
        from_organization=member.organization,
        to_organization=to_organization,
        outside=outside.strip(),
        reason=reason,
        effective_on=start,
        letter_number=letter_number,
        letter_date=letter_date,
        planned_end=planned_end,
    )
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.TEMPORARY_OUT,
        date=start,
        end_date=planned_end,
        organization=member.organization,
        note=destination,
    )
    record(
        actor=actor,
        action="members.transfer.temporary",
        target=member,
        organization=member.organization,
        changes={"planned_end": [None, planned_end]},
    )
    return transfer


@transaction.atomic
def transfer_return(*, actor: Actor, transfer: Transfer, returned_on: date) -> Transfer:
    """The member is back from temporary activity elsewhere."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_organization")
        .get(pk=transfer.pk)
    )
    if transfer.kind != TransferKind.TEMPORARY or transfer.state != TransferState.IN_TRANSIT:
        raise DomainError("Lượt sinh hoạt tạm thời này đã kết thúc.")
    home = transfer.from_organization
    if home is None:
        raise DomainError("Lượt chuyển này không có chi bộ gốc trong hệ thống.")
    scope.require(actor, "members.transfer", home)
    if returned_on > timezone.localdate():
        raise DomainError(
            "Ngày trở lại không thể sau hôm nay.",
            field_errors={"returned_on": "Ngày trong tương lai."},
        )
    if returned_on < transfer.effective_on:
        raise DomainError(
            "Ngày trở lại phải sau ngày bắt đầu.", field_errors={"returned_on": "Quá sớm."}
        )
    transfer.returned_on, transfer.state = returned_on, TransferState.RETURNED
    transfer.save(update_fields=["returned_on", "state", "updated_at"])
    MemberEvent.objects.create(
        member=transfer.member,
        kind=EventKind.TEMPORARY_BACK,
        date=returned_on,
        organization=home,
    )
    record(
        actor=actor,
        action="members.transfer.return",
        target=transfer.member,
        organization=home,
        changes={"returned_on": [None, returned_on]},
    )
    return transfer


# --- many members at once (imports, the demo) ------------------------------------------------


@dataclass
class NewMember:
    """One member to put on a roll, as ``member_create`` takes it."""

    organization: Organization
    admitted_on: date
    joined_on: date
    personal: dict[str, Any]
    recognized_on: date | None = None
    join_reason: str = EventKind.ADMITTED
    decision_number: str = ""


class BatchRejected(DomainError):
    """Some rows break the rules; nothing was written. ``errors`` maps a row index to them."""

    def __init__(self, errors: dict[int, list[Violation]]) -> None:
        count = sum(len(v) for v in errors.values())
        super().__init__(f"Có {count} lỗi ở {len(errors)} dòng; chưa có dữ liệu nào được ghi.")
        self.errors = errors


def validate_batch(
    *, actor: Actor, rows: list[NewMember] | list[NewMember | dict[str, Any]]
) -> tuple[dict[int, list[Violation]], dict[int, list[Violation]]]:
    """The errors and the warnings of every row, with the same rules as ``member_create``,
    duplicates checked within the batch and against the database in batched queries.

    A row may also be only the personal record (a dict) of a row that cannot become a member
    (an imported row whose cell or membership dates could not be read; the caller reports
    that): it gets the personal rules and the duplicate checks in its place in the batch, so
    that a CCCD or card number it shares with another row is reported all the same.
    """
    errors: dict[int, list[Violation]] = {}
    warnings: dict[int, list[Violation]] = {}
    records = [row if isinstance(row, dict) else row.personal for row in rows]
    ids = [p.get("national_id") or "" for p in records]
    cards = [p.get("card_number") or "" for p in records]
    taken_ids, taken_cards = taken_numbers([i for i in ids if i], [c for c in cards if c])
    seen_ids: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    for index, (row, personal) in enumerate(zip(rows, records, strict=True)):
        found = check_personal(personal, against_database=False)
        found += duplicate_violations(personal, taken_ids, taken_cards)
        found += _batch_duplicates(index, ids[index], seen_ids, "national_id", "Số CCCD")
        found += _batch_duplicates(index, cards[index], seen_cards, "card_number", "Số thẻ")
        member = row if isinstance(row, NewMember) else None
        if member is not None and personal.get("birth_date") is not None:
            found += check_membership_dates(
                birth_date=personal["birth_date"],
                admitted_on=member.admitted_on,
                recognized_on=member.recognized_on,
                joined_on=member.joined_on,
            )
        agency = personal.get("agency")
        if isinstance(agency, Agency) and not scope.covers(
            actor, "orgs.view", agency.organization.path
        ):
            found.append(
                _error(
                    "members.agency_out_of_scope",
                    "Cơ quan này không thuộc phạm vi của bạn.",
                    "agency",
                )
            )
        if member is None:
            pass  # no cell or no membership dates could be read: the caller said so
        elif not scope.covers(actor, "members.add", member.organization.path):
            found.append(
                _error(
                    "members.out_of_scope",
                    "Chi bộ này không thuộc phạm vi của bạn.",
                    "organization",
                )
            )
        elif not member.organization.is_cell:
            found.append(
                _error(
                    "members.not_a_cell", "Đảng viên phải sinh hoạt ở một chi bộ.", "organization"
                )
            )
        hard = [v for v in found if v.severity is Severity.ERROR]
        soft = [v for v in found if v.severity is Severity.WARNING]
        if hard:
            errors[index] = hard
        if soft:
            warnings[index] = soft
    return errors, warnings


def _batch_duplicates(
    index: int, value: str, seen: dict[str, int], field: str, label: str
) -> list[Violation]:
    if not value:
        return []
    if value in seen:
        return [
            _error(
                f"members.{field}_repeated",
                f"{label} {value} trùng với một dòng trước trong tệp.",
                field,
            )
        ]
    seen[value] = index
    return []


@transaction.atomic
def member_bulk_create(
    *,
    actor: Actor,
    rows: list[NewMember],
    source: str,
    file_hash: str = "",
    audit_action: str = "members.import",
) -> list[Member]:
    """Put many members on their rolls in one transaction, or none of them.

    Every row passes the same rules as ``member_create``; one audit event records the batch
    (how many, from which file, its hash) instead of one per member.
    """
    errors, warnings = validate_batch(actor=actor, rows=rows)
    if errors:
        raise BatchRejected(errors)
    members = Member.objects.bulk_create(
        [
            Member(
                organization=row.organization,
                admitted_on=row.admitted_on,
                recognized_on=row.recognized_on,
                **{**_clean_personal(row.personal), **_search_keys(row.personal["full_name"])},
            )
            for row in rows
        ],
        batch_size=500,
    )
    if any(m.pk is None for m in members):  # backends that return no ids (none of ours)
        raise RuntimeError("bulk_create returned no primary keys")
    stints, events = [], []
    for member, row in zip(members, rows, strict=True):
        stints.append(
            Stint(
                member=member,
                organization=row.organization,
                start=row.joined_on,
                start_reason=row.join_reason,
                recognized_on=row.recognized_on,
            )
        )
        events += _joining_events(
            member,
            organization=row.organization,
            admitted_on=row.admitted_on,
            recognized_on=row.recognized_on,
            joined_on=row.joined_on,
            join_reason=row.join_reason,
            decision_number=row.decision_number,
        )
    Stint.objects.bulk_create(stints, batch_size=500)
    MemberEvent.objects.bulk_create(events, batch_size=500)
    organizations = {row.organization.pk: row.organization for row in rows}
    common = _common_ancestor(list(organizations.values()))
    record(
        actor=actor,
        action=audit_action,
        target=common,
        organization=common,
        data={
            "source": source,
            "sha256": file_hash,
            "members": len(members),
            "cells": len(organizations),
            "warnings": sum(len(w) for w in warnings.values()),
        },
    )
    return members


def _common_ancestor(organizations: list[Organization]) -> Organization | None:
    """The deepest organization above all of these (where the batch's audit event belongs)."""
    if not organizations:
        return None
    paths = [o.path for o in organizations]
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -Organization.steplen]
    prefix = prefix[: len(prefix) - len(prefix) % Organization.steplen]
    return Organization.objects.unscoped().filter(path=prefix).first()
