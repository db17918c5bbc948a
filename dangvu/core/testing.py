"""The canonical test world: a small tree and one persona per kind of grant.

::

    HQ   (above-grassroots committee)      hq_admin: committee office   viewer: read-only
    ├── NORTH (grassroots committee)       north_manager: grassroots office
    │   ├── N1 (cell)                      n1_clerk: cell
    │   └── N2 (cell)
    └── SOUTH (grassroots committee)
        └── S1 (cell)                      s1_clerk: cell
    outsider: logged in, no grant          superuser: everything

Built through the services like real data, so the audit log and the rules apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from dangvu.access import roles
from dangvu.access.models import Grant, Role
from dangvu.access.scope import SystemActor
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organization, OrgKind

SETUP = SystemActor("test world")
PASSWORD = "correct horse battery staple"  # noqa: S105 (test-only, ≥ 15 characters)


@dataclass
class World:
    hq: Organization
    north: Organization
    n1: Organization
    n2: Organization
    south: Organization
    s1: Organization
    hq_admin: User
    viewer: User
    north_manager: User
    n1_clerk: User
    s1_clerk: User
    outsider: User
    superuser: User

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def _org(parent: Organization | None, code: str, kind: str) -> Organization:
    return org_services.organization_create(
        actor=SETUP,
        parent=parent,
        code=code,
        name=f"Tổ chức {code}",
        kind=kind,
        valid_from=date(2015, 1, 1),
    )


def _user(username: str, *, superuser: bool = False) -> User:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser
    )
    return user


def _grant(user: User, role: str, org: Organization) -> None:
    Grant.objects.create(user=user, role=Role.objects.get(code=role), organization=org)


def build_world() -> World:
    hq = _org(None, "HQ", OrgKind.ABOVE_GRASSROOTS)
    north = _org(hq, "NORTH", OrgKind.GRASSROOTS_COMMITTEE)
    south = _org(hq, "SOUTH", OrgKind.GRASSROOTS_COMMITTEE)
    n1 = _org(north, "N1", OrgKind.CELL)
    n2 = _org(north, "N2", OrgKind.CELL)
    s1 = _org(south, "S1", OrgKind.CELL)
    world = World(
        hq=hq,
        north=Organization.objects.get(pk=north.pk),
        n1=n1,
        n2=n2,
        south=Organization.objects.get(pk=south.pk),
        s1=s1,
        hq_admin=_user("hq_admin"),
        viewer=_user("viewer"),
        north_manager=_user("north_manager"),
        n1_clerk=_user("n1_clerk"),
        s1_clerk=_user("s1_clerk"),
        outsider=_user("outsider"),
        superuser=_user("superuser", superuser=True),
    )
    world.hq = Organization.objects.get(pk=hq.pk)
    _grant(world.hq_admin, roles.COMMITTEE_OFFICE, world.hq)
    _grant(world.viewer, roles.VIEWER, world.hq)
    _grant(world.north_manager, roles.GRASSROOTS, world.north)
    _grant(world.n1_clerk, roles.CELL, world.n1)
    _grant(world.s1_clerk, roles.CELL, world.s1)
    return world
