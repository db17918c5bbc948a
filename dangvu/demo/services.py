"""Loading the demo bloc through the same services as the web pages (idempotent)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from dangvu.access import roles
from dangvu.access import services as access_services
from dangvu.access.models import Grant, Role
from dangvu.access.scope import SystemActor
from dangvu.audit import context
from dangvu.audit.services import record
from dangvu.core.exceptions import DomainError
from dangvu.demo.bloc import ROOT_CODE, SEED, OrgSpec, bloc_spec, walk
from dangvu.demo.members import load_members
from dangvu.demo.names import person_name
from dangvu.demo.reviews import load_reviews
from dangvu.members.models import Member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Agency, Organization, SeatRole, Term

ACTOR = SystemActor("demo_load")
# (username, full name, role, code of the organization the grant is on)
PERSONAS = [
    ("khoi", "Văn phòng Đảng ủy Khối", roles.COMMITTEE_OFFICE, ROOT_CODE),
    ("coso", "Văn phòng Đảng ủy Sở Tài chính", roles.GRASSROOTS, "finance"),
    ("chibo", "Bí thư Chi bộ Văn phòng Sở Tài chính", roles.CELL, "finance-cell"),
    ("xem", "Cán bộ theo dõi (chỉ xem)", roles.VIEWER, ROOT_CODE),
]
TERMS = [  # (congress number of the bloc, congress date, start, end)
    (5, date(2015, 7, 10), date(2015, 7, 10), date(2020, 7, 15)),
    (6, date(2020, 7, 15), date(2020, 7, 15), date(2025, 7, 15)),
]


@dataclass
class LoadResult:
    created: bool
    organizations: int
    agencies: int
    members: int  # on a roll today (an open stint)
    personas: list[str]


def load_demo(*, password: str | None = None) -> LoadResult:
    """Build the demo bloc unless it exists; always (re)set the personas and their grants."""
    if settings.PRODUCTION:
        raise DomainError("Không nạp dữ liệu mẫu khi DANGVU_PRODUCTION bật.")
    password = password or settings.DANGVU_DEMO_PASSWORD
    with context.job("demo_load"), transaction.atomic():
        created = not Organization.objects.unscoped().filter(code=ROOT_CODE).exists()
        if created:
            _build(bloc_spec())
        personas = _personas(password)
        root = Organization.objects.unscoped().get(code=ROOT_CODE)
        subtree = Organization.objects.unscoped().filter(path__startswith=root.path)
        result = LoadResult(
            created=created,
            organizations=subtree.count(),
            agencies=Agency.objects.unscoped()
            .filter(organization__path__startswith=root.path)
            .count(),
            members=Member.objects.unscoped()
            .filter(organization__path__startswith=root.path)
            .current()
            .count(),
            personas=personas,
        )
        if created:
            record(
                actor=ACTOR,
                action="demo.load",
                target=root,
                organization=root,
                data={
                    "organizations": result.organizations,
                    "agencies": result.agencies,
                    "members": result.members,
                },
            )
    return result


def _build(spec: OrgSpec) -> None:
    rng = random.Random(SEED)
    by_code: dict[str, Organization] = {}
    for parent_code, node in walk(spec):
        org = org_services.organization_create(
            actor=ACTOR,
            parent=by_code[parent_code] if parent_code else None,
            code=node.code,
            name=node.name,
            kind=node.kind,
            valid_from=node.valid_from,
            decision=f"{rng.randint(10, 990)}-QĐ/ĐUK",
        )
        by_code[node.code] = org
        if node.agency:
            org_services.agency_create(
                actor=ACTOR,
                organization=org,
                code=f"CQ-{node.code}",
                name=node.agency,
                valid_from=node.valid_from,
            )
        if node.kind in ("above_grassroots", "grassroots_committee", "grassroots_cell"):
            _terms(rng, org, node)
    load_members(actor=ACTOR, spec=spec)
    load_reviews(actor=ACTOR, root=by_code[spec.code])


def _terms(rng: random.Random, org: Organization, node: OrgSpec) -> None:
    """The 2015–2020 and 2020–2025 committees: the bloc's, and each grassroots organization's
    (their congresses come before the bloc's, as Chỉ thị 35-CT/TW orders)."""
    is_root = node.kind == "above_grassroots"
    for number, congress, start, end in TERMS:
        if not is_root:
            number -= 2
            congress = start = congress - timedelta(days=rng.randint(20, 120))
            end = congress.replace(year=congress.year + 5)
        if start < org.valid_from:
            continue
        term, _ = org_services.term_create(
            actor=ACTOR,
            organization=org,
            congress_number=max(number, 1),
            congress_date=congress,
            start_date=start,
            end_date=end,
        )
        _seats(rng, term, is_root, node.kind == "grassroots_cell")


def _seats(rng: random.Random, term: Term, is_root: bool, is_cell: bool) -> None:
    if is_root:
        layout = [
            (SeatRole.SECRETARY, 1),
            (SeatRole.DEPUTY_SECRETARY, 2),
            (SeatRole.STANDING_MEMBER, 4),
            (SeatRole.MEMBER, 8),
        ]
    elif is_cell:
        layout = [(SeatRole.SECRETARY, 1), (SeatRole.DEPUTY_SECRETARY, 1)]
    else:
        layout = [
            (SeatRole.SECRETARY, 1),
            (SeatRole.DEPUTY_SECRETARY, 1),
            (SeatRole.MEMBER, rng.randint(3, 7)),
        ]
    for role, count in layout:
        for _ in range(count):
            org_services.seat_create(
                actor=ACTOR,
                term=term,
                role=role,
                full_name=person_name(rng, female=rng.random() < 0.45),
                start_date=term.start_date,
            )


def _persona_org(key: str) -> Organization:
    orgs = Organization.objects.unscoped()
    if key == "finance":
        return orgs.get(name="Đảng bộ Sở Tài chính")
    if key == "finance-cell":
        finance = orgs.get(name="Đảng bộ Sở Tài chính")
        return orgs.get(path__startswith=finance.path, name="Chi bộ Văn phòng")
    return orgs.get(code=key)


def _personas(password: str) -> list[str]:
    """Create each persona (or reset its password to the demo one) and give it its grant."""
    user_model = get_user_model()
    for username, full_name, role_code, org_key in PERSONAS:
        user: User | None = user_model.objects.filter(username=username).first()
        if user is None:
            user = access_services.user_create(
                actor=ACTOR, username=username, full_name=full_name, password=password
            )
        else:
            access_services.user_set_password(actor=ACTOR, user=user, password=password)
        role, org = Role.objects.get(code=role_code), _persona_org(org_key)
        if not Grant.objects.unscoped().filter(user=user, role=role, organization=org).exists():
            access_services.grant_create(actor=ACTOR, user=user, role=role, organization=org)
    return [username for username, *_ in PERSONAS]
