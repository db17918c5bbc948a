"""Services of the organization tree: rules, scope, optimistic locking and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope, StaleEdit
from dangvu.core.rules import RuleViolation
from dangvu.core.testing import World
from dangvu.orgs import services
from dangvu.orgs.models import Organization, OrgKind


def _create(world: World, actor, parent, code: str, kind: str = OrgKind.CELL) -> Organization:
    return services.organization_create(
        actor=actor,
        parent=parent,
        code=code,
        name=f"Chi bộ {code}",
        kind=kind,
        valid_from=date(2020, 1, 1),
    )


def test_create_records_the_event_with_every_field(world: World) -> None:
    # when
    org = _create(world, world.north_manager, world.north, "N3")
    # then
    event = AuditEvent.objects.get(action="orgs.organization.create", target_id=str(org.pk))
    assert event.actor == world.north_manager
    assert event.organization == org
    assert event.changes["code"] == [None, "N3"]
    assert event.changes["kind"] == [None, "cell"]
    assert org.path.startswith(world.north.path) and org.depth == world.north.depth + 1
    assert org.name_folded == "chi bo n3"


def test_create_under_a_sibling_subtree_is_refused_as_missing(world: World) -> None:
    with pytest.raises(OutOfScope):
        _create(world, world.north_manager, world.south, "S9")
    assert not Organization.objects.filter(code="S9").exists()


def test_a_cell_role_may_see_but_not_create(world: World) -> None:
    with pytest.raises(NotPermitted):
        _create(world, world.n1_clerk, world.n1, "N1A")


def test_only_a_superuser_creates_a_root(world: World) -> None:
    with pytest.raises(NotPermitted):
        _create(world, world.hq_admin, None, "ROOT2", OrgKind.ABOVE_GRASSROOTS)
    root = _create(world, world.superuser, None, "ROOT2", OrgKind.ABOVE_GRASSROOTS)
    assert root.depth == 1


@pytest.mark.parametrize(
    ("kind", "parent_attr", "message"),
    [
        (OrgKind.CELL, "n1", "Chi bộ trực thuộc không thể trực thuộc chi bộ trực thuộc."),
        (OrgKind.CELL, "hq", "Chi bộ trực thuộc không thể trực thuộc đảng bộ cấp trên cơ sở."),
        (OrgKind.GRASSROOTS_CELL, "north", "Chi bộ cơ sở không thể trực thuộc đảng bộ cơ sở."),
        (
            OrgKind.PARTIAL_COMMITTEE,
            "hq",
            "Đảng bộ bộ phận không thể trực thuộc đảng bộ cấp trên cơ sở.",
        ),
    ],
)
def test_kind_must_fit_its_parent(world: World, kind: str, parent_attr: str, message: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        _create(world, world.superuser, getattr(world, parent_attr), "X1", kind)
    violation = caught.value.violations[0]
    assert violation.message == message
    assert "Điều lệ Đảng" in str(violation.citation)
    assert caught.value.field_errors == {"parent": str(violation)}


def test_codes_are_unique(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        _create(world, world.superuser, world.north, "N1")
    assert caught.value.field_errors == {"code": "Mã N1 đã được dùng."}


def test_update_diffs_and_bumps_the_version(world: World) -> None:
    # when
    org = services.organization_update(
        actor=world.north_manager,
        organization=world.n1,
        version=world.n1.version,
        code="N1",
        name="Chi bộ Văn phòng Đào tạo",
        kind=OrgKind.CELL,
        valid_from=world.n1.valid_from,
    )
    # then
    assert org.version == world.n1.version + 1
    assert org.name_folded == "chi bo van phong dao tao"
    event = AuditEvent.objects.get(action="orgs.organization.update")
    assert event.changes == {"name": ["Tổ chức N1", "Chi bộ Văn phòng Đào tạo"]}


def test_a_stale_edit_is_refused_and_names_what_changed(world: World) -> None:
    # given: two editors open N1 at the same version; the first one saves
    first = Organization.objects.get(pk=world.n1.pk)
    second = Organization.objects.get(pk=world.n1.pk)
    fields = {"code": "N1", "kind": OrgKind.CELL, "valid_from": first.valid_from}
    services.organization_update(
        actor=world.hq_admin, organization=first, version=first.version, name="Tên mới", **fields
    )
    # when the second saves on top of the old version
    with pytest.raises(StaleEdit) as caught:
        services.organization_update(
            actor=world.north_manager,
            organization=second,
            version=second.version,
            name="Tên khác",
            **fields,
        )
    # then nothing of the second edit is kept, and the message says what changed
    assert Organization.objects.get(pk=world.n1.pk).name == "Tên mới"
    assert caught.value.changed == {"tên": "Tên mới"}  # stored value that differs from the input
    assert "đã được người khác sửa" in caught.value.message
    assert AuditEvent.objects.filter(action="orgs.organization.update").count() == 1


def test_changing_kind_checks_the_children(world: World) -> None:
    with pytest.raises(RuleViolation):
        services.organization_update(
            actor=world.hq_admin,
            organization=world.north,
            version=world.north.version,
            code="NORTH",
            name="Bắc",
            kind=OrgKind.GRASSROOTS_CELL,
            valid_from=world.north.valid_from,
        )


def test_validity_cannot_end_before_it_starts(world: World) -> None:
    with pytest.raises(RuleViolation) as caught:
        services.organization_update(
            actor=world.hq_admin,
            organization=world.n2,
            version=world.n2.version,
            code="N2",
            name="N2",
            kind=OrgKind.CELL,
            valid_from=date(2020, 1, 1),
            valid_to=date(2019, 12, 31),
        )
    assert caught.value.violations[0].field == "valid_to"


def test_move_carries_the_subtree_and_is_audited(world: World) -> None:
    # when N1 moves from NORTH to SOUTH
    moved = services.organization_move(
        actor=world.hq_admin,
        organization=world.n1,
        new_parent=world.south,
        version=world.n1.version,
        reason="Quyết định số 12-QĐ/ĐUK ngày 02/01/2021",
    )
    # then
    assert moved.path.startswith(world.south.path)
    assert Organization.objects.get(pk=world.south.pk).numchild == 2
    assert Organization.objects.get(pk=world.north.pk).numchild == 1
    event = AuditEvent.objects.get(action="orgs.organization.move")
    assert event.changes == {"parent": ["Tổ chức NORTH", "Tổ chức SOUTH"]}
    assert event.reason.startswith("Quyết định số 12")


def test_move_into_its_own_subtree_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        services.organization_move(
            actor=world.hq_admin,
            organization=world.north,
            new_parent=world.n1,
            version=1,
            reason="x",
        )
    assert "new_parent" in caught.value.field_errors


def test_move_needs_the_move_action_on_both_ends(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.organization_move(
            actor=world.north_manager,
            organization=world.n1,
            new_parent=world.north,
            version=1,
            reason="x",
        )


def test_agency_must_be_led_by_a_grassroots_organization(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        services.agency_create(
            actor=world.hq_admin,
            organization=world.n1,
            code="CQ1",
            name="Sở",
            valid_from=date(2020, 1, 1),
        )
    assert "organization" in caught.value.field_errors
    agency = services.agency_create(
        actor=world.north_manager,
        organization=world.north,
        code="CQ1",
        name="Sở Bắc",
        valid_from=date(2020, 1, 1),
    )
    assert AuditEvent.objects.filter(action="orgs.agency.create", target_id=str(agency.pk)).exists()


def test_agency_cannot_be_handed_to_a_sibling_subtree(world: World) -> None:
    agency = services.agency_create(
        actor=world.hq_admin,
        organization=world.north,
        code="CQ1",
        name="Sở Bắc",
        valid_from=date(2020, 1, 1),
    )
    with pytest.raises(OutOfScope):
        services.agency_update(
            actor=world.north_manager,
            agency=agency,
            version=agency.version,
            code="CQ1",
            name="Sở Bắc",
            organization=world.south,
            valid_from=date(2020, 1, 1),
        )
    agency.refresh_from_db()
    assert agency.organization == world.north


def test_term_of_unusual_length_warns_but_is_recorded(world: World) -> None:
    term, warnings = services.term_create(
        actor=world.north_manager,
        organization=world.north,
        congress_number=3,
        congress_date=date(2020, 5, 10),
        start_date=date(2020, 5, 10),
        end_date=date(2027, 5, 10),
    )
    assert term.pk is not None
    assert warnings and "5 năm" in warnings[0]
    event = AuditEvent.objects.get(action="orgs.term.create")
    assert event.data["warnings"] == warnings


def test_one_secretary_at_a_time(world: World) -> None:
    term, _ = services.term_create(
        actor=world.north_manager,
        organization=world.north,
        congress_number=3,
        congress_date=date(2020, 5, 10),
        start_date=date(2020, 5, 10),
        end_date=date(2025, 5, 10),
    )
    first = services.seat_create(
        actor=world.north_manager,
        term=term,
        role="secretary",
        full_name="Lê Văn Hùng",
        start_date=date(2020, 5, 10),
    )
    with pytest.raises(DomainError):
        services.seat_create(
            actor=world.north_manager,
            term=term,
            role="secretary",
            full_name="Trần Thị Đào",
            start_date=date(2021, 1, 4),
        )
    services.seat_end(
        actor=world.north_manager, seat=first, end_date=date(2021, 1, 1), reason="Nghỉ hưu"
    )
    second = services.seat_create(
        actor=world.north_manager,
        term=term,
        role="secretary",
        full_name="Trần Thị Đào",
        start_date=date(2021, 1, 4),
    )
    assert second.pk is not None
    assert set(
        AuditEvent.objects.filter(target_type="orgs.committeeseat").values_list("action", flat=True)
    ) == {
        "orgs.seat.create",
        "orgs.seat.end",
    }


def test_seat_outside_the_term_is_refused(world: World) -> None:
    term, _ = services.term_create(
        actor=world.hq_admin,
        organization=world.south,
        congress_number=1,
        congress_date=date(2020, 5, 10),
        start_date=date(2020, 5, 10),
        end_date=date(2025, 5, 10),
    )
    with pytest.raises(DomainError) as caught:
        services.seat_create(
            actor=world.hq_admin,
            term=term,
            role="member",
            full_name="Phạm Văn Nam",
            start_date=date(2026, 1, 1),
        )
    assert caught.value.field_errors == {"start_date": "Ngày ngoài nhiệm kỳ."}


def test_a_stale_edit_from_outside_the_scope_reveals_nothing(world: World) -> None:
    """The scope check comes before the version check, so no stored value leaks."""
    with pytest.raises(OutOfScope):
        services.organization_update(
            actor=world.north_manager,
            organization=world.s1,
            version=world.s1.version + 5,
            code="S1",
            name="x",
            kind=OrgKind.CELL,
            valid_from=world.s1.valid_from,
        )
