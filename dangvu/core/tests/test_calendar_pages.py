"""Declaring days off and worked weekend days: superuser only, audited, used by deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dangvu.audit.models import AuditEvent
from dangvu.core import calendar, services
from dangvu.core.exceptions import DomainError, NotPermitted
from dangvu.core.models import CalendarDay
from dangvu.core.testing import World


def test_a_declared_day_off_moves_deadlines_at_once(world: World) -> None:
    # given: 10 working days from Monday 8/2/2021 ends after Tết
    before = calendar.add_working_days(date(2021, 2, 8), 5)
    # when the government adds 17/2/2021 as a day off
    services.calendar_day_set(
        actor=world.superuser, day=date(2021, 2, 17), working=False, reason="Nghỉ thêm"
    )
    # then
    assert calendar.add_working_days(date(2021, 2, 8), 5) == before.replace(day=before.day + 1)
    event = AuditEvent.objects.get(action="core.calendar_day.set")
    assert event.changes == {"kind": [None, "day_off"], "reason": [None, "Nghỉ thêm"]}


def test_only_a_superuser_declares(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.calendar_day_set(
            actor=world.hq_admin, day=date(2021, 2, 17), working=False, reason="x"
        )
    assert not CalendarDay.objects.exists()


def test_a_weekday_cannot_be_declared_worked(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        services.calendar_day_set(
            actor=world.superuser, day=date(2021, 2, 17), working=True, reason="x"
        )
    assert "day" in caught.value.field_errors


def test_calendar_page_lists_holidays_and_declared_days(world: World, client: Any) -> None:
    client.get(reverse("calendar"))  # anonymous
    assert client.get(reverse("calendar")).status_code == 302
    client.force_login(world.n1_clerk)
    page = client.get(reverse("calendar"), {"nam": 2021})
    names = [e.name for e in page.context["entries"]]
    assert "Tết Nguyên Đán" in names and "Quốc khánh" in names
    assert "Khai báo ngày nghỉ" not in page.content.decode()
    assert (
        client.post(
            reverse("calendar"), {"day": "2021-02-17", "working": "0", "reason": "x"}
        ).status_code
        == 403
    )


def test_superuser_declares_and_withdraws_through_the_page(world: World, client: Any) -> None:
    client.force_login(world.superuser)
    response = client.post(
        reverse("calendar") + "?nam=2021",
        {"day": "2021-02-20", "working": "1", "reason": "Làm bù cho 17/2"},
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get()
    assert calendar.is_working_day(date(2021, 2, 20))
    response = client.post(reverse("calendar_day_delete", args=[row.pk]))
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    assert not calendar.is_working_day(date(2021, 2, 20))
    assert AuditEvent.objects.filter(action="core.calendar_day.delete").count() == 1
