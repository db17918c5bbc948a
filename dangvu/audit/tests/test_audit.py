"""The audit log: written in the change's transaction, append-only, scoped like everything."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dangvu.audit import context
from dangvu.audit.models import AppendOnly, AuditEvent
from dangvu.audit.services import AuditOutsideTransaction, diff, record, snapshot
from dangvu.core.testing import World
from dangvu.orgs import services as org_services


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_write_outside_a_transaction(world: World) -> None:
    with pytest.raises(AuditOutsideTransaction):
        record(actor=world.hq_admin, action="orgs.organization.update", target=world.n1)


def test_record_refuses_an_unregistered_action(world: World) -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="Unregistered audit action"):
        record(actor=world.hq_admin, action="orgs.organization.rename", target=world.n1)


def test_a_rolled_back_change_leaves_no_event(world: World) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        org_services.organization_update(
            actor=world.hq_admin,
            organization=world.n1,
            version=world.n1.version,
            code="N1",
            name="Đổi tên",
            kind="cell",
            valid_from=world.n1.valid_from,
        )
        raise RuntimeError("the request failed after the service")
    assert AuditEvent.objects.count() == before


def test_events_of_one_request_share_its_id(world: World) -> None:
    with context.opened("test") as ctx:
        for code in ("A1", "A2"):
            org_services.organization_create(
                actor=world.hq_admin,
                parent=world.north,
                code=code,
                name=code,
                kind="cell",
                valid_from=date(2020, 1, 1),
            )
    ids = set(
        AuditEvent.objects.filter(target_repr__in=["A1", "A2"]).values_list("request_id", flat=True)
    )
    assert ids == {ctx.request_id}


def test_web_requests_carry_their_id_into_the_log_and_the_response(
    world: World, client: Any
) -> None:
    client.force_login(world.hq_admin)
    response = client.post(
        reverse("orgs:create", args=[world.north.pk]),
        {"code": "N7", "name": "Chi bộ Bảy", "kind": "cell", "valid_from": "2021-03-01"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="orgs.organization.create", target_repr="Chi bộ Bảy")
    assert str(event.request_id) == response["X-Request-ID"]
    assert event.actor == world.hq_admin and event.actor_repr == "hq_admin"


def test_events_are_append_only_in_the_orm(world: World) -> None:
    event = AuditEvent.objects.first()
    event.reason = "sửa lén"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()


def test_events_are_append_only_in_the_database(world: World) -> None:
    """Even SQL that bypasses the ORM cannot rewrite an event."""
    event = AuditEvent.objects.first()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", event.pk])
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_snapshot_and_diff(world: World) -> None:
    before = snapshot(world.n1, ["name", "valid_from", "valid_to"])
    assert before == {"name": "Tổ chức N1", "valid_from": "2015-01-01", "valid_to": None}
    assert diff(before, {**before, "name": "Mới"}) == {"name": ["Tổ chức N1", "Mới"]}
    assert diff(before, before) == {}


@pytest.mark.parametrize(
    ("persona", "visible_codes"),
    [
        ("hq_admin", {"HQ", "NORTH", "N1", "N2", "SOUTH", "S1"}),
        ("north_manager", {"NORTH", "N1", "N2"}),
        ("s1_clerk", {"S1"}),
    ],
)
def test_the_log_is_scoped(
    world: World, client: Any, persona: str, visible_codes: set[str]
) -> None:
    client.force_login(world.persona(persona))
    rows = client.get(reverse("audit-event-list"), {"action": "orgs.organization.create"}).json()
    assert {r["target_repr"].removeprefix("Tổ chức ") for r in rows["results"]} == visible_codes
    page = client.get(reverse("audit:list"))
    assert page.status_code == 200
    shown = {e.organization.code for e in page.context["events"] if e.organization}
    assert shown <= visible_codes


def test_event_page_shows_changes_and_is_404_outside_scope(world: World, client: Any) -> None:
    event = AuditEvent.objects.get(action="orgs.organization.create", target_repr="Tổ chức N1")
    client.force_login(world.north_manager)
    page = client.get(reverse("audit:detail", args=[event.pk]))
    assert page.status_code == 200
    assert "Tạo tổ chức đảng" in page.content.decode()
    client.force_login(world.s1_clerk)
    assert client.get(reverse("audit:detail", args=[event.pk])).status_code == 404


def test_every_write_service_records_its_event(world: World) -> None:
    """Each service of the foundation, called once, leaves exactly its own event."""
    actor = world.hq_admin

    def last(action: str) -> AuditEvent:
        return AuditEvent.objects.filter(action=action).latest("id")

    org = org_services.organization_create(
        actor=actor,
        parent=world.north,
        code="Z1",
        name="Z",
        kind="cell",
        valid_from=date(2020, 1, 1),
    )
    assert last("orgs.organization.create").target_id == str(org.pk)
    org = org_services.organization_update(
        actor=actor,
        organization=org,
        version=org.version,
        code="Z1",
        name="Z mới",
        kind="cell",
        valid_from=date(2020, 1, 1),
    )
    assert last("orgs.organization.update").changes == {"name": ["Z", "Z mới"]}
    org_services.organization_move(
        actor=actor, organization=org, new_parent=world.south, version=org.version, reason="QĐ 1"
    )
    assert last("orgs.organization.move").reason == "QĐ 1"
    agency = org_services.agency_create(
        actor=actor, organization=world.south, code="CQ", name="CQ", valid_from=date(2020, 1, 1)
    )
    assert last("orgs.agency.create").target_id == str(agency.pk)
    org_services.agency_update(
        actor=actor,
        agency=agency,
        version=agency.version,
        code="CQ",
        name="CQ mới",
        organization=world.south,
        valid_from=date(2020, 1, 1),
    )
    assert last("orgs.agency.update").changes == {"name": ["CQ", "CQ mới"]}
    term, _ = org_services.term_create(
        actor=actor,
        organization=world.south,
        congress_number=1,
        congress_date=date(2020, 5, 1),
        start_date=date(2020, 5, 1),
        end_date=date(2025, 5, 1),
    )
    assert last("orgs.term.create").target_id == str(term.pk)
    seat = org_services.seat_create(
        actor=actor, term=term, role="member", full_name="Vũ Thị Hà", start_date=date(2020, 5, 1)
    )
    assert last("orgs.seat.create").target_id == str(seat.pk)
    org_services.seat_end(
        actor=actor, seat=seat, end_date=date(2021, 5, 1), reason="Chuyển công tác"
    )
    assert last("orgs.seat.end").reason == "Chuyển công tác"


# Every write service of the code base, with the test that asserts its audit event. A new
# service fails the test below until its audit test is written and listed here.
AUDITED_SERVICES = {
    "dangvu.orgs.services": {
        "organization_create": "test_every_write_service_records_its_event",
        "organization_update": "test_every_write_service_records_its_event",
        "organization_move": "test_every_write_service_records_its_event",
        "agency_create": "test_every_write_service_records_its_event",
        "agency_update": "test_every_write_service_records_its_event",
        "term_create": "test_every_write_service_records_its_event",
        "seat_create": "test_every_write_service_records_its_event",
        "seat_end": "test_every_write_service_records_its_event",
    },
    "dangvu.access.services": {
        "grant_create": "access/tests/test_grants.py::test_account_open_generates_the_password…",
        "grant_delete": "access/tests/test_grants.py::test_revoke_is_audited_and_scoped",
        "account_open": "access/tests/test_grants.py::test_account_open_generates_the_password…",
        "user_create": "access/tests/test_accounts.py (access.user.create event)",
        "user_set_password": "test_user_set_password_is_audited_without_the_password",
    },
    "dangvu.members.services": {
        "member_create": "members/tests/test_services.py::test_every_member_service_records…",
        "member_update": "members/tests/test_services.py::test_every_member_service_records…",
        "event_record": "members/tests/test_services.py::test_every_member_service_records…",
        "transfer_out": "members/tests/test_services.py::test_every_member_service_records…",
        "transfer_receive": "members/tests/test_services.py::test_every_member_service_records…",
        "transfer_temporary": "members/tests/test_services.py::test_every_member_service_records…",
        "transfer_return": "members/tests/test_services.py::test_every_member_service_records…",
        "member_bulk_create": "members/tests/test_services.py::test_bulk_create_is_all_or_nothing…",
    },
    "dangvu.reviews.services": {
        "rating_set": "reviews/tests/test_services.py::test_every_rating_service_records_its_event",
        "rating_propose": "reviews/tests/test_services.py::test_every_rating_service_records…",
        "rating_decide": "reviews/tests/test_services.py::test_every_rating_service_records…",
        "rating_rerate": "reviews/tests/test_services.py::test_every_rating_service_records…",
    },
    "dangvu.reviews.titles": {
        "title_grant": "reviews/tests/test_titles.py::test_a_title_is_granted_and_audited",
    },
    "dangvu.core.services": {
        "calendar_day_set": "core/tests/test_calendar_pages.py::test_a_declared_day_off_moves_…",
        "calendar_day_delete": "core/tests/test_calendar_pages.py::test_superuser_declares_…",
    },
}


def test_every_write_service_is_listed_with_its_audit_test() -> None:
    import importlib
    import inspect

    for module_name, listed in AUDITED_SERVICES.items():
        module = importlib.import_module(module_name)
        writes = {
            name
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module_name
            and not name.startswith("_")
            and hasattr(fn, "__wrapped__")
        }
        assert writes == set(listed), f"{module_name}: services without a listed audit test"


def test_user_set_password_is_audited_without_the_password(world: World) -> None:
    from dangvu.access.scope import SystemActor
    from dangvu.access.services import user_set_password

    user_set_password(
        actor=SystemActor("test"), user=world.outsider, password="mot cau rat dai va de nho"
    )
    event = AuditEvent.objects.get(action="access.user.password")
    assert event.target_id == str(world.outsider.pk)
    assert "mot cau" not in str(event.changes) + str(event.data)
