"""Member services: the roll, events, transfers; each scoped, rule-checked and audited."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.audit.models import AuditEvent
from dangvu.core.calendar import add_working_days
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope, StaleEdit
from dangvu.core.rules import RuleViolation
from dangvu.core.testing import World
from dangvu.members import selectors, services
from dangvu.members.choices import EventKind, MemberStatus, TransferState
from dangvu.members.models import Member, MemberEvent, Stint
from dangvu.members.tests.factories import make_member, national_id


def test_member_create_puts_the_member_on_the_roll_with_events(world: World) -> None:
    # when
    member, warnings = services.member_create(
        actor=world.north_manager,
        organization=world.n1,
        full_name="  Trần   Thị Ánh ",
        birth_date=date(1990, 2, 3),
        gender="F",
        national_id=national_id(date(1990, 2, 3), True),
        admitted_on=date(2015, 5, 19),
        joined_on=date(2015, 6, 1),
    )
    # then
    assert warnings == []
    assert (member.full_name, member.name_folded, member.name_key) == (
        "Trần Thị Ánh",
        "tran thi anh",
        "anh tran thi",
    )
    assert member.status_on(date(2015, 5, 31)) is None  # before the ceremony: not on a roll yet
    assert member.status_on(date(2015, 6, 1)) is MemberStatus.PROBATIONARY
    assert [e.kind for e in member.events.all()] == [EventKind.ADMITTED]
    event = AuditEvent.objects.get(action="members.member.create")
    assert event.organization == world.n1 and event.changes["full_name"] == [None, "Trần Thị Ánh"]


def test_member_create_refuses_a_sibling_cell_and_a_non_cell(world: World) -> None:
    with pytest.raises(OutOfScope):
        services.member_create(
            actor=world.north_manager,
            organization=world.s1,
            full_name="A",
            birth_date=date(1980, 1, 1),
            gender="M",
            admitted_on=date(2005, 1, 1),
            joined_on=date(2005, 1, 1),
        )
    with pytest.raises(DomainError) as caught:
        services.member_create(
            actor=world.hq_admin,
            organization=world.north,
            full_name="A",
            birth_date=date(1980, 1, 1),
            gender="M",
            admitted_on=date(2005, 1, 1),
            joined_on=date(2005, 1, 1),
        )
    assert caught.value.field_errors == {"organization": "Hãy chọn một chi bộ."}
    assert not Member.objects.exists()


def test_a_cell_role_cannot_add_members(world: World) -> None:
    with pytest.raises(NotPermitted):
        make_member_as(world, world.n1_clerk)


def make_member_as(world: World, actor: object) -> Member:
    member, _ = services.member_create(
        actor=actor,  # type: ignore[arg-type]
        organization=world.n1,
        full_name="Lê Văn Bình",
        birth_date=date(1980, 1, 1),
        gender="M",
        admitted_on=date(2005, 1, 1),
        joined_on=date(2005, 1, 1),
    )
    return member


def test_national_id_must_match_the_record_and_be_unique(world: World) -> None:
    make_member(world.n1, national_id="045080000001", birth_date=date(1980, 1, 1))
    with pytest.raises(RuleViolation) as caught:
        make_member(
            world.n2,
            "Phạm Thị Hà",
            national_id="045080000002",
            gender="F",
            birth_date=date(1980, 1, 1),
        )
    assert caught.value.violations[0].code == "members.cccd_gender_century"
    with pytest.raises(RuleViolation) as caught:
        make_member(
            world.n2, "Phạm Văn Hà", national_id="045080000001", birth_date=date(1980, 1, 1)
        )
    assert caught.value.field_errors["national_id"].startswith("Số CCCD 045080000001 đã có")


def test_dates_must_be_in_order_and_in_the_past(world: World) -> None:
    with pytest.raises(RuleViolation) as caught:
        make_member(world.n1, admitted_on=date(2005, 1, 1), recognized_on=date(2004, 1, 1))
    assert [v.code for v in caught.value.violations] == ["members.recognized_before_admitted"]
    with pytest.raises(RuleViolation) as caught:
        make_member(world.n1, admitted_on=date(2099, 1, 1), recognized_on=None)
    assert "members.date_future" in [v.code for v in caught.value.violations]


def test_admission_under_18_is_a_warning(world: World) -> None:
    member, warnings = services.member_create(
        actor=world.hq_admin,
        organization=world.n1,
        full_name="Võ Thị Mai",
        birth_date=date(1990, 6, 1),
        gender="F",
        admitted_on=date(2007, 6, 1),
        joined_on=date(2007, 6, 1),
    )
    assert [w.code for w in warnings] == ["members.admitted_under_18"]
    assert AuditEvent.objects.get(action="members.member.create").data["warnings"]


def test_update_masks_the_national_id_in_the_log_and_refuses_stale_versions(world: World) -> None:
    member = make_member(world.n1, birth_date=date(1980, 5, 17))
    new_id = national_id(date(1980, 5, 17), False)
    updated = services.member_update(
        actor=world.north_manager, member=member, version=1, national_id=new_id, phone="0912345678"
    )
    event = AuditEvent.objects.get(action="members.member.update")
    assert event.changes["national_id"] == ["***", "***"]
    assert new_id not in str(event.changes)
    assert updated.version == 2
    with pytest.raises(StaleEdit):
        services.member_update(
            actor=world.north_manager, member=member, version=1, phone="0900000000"
        )


def test_recognition_makes_the_member_full_from_that_day(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2019, 3, 1), recognized_on=None)
    services.event_record(
        actor=world.north_manager, member=member, kind=EventKind.RECOGNIZED, date=date(2020, 3, 2)
    )
    member.refresh_from_db()
    assert member.status_on(date(2020, 3, 1)) is MemberStatus.PROBATIONARY
    assert member.status_on(date(2020, 3, 2)) is MemberStatus.FULL
    with pytest.raises(DomainError):
        services.event_record(
            actor=world.north_manager,
            member=member,
            kind=EventKind.RECOGNIZED,
            date=date(2020, 4, 1),
        )


def test_an_exit_ends_the_stint_and_readmission_is_allowed_once(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2000, 1, 10), recognized_on=date(2001, 1, 15))
    services.event_record(
        actor=world.hq_admin, member=member, kind=EventKind.STRUCK_OFF, date=date(2010, 1, 1)
    )
    member.refresh_from_db()
    assert member.status_on(date(2010, 1, 1)) is None and member.exit_kind == EventKind.STRUCK_OFF
    services.event_record(
        actor=world.hq_admin,
        member=member,
        kind=EventKind.READMITTED,
        date=date(2014, 1, 1),
        organization=world.s1,
    )
    member.refresh_from_db()
    assert member.organization == world.s1
    assert member.status_on(date(2009, 12, 31)) is MemberStatus.FULL  # first membership
    assert member.status_on(date(2014, 6, 1)) is MemberStatus.PROBATIONARY  # probation again
    services.event_record(
        actor=world.hq_admin, member=member, kind=EventKind.RECOGNIZED, date=date(2015, 1, 5)
    )
    member.refresh_from_db()
    # party age: 2000-01-10 → 2020-01-10 minus the four years outside the Party
    age = selectors.party_age(member, date(2020, 1, 10))
    assert age is not None and (age.years, age.months) == (16, 0)
    services.event_record(
        actor=world.hq_admin, member=member, kind=EventKind.EXPELLED, date=date(2018, 1, 1)
    )
    member.refresh_from_db()
    with pytest.raises(RuleViolation) as caught:
        services.event_record(
            actor=world.hq_admin,
            member=member,
            kind=EventKind.READMITTED,
            date=date(2020, 1, 1),
            organization=world.s1,
        )
    assert caught.value.violations[0].message == "Chỉ được kết nạp lại một lần."


def test_party_age_is_none_until_recognition(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2019, 3, 1), recognized_on=None)
    assert selectors.party_age(member, date(2020, 1, 1)) is None


def test_internal_transfer_leaves_a_gap_until_the_letter_is_presented(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2005, 3, 1), recognized_on=date(2006, 3, 20))
    transfer, warnings = services.transfer_out(
        actor=world.hq_admin,
        member=member,
        effective_on=date(2020, 6, 1),
        letter_date=date(2020, 6, 10),
        letter_number="12-GT/ĐU",
        to_organization=world.s1,
    )
    assert transfer.state == TransferState.IN_TRANSIT and warnings == []
    member.refresh_from_db()
    assert member.status_on(date(2020, 6, 15)) is None  # in transit: on no roll
    # the receiving side sees it, the sending side's other cells don't
    assert selectors.transfer_list(actor=world.s1_clerk).count() == 1
    due = add_working_days(date(2020, 6, 10), 30)
    assert [o.transfer for o in selectors.transfers_overdue(actor=world.hq_admin, today=due)] == []
    [overdue] = selectors.transfers_overdue(actor=world.hq_admin, today=add_working_days(due, 2))
    assert overdue.days_late == 2
    # late presentation needs a reason
    with pytest.raises(DomainError) as caught:
        services.transfer_receive(
            actor=world.hq_admin, transfer=transfer, presented_on=add_working_days(due, 2)
        )
    assert "late_reason" in caught.value.field_errors
    services.transfer_receive(
        actor=world.hq_admin,
        transfer=transfer,
        presented_on=add_working_days(due, 2),
        late_reason="Ốm",
    )
    member.refresh_from_db()
    assert member.organization == world.s1
    assert member.status_on(add_working_days(due, 2)) is MemberStatus.FULL
    assert [s.organization.code for s in member.stints.order_by("start")] == ["N1", "S1"]


def test_the_receiving_cell_must_receive(world: World) -> None:
    member = make_member(world.n1)
    transfer, _ = services.transfer_out(
        actor=world.north_manager,
        member=member,
        effective_on=date(2021, 1, 4),
        letter_date=date(2021, 1, 5),
        to_organization=world.s1,
    )
    with pytest.raises(OutOfScope):
        services.transfer_receive(
            actor=world.north_manager, transfer=transfer, presented_on=date(2021, 1, 6)
        )


def test_transfer_to_outside_is_complete_at_once(world: World) -> None:
    member = make_member(world.n1)
    transfer, _ = services.transfer_out(
        actor=world.north_manager,
        member=member,
        effective_on=date(2021, 1, 4),
        letter_date=date(2021, 1, 5),
        outside="Đảng bộ tỉnh khác",
    )
    assert transfer.state == TransferState.COMPLETED
    assert Stint.objects.get(member=member).end == date(2021, 1, 5)
    with pytest.raises(DomainError):
        services.transfer_out(
            actor=world.north_manager,
            member=member,
            effective_on=date(2021, 2, 1),
            letter_date=date(2021, 2, 2),
            outside="x",
        )


def test_temporary_transfer_keeps_the_member_on_the_home_roll(world: World) -> None:
    member = make_member(world.n1)
    transfer = services.transfer_temporary(
        actor=world.north_manager,
        member=member,
        start=date(2021, 1, 4),
        planned_end=date(2021, 7, 4),
        letter_date=date(2021, 1, 4),
        outside="Chi bộ Trường Chính trị (lớp bồi dưỡng)",
    )
    assert member.status_on(date(2021, 3, 1)) is MemberStatus.FULL
    services.transfer_return(
        actor=world.north_manager, transfer=transfer, returned_on=date(2021, 6, 30)
    )
    kinds = list(MemberEvent.objects.filter(member=member).values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.TEMPORARY_OUT, EventKind.TEMPORARY_BACK]
    with pytest.raises(RuleViolation):
        services.transfer_temporary(
            actor=world.north_manager,
            member=member,
            start=date(2021, 1, 4),
            planned_end=date(2021, 2, 1),
            letter_date=date(2021, 1, 4),
            outside="x",
        )


def test_bulk_create_is_all_or_nothing_and_audited_once(world: World) -> None:
    def row(name: str, cell: object, birth: date, cccd: str | None = None) -> services.NewMember:
        return services.NewMember(
            organization=cell,  # type: ignore[arg-type]
            admitted_on=date(2010, 1, 1),
            joined_on=date(2010, 1, 1),
            recognized_on=date(2011, 1, 1),
            personal={
                "full_name": name,
                "birth_date": birth,
                "gender": "M",
                "national_id": cccd or national_id(birth, False),
            },
        )

    same = national_id(date(1980, 1, 1), False)
    bad = [
        row("A", world.n1, date(1980, 1, 1), same),
        row("B", world.n2, date(1980, 1, 1), same),
        row("C", world.s1, date(1980, 1, 1)),
    ]
    with pytest.raises(services.BatchRejected) as caught:
        services.member_bulk_create(actor=world.north_manager, rows=bad, source="x.xlsx")
    assert sorted(caught.value.errors) == [1, 2]
    assert caught.value.errors[2][0].code == "members.out_of_scope"
    assert (
        not Member.objects.exists()
        and not AuditEvent.objects.filter(action="members.import").exists()
    )
    good = [row("A", world.n1, date(1980, 1, 1)), row("B", world.n2, date(1981, 1, 1))]
    members = services.member_bulk_create(
        actor=world.north_manager, rows=good, source="x.xlsx", file_hash="abc"
    )
    assert len(members) == 2 and Stint.objects.count() == 2
    event = AuditEvent.objects.get(action="members.import")
    assert event.organization == world.north
    assert event.data == {
        "source": "x.xlsx",
        "sha256": "abc",
        "members": 2,
        "cells": 2,
        "warnings": 0,
    }


def test_every_member_service_records_its_event(world: World) -> None:
    def last(action: str) -> AuditEvent:
        return AuditEvent.objects.filter(action=action).latest("id")

    member = make_member(world.n1, admitted_on=date(2019, 3, 1), recognized_on=None)
    assert last("members.member.create").target_id == str(member.pk)
    services.member_update(actor=world.hq_admin, member=member, version=1, phone="0987654321")
    assert last("members.member.update").changes == {"phone": ["", "0987654321"]}
    services.event_record(
        actor=world.hq_admin, member=member, kind=EventKind.RECOGNIZED, date=date(2020, 3, 2)
    )
    assert last("members.event.record").changes == {
        "event": [None, "recognized"],
        "date": [None, "2020-03-02"],
    }
    temporary = services.transfer_temporary(
        actor=world.hq_admin,
        member=member,
        start=date(2020, 4, 1),
        planned_end=date(2020, 9, 1),
        letter_date=date(2020, 4, 1),
        to_organization=world.s1,
    )
    assert last("members.transfer.temporary").target_id == str(member.pk)
    services.transfer_return(actor=world.hq_admin, transfer=temporary, returned_on=date(2020, 9, 1))
    assert last("members.transfer.return").changes == {"returned_on": [None, "2020-09-01"]}
    transfer, _ = services.transfer_out(
        actor=world.hq_admin,
        member=member,
        effective_on=date(2020, 10, 1),
        letter_date=date(2020, 10, 2),
        to_organization=world.s1,
    )
    assert last("members.transfer.out").changes == {"to": [None, "S1"]}
    services.transfer_receive(
        actor=world.hq_admin, transfer=transfer, presented_on=date(2020, 10, 5)
    )
    assert last("members.transfer.receive").organization == world.s1


def test_status_filters_list_each_member_once(world: World) -> None:
    member = make_member(world.n1)
    transfer, _ = services.transfer_out(
        actor=world.hq_admin,
        member=member,
        effective_on=date(2021, 1, 4),
        letter_date=date(2021, 1, 5),
        to_organization=world.n2,
    )
    services.transfer_receive(
        actor=world.hq_admin, transfer=transfer, presented_on=date(2021, 1, 8)
    )
    full = selectors.member_list(
        actor=world.hq_admin, filters=selectors.MemberFilters(status="full")
    )
    probationary = selectors.member_list(
        actor=world.hq_admin, filters=selectors.MemberFilters(status="probationary")
    )
    assert list(full) == [member] and list(probationary) == []


def test_a_temporary_transfer_cannot_be_received_as_an_official_one(world: World) -> None:
    member = make_member(world.n1)
    temporary = services.transfer_temporary(
        actor=world.hq_admin,
        member=member,
        start=date(2021, 1, 4),
        planned_end=date(2021, 6, 4),
        letter_date=date(2021, 1, 4),
        to_organization=world.s1,
    )
    with pytest.raises(DomainError):
        services.transfer_receive(
            actor=world.hq_admin, transfer=temporary, presented_on=date(2021, 1, 6)
        )
    assert member.stints.filter(end__isnull=True).count() == 1


def test_party_age_does_not_grow_while_in_transit(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2000, 1, 3), recognized_on=date(2001, 1, 3))
    services.transfer_out(
        actor=world.hq_admin,
        member=member,
        effective_on=date(2020, 1, 2),
        letter_date=date(2020, 1, 3),
        to_organization=world.s1,
    )
    age = selectors.party_age(member, date(2021, 1, 3))
    assert age is not None and (age.years, age.months) == (20, 0)


def test_a_29_february_birthday_is_handled(world: World) -> None:
    born = date(1988, 2, 29)
    make_member(
        world.n1, birth_date=born, admitted_on=date(2006, 3, 1), recognized_on=date(2007, 3, 5)
    )
    _, warnings = services.member_create(
        actor=world.hq_admin,
        organization=world.n1,
        full_name="Đinh Văn Tuấn",
        birth_date=born,
        gender="M",
        admitted_on=date(2006, 2, 27),
        joined_on=date(2006, 2, 27),
    )
    assert [w.code for w in warnings] == ["members.admitted_under_18"]


def test_events_of_a_member_transferred_in_are_marked_as_elsewhere(world: World) -> None:
    member, _ = services.member_create(
        actor=world.hq_admin,
        organization=world.n1,
        full_name="Hồ Văn Lộc",
        birth_date=date(1975, 4, 2),
        gender="M",
        admitted_on=date(2000, 5, 19),
        recognized_on=date(2001, 5, 20),
        joined_on=date(2019, 9, 3),
        join_reason=EventKind.TRANSFERRED_IN,
    )
    kinds = {(e.kind, e.elsewhere) for e in member.events.all()}
    assert kinds == {
        (EventKind.ADMITTED, True),
        (EventKind.RECOGNIZED, True),
        (EventKind.TRANSFERRED_IN, False),
    }
    own = make_member(world.n2, "Bùi Thị Hạnh", gender="F", birth_date=date(1990, 1, 1))
    assert not own.events.filter(elsewhere=True).exists()


def test_arrival_from_outside_keeps_its_letter(world: World) -> None:
    member, warnings = services.member_create(
        actor=world.hq_admin,
        organization=world.n1,
        full_name="Lý Thị Mai",
        birth_date=date(1985, 8, 8),
        gender="F",
        admitted_on=date(2008, 5, 19),
        recognized_on=date(2009, 5, 20),
        joined_on=add_working_days(date(2021, 3, 1), 31),
        join_reason=EventKind.TRANSFERRED_IN,
        arrival=services.Arrival(
            from_outside="Đảng bộ huyện X, tỉnh Y",
            letter_date=date(2021, 3, 1),
            letter_number="45-GT/HU",
        ),
    )
    [transfer] = member.transfers.all()
    assert (transfer.outside, transfer.to_organization, transfer.state) == (
        "Đảng bộ huyện X, tỉnh Y",
        world.n1,
        TransferState.COMPLETED,
    )
    assert [w.code for w in warnings] == ["members.transfer_arrival_late"]
