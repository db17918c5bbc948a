"""Building members in tests through the services, with valid citizen IDs."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from dangvu.access.scope import SystemActor
from dangvu.members import services
from dangvu.members.models import Member
from dangvu.orgs.models import Organization

SETUP = SystemActor("tests")
_serial = itertools.count(1)


def national_id(birth: date, female: bool, province: str = "045") -> str:
    digit = (2 * ((birth.year - 1900) // 100)) % 10 + int(female)
    return f"{province}{digit}{birth.year % 100:02d}{next(_serial):06d}"


def make_member(
    cell: Organization,
    full_name: str = "Nguyễn Văn An",
    *,
    birth_date: date = date(1980, 5, 17),
    gender: str = "M",
    admitted_on: date = date(2005, 3, 1),
    joined_on: date | None = None,
    recognized_on: date | None = date(2006, 3, 20),
    **personal: Any,
) -> Member:
    personal.setdefault("national_id", national_id(birth_date, gender == "F"))
    member, _ = services.member_create(
        actor=SETUP,
        organization=cell,
        full_name=full_name,
        birth_date=birth_date,
        gender=gender,
        admitted_on=admitted_on,
        joined_on=joined_on or admitted_on,
        recognized_on=recognized_on,
        **personal,
    )
    return member
