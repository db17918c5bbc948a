"""Meta-tests over the URL conf: no route escapes scoping, and none answers an outsider."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangvu import urls as root_urls
from dangvu.access.models import Grant
from dangvu.audit.models import AuditEvent
from dangvu.core.api import ScopedAPIMixin
from dangvu.core.testing import World
from dangvu.core.views import ScopedMixin
from dangvu.members import services as member_services
from dangvu.members.models import Member, Transfer
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Agency, CommitteeSeat, Organization, Term


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name and "format" not in _params(entry):
            yield f"{prefix}{entry.name}", entry


def _params(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def _scoped(callback: Any) -> bool:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, ScopedMixin | ScopedAPIMixin)


def _model(callback: Any) -> type | None:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if getattr(view_class, "model", None) is not None:
        return view_class.model
    queryset = getattr(view_class, "queryset", None)
    return queryset.model if queryset is not None else None


ROUTES = sorted(dict(_routes()).items())
SCOPED = [(name, p) for name, p in ROUTES if name not in root_urls.SCOPE_EXEMPT]


def test_every_route_is_scoped_or_exempt_with_a_reason() -> None:
    unscoped = [name for name, p in SCOPED if not _scoped(p.callback)]
    assert unscoped == [], f"Routes without scoping and not in SCOPE_EXEMPT: {unscoped}"
    assert all(reason.strip() for reason in root_urls.SCOPE_EXEMPT.values())
    named = {name for name, _ in ROUTES}
    assert set(root_urls.SCOPE_EXEMPT) <= named, "SCOPE_EXEMPT names a route that is gone"


def _north_objects(world: World) -> dict[type, Any]:
    """One object per model, all inside NORTH (so S1's clerk must never reach them)."""
    term, _ = org_services.term_create(
        actor=world.superuser,
        organization=world.north,
        congress_number=1,
        congress_date=world.north.valid_from,
        start_date=world.north.valid_from,
        end_date=world.north.valid_from.replace(year=world.north.valid_from.year + 5),
    )
    seat = org_services.seat_create(
        actor=world.superuser,
        term=term,
        role="secretary",
        full_name="Nguyễn Văn An",
        start_date=term.start_date,
    )
    agency = org_services.agency_create(
        actor=world.superuser,
        organization=world.north,
        code="CQ-N",
        name="Cơ quan Bắc",
        valid_from=world.north.valid_from,
    )
    member, _ = member_services.member_create(
        actor=world.superuser,
        organization=world.n1,
        full_name="Trần Thị Bình",
        birth_date=date(1990, 3, 4),
        gender="F",
        national_id="001190001234",
        admitted_on=date(2018, 5, 19),
        recognized_on=date(2019, 5, 19),
        joined_on=date(2018, 5, 19),
    )
    transfer, _ = member_services.transfer_out(
        actor=world.superuser,
        member=member,
        to_organization=world.n2,
        effective_on=date(2024, 3, 1),
        letter_date=date(2024, 3, 5),
    )
    event = AuditEvent.objects.filter(organization=world.north).first()
    return {
        Organization: world.n1,
        Term: term,
        CommitteeSeat: seat,
        Agency: agency,
        AuditEvent: event,
        Grant: world.n1_clerk.grants.get(),
        Member: member,
        Transfer: transfer,
    }


def _method(pattern: URLPattern) -> str:
    """GET where the route answers it, else the first method it does answer (API actions)."""
    actions = getattr(pattern.callback, "actions", None) or {"get": ""}
    return "get" if "get" in actions else next(iter(actions))


def _url(name: str, pattern: URLPattern, objects: dict[type, Any]) -> str:
    if "pk" not in _params(pattern):
        return reverse(name)
    return reverse(name, kwargs={"pk": objects[_model(pattern.callback)].pk})


@pytest.mark.parametrize(("name", "pattern"), SCOPED, ids=[n for n, _ in SCOPED])
def test_every_scoped_route_refuses_strangers(
    world: World, client: Any, name: str, pattern: Any
) -> None:
    """Anonymous: login redirect (pages) or 401 (API); logged in without any grant: 403;
    a cell clerk of the sibling subtree: 404 for an object of NORTH, or 403."""
    # given
    url = _url(name, pattern, _north_objects(world))
    request = getattr(client, _method(pattern))
    is_api = url.startswith("/api/")
    events = AuditEvent.objects.count()
    # when / then: anonymous
    response = request(url)
    assert response.status_code == (401 if is_api else 302), url
    # when / then: no grant at all
    client.force_login(world.outsider)
    assert request(url).status_code == 403, url
    # when / then: the sibling subtree's clerk never sees NORTH's object
    client.force_login(world.s1_clerk)
    status = request(url).status_code
    if "pk" in _params(pattern):
        assert status in (403, 404), url
    else:
        assert status in (200, 400, 403), url
    assert AuditEvent.objects.count() == events, "a refused request wrote to the audit log"
