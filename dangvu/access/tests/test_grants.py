"""Offices manage accounts and grants inside their subtree, and never beyond their own powers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from dangvu.access import scope, services
from dangvu.access.models import Grant, Role
from dangvu.access.roles import BUILTIN_ROLES, CELL, COMMITTEE_OFFICE, GRASSROOTS, VIEWER
from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope
from dangvu.core.testing import World


def _role(code: str) -> Role:
    return Role.objects.get(code=code)


def test_builtin_roles_are_synced_after_migrate(db: None) -> None:
    assert {r.code: sorted(r.actions) for r in Role.objects.filter(builtin=True)} == {
        code: sorted(actions) for code, (_, actions) in BUILTIN_ROLES.items()
    }


def test_granted_paths_drop_paths_inside_other_grants(world: World) -> None:
    Grant.objects.create(user=world.n1_clerk, role=_role(CELL), organization=world.north)
    scope.forget(world.n1_clerk)
    assert scope.granted_paths(world.n1_clerk, "orgs.view") == (world.north.path,)
    assert scope.granted_paths(world.n1_clerk, "orgs.change") == ()
    assert scope.granted_paths(world.superuser, "orgs.change") is None


def test_inactive_and_anonymous_actors_see_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    world.hq_admin.is_active = False
    assert scope.granted_paths(world.hq_admin, "orgs.view") == ()
    assert scope.granted_paths(AnonymousUser(), "orgs.view") == ()
    assert scope.granted_paths(None, "orgs.view") == ()


def test_account_open_generates_the_password_and_grants_in_one_go(world: World) -> None:
    user, password = services.account_open(
        actor=world.north_manager,
        username="bithu.n2",
        full_name="Hoàng Thị Yến",
        role=_role(CELL),
        organization=world.n2,
    )
    assert user.check_password(password) and len(password) == 23
    assert (user.last_name, user.first_name) == ("Hoàng Thị", "Yến")
    assert list(user.grants.values_list("organization__code", "role__code")) == [("N2", "cell")]
    actions = list(
        AuditEvent.objects.filter(target_type__in=["auth.user", "access.grant"]).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["access.grant.create", "access.user.create"]
    assert password not in str(list(AuditEvent.objects.values_list("changes", "data")))


def test_account_open_in_a_sibling_subtree_creates_nothing(world: World) -> None:
    with pytest.raises(OutOfScope):
        services.account_open(
            actor=world.north_manager,
            username="x",
            full_name="X",
            role=_role(CELL),
            organization=world.s1,
        )
    assert not User.objects.filter(username="x").exists()


def test_nobody_hands_out_more_than_they_hold(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.grant_create(
            actor=world.north_manager,
            user=world.outsider,
            role=_role(COMMITTEE_OFFICE),
            organization=world.n1,
        )
    grant = services.grant_create(
        actor=world.north_manager, user=world.outsider, role=_role(VIEWER), organization=world.n1
    )
    assert grant.pk is not None
    with pytest.raises(DomainError):
        services.grant_create(
            actor=world.north_manager,
            user=world.outsider,
            role=_role(VIEWER),
            organization=world.n1,
        )


def test_a_cell_clerk_cannot_manage_access(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.grant_create(
            actor=world.n1_clerk, user=world.outsider, role=_role(VIEWER), organization=world.n1
        )


def test_revoke_is_audited_and_scoped(world: World) -> None:
    grant = world.s1_clerk.grants.get()
    with pytest.raises(OutOfScope):
        services.grant_delete(actor=world.north_manager, grant=grant, reason="x")
    services.grant_delete(actor=world.hq_admin, grant=grant, reason="Chuyển công tác")
    assert not world.s1_clerk.grants.exists()
    event = AuditEvent.objects.get(action="access.grant.delete")
    assert event.reason == "Chuyển công tác" and event.changes["user"] == ["s1_clerk", None]


def test_grants_page_lists_only_the_managed_subtree(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    page = client.get(reverse("access:grants"))
    assert {g.user.username for g in page.context["grants"]} == {"north_manager", "n1_clerk"}
    found = client.get(reverse("access:grants"), {"q": "N1_CLERK"})
    assert [g.user.username for g in found.context["grants"]] == ["n1_clerk"]


def test_account_page_shows_the_password_once(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.post(
        reverse("access:account_create"),
        {
            "username": "chiuy.n1",
            "full_name": "Đỗ Văn Đạt",
            "role": _role(CELL).pk,
            "organization": world.n1.pk,
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    assert User.objects.get(username="chiuy.n1").check_password(password)


def test_account_form_refuses_an_organization_outside_scope(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    response = client.post(
        reverse("access:account_create"),
        {"username": "x1", "full_name": "X", "role": _role(CELL).pk, "organization": world.s1.pk},
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not User.objects.filter(username="x1").exists()


def test_grant_page_gives_an_existing_account_a_role(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    response = client.post(
        reverse("access:grant_create"),
        {"user": "outsider", "role": _role(GRASSROOTS).pk, "organization": world.south.pk},
    )
    assert response.status_code == 302
    assert world.outsider.grants.get().organization == world.south
    response = client.post(
        reverse("access:grant_create"),
        {"user": "nobody", "role": _role(GRASSROOTS).pk, "organization": world.south.pk},
    )
    assert response.context["form"].errors["user"] == [
        "Không có tài khoản nào với tên đăng nhập này."
    ]


def test_revoke_page(world: World, client: Any) -> None:
    grant = world.n1_clerk.grants.get()
    client.force_login(world.north_manager)
    assert client.get(reverse("access:grant_revoke", args=[grant.pk])).status_code == 200
    response = client.post(reverse("access:grant_revoke", args=[grant.pk]), {"reason": "Nghỉ hưu"})
    assert response.status_code == 302 and not Grant.objects.filter(pk=grant.pk).exists()
    other = world.s1_clerk.grants.get()
    assert client.get(reverse("access:grant_revoke", args=[other.pk])).status_code == 404
