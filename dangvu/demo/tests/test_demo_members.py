"""The demo bloc's members: head-counts, the people, their history, scoping, idempotence.

The demo is loaded once per module (``demo`` in ``conftest.py``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model

from dangvu.access.models import Grant
from dangvu.audit.models import AuditEvent
from dangvu.demo.bloc import bloc_spec
from dangvu.demo.members import (
    ADMISSIONS,
    DEMO_TODAY,
    END_2020,
    TARGET_END_2020,
    age_on,
    plan_members,
)
from dangvu.demo.services import LoadResult, load_demo
from dangvu.members import rules, selectors
from dangvu.members.choices import EventKind, TransferKind, TransferState
from dangvu.members.models import Member, MemberEvent, Stint, Transfer
from dangvu.metrics import registry
from dangvu.metrics.registry import Period
from dangvu.orgs.models import Organization

PASSWORD = "mat-khau-demo-du-dai"
TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}


def _on_roll(root: Organization, day: date) -> list[int]:
    """Members whose stint covers ``day``, counted from the stints without the metric."""
    stints = Stint.objects.filter(organization__path__startswith=root.path)
    return [
        member_id
        for member_id, start, end in stints.values_list("member_id", "start", "end")
        if start <= day and (end is None or day < end)
    ]


def test_the_head_count_at_the_end_of_2020(demo: LoadResult, db: None) -> None:
    root = Organization.objects.get(code="DUK")
    period = Period.day(END_2020)
    on_roll = _on_roll(root, END_2020)
    assert len(on_roll) == len(set(on_roll))  # nobody on two rolls
    count = registry.get("members.count").compute(root, period).value
    assert count == len(on_roll) == TARGET_END_2020
    assert 4_200 <= count <= 4_400
    full = registry.get("members.full.count").compute(root, period).value
    probationary = registry.get("members.probationary.count").compute(root, period).value
    assert full + probationary == count and 100 <= probationary <= 160
    assert demo.members == Member.objects.current().count() > count

    sizes = registry.get("members.count").rollup(root, period)
    orgs = Organization.objects.filter(path__startswith=root.path)
    for org in orgs.filter(kind="grassroots_committee"):
        assert sizes[org.pk].value >= 30, org.name
    for org in orgs.filter(kind="grassroots_cell"):
        assert 5 <= sizes[org.pk].value <= 28, org.name
    cells = selectors.cell_counts(root, END_2020)
    short = [c for c in orgs.cells() if cells.get(c.pk, {}).get("full", 0) < 3]
    assert len(short) == 2  # shown by the data-quality checks


def test_the_people_look_real(demo: LoadResult, db: None) -> None:
    root = Organization.objects.get(code="DUK")
    on_roll = set(_on_roll(root, END_2020))
    members = list(Member.objects.select_related("organization", "agency"))
    present = [m for m in members if m.pk in on_roll]
    women = sum(m.gender == "F" for m in present) / len(present)
    assert 0.46 <= women <= 0.54
    ages = [age_on(m.birth_date, END_2020) for m in present]
    assert min(ages) >= 22 and max(ages) <= 65
    for member in members:
        found = rules.check_national_id(member.national_id, member.birth_date, member.gender == "F")
        assert found == [], (member.full_name, member.national_id)
    cards = [m.card_number for m in members if m.card_number]
    assert len(cards) == len(set(cards)) >= 0.95 * len(members)
    marks = unicodedata.normalize("NFD", " ".join(m.full_name for m in members))
    assert [tone for mark, tone in TONES.items() if mark not in marks] == []
    assert "Đ" in marks  # đ opens a syllable, so it is capitalized in a name
    ethnicities = Counter(m.ethnicity for m in members)
    assert ethnicities["Kinh"] > 0.95 * len(members)
    assert {"Tày", "Thái", "Mường", "Nùng", "Khơ-me", "Hoa"} <= set(ethnicities)
    assert {"Phật giáo", "Công giáo"} <= {m.religion for m in members}
    assert Counter(m.education for m in members).most_common(1)[0][0] == "12/12"
    assert len({m.theory_level for m in present}) == 5
    untrained = ("Lái xe", "Sinh viên")
    assert all(m.qualification and m.position for m in present if m.position not in untrained)
    with_agency = [m for m in members if m.agency is not None]
    assert len(with_agency) > 0.95 * len(members)
    assert all(m.organization.path.startswith(m.agency.organization.path) for m in with_agency)


def test_the_history_from_2015_to_the_demo_today(demo: LoadResult, db: None) -> None:
    events = MemberEvent.objects.all()
    admitted = Counter(
        d.year
        for d in events.filter(kind=EventKind.ADMITTED, date__gte=date(2015, 1, 1)).values_list(
            "date", flat=True
        )
    )
    assert admitted == ADMISSIONS
    assert max(events.values_list("date", flat=True)) <= DEMO_TODAY
    assert max(events.exclude(decision_date=None).values_list("decision_date", flat=True)) <= (
        DEMO_TODAY
    )
    assert max(Stint.objects.values_list("start", flat=True)) <= DEMO_TODAY

    # Admitted in the bloc: full 12 months after the ceremony (the first stint's start), as
    # recorded by event_record, on the member, the stints and an event.
    newcomers = (
        Member.objects.filter(admitted_on__gte=date(2015, 1, 1), readmitted_on=None)
        .exclude(recognized_on=None)
        .prefetch_related("stints", "events")
    )
    assert 600 <= len(newcomers) <= 800
    for member in newcomers:
        stints = sorted(member.stints.all(), key=lambda s: s.start)
        assert member.recognized_on == stints[0].start + relativedelta(months=12)
        assert {s.recognized_on for s in stints} == {member.recognized_on}
        recognized = [e for e in member.events.all() if e.kind == EventKind.RECOGNIZED]
        assert [e.date for e in recognized] == [member.recognized_on]
        assert recognized[0].decision_date <= DEMO_TODAY

    kinds = Counter(events.filter(date__gte=date(2015, 1, 1)).values_list("kind", flat=True))
    assert kinds[EventKind.DIED] >= 5 and kinds[EventKind.EXEMPTED] >= 5
    assert kinds[EventKind.LEFT] == 2 and kinds[EventKind.STRUCK_OFF] == 3
    assert kinds[EventKind.READMITTED] == 1

    transfers = Transfer.objects.all()
    internal = transfers.filter(kind=TransferKind.OFFICIAL, to_organization__isnull=False)
    assert internal.count() >= 50
    assert set(internal.values_list("state", flat=True)) == {TransferState.COMPLETED}
    late = internal.exclude(late_reason="")
    assert late.count() >= 5
    assert all(t.presented_on >= t.letter_date for t in internal)
    assert transfers.filter(kind=TransferKind.OFFICIAL, to_organization=None).count() >= 300
    temporary = transfers.filter(kind=TransferKind.TEMPORARY)
    assert temporary.count() >= 5 and temporary.filter(state=TransferState.IN_TRANSIT).count() == 1
    assert max(transfers.values_list("letter_date", flat=True)) <= DEMO_TODAY

    readmitted = Member.objects.get(readmitted_on__isnull=False)
    assert readmitted.stints.count() == 2 and readmitted.recognized_on is not None
    age = selectors.party_age(readmitted, DEMO_TODAY)
    assert age is not None and age.days < (DEMO_TODAY - readmitted.admitted_on).days


def test_each_persona_sees_only_its_members(demo: LoadResult, db: None) -> None:
    seen = {}
    for username in ("khoi", "xem", "coso", "chibo"):
        user = get_user_model().objects.get(username=username)
        where = Grant.objects.get(user=user).organization
        expected = Member.objects.filter(
            organization__path__startswith=where.path, stints__end__isnull=True
        )
        seen[username] = set(selectors.member_list(actor=user).values_list("pk", flat=True))
        assert seen[username] == set(expected.values_list("pk", flat=True)) != set()
    assert seen["khoi"] == seen["xem"] and len(seen["khoi"]) == demo.members
    assert seen["chibo"] < seen["coso"] < seen["khoi"]


def test_a_second_load_adds_nothing(demo: LoadResult, db: None) -> None:
    models = (Member, Stint, MemberEvent, Transfer, AuditEvent)
    before = [m.objects.count() for m in models]
    again = load_demo(password=PASSWORD)
    assert not again.created and again.members == demo.members
    assert [m.objects.count() for m in models] == before


def test_the_plan_is_the_same_on_every_run() -> None:
    def fingerprint() -> list[Any]:
        return [
            (s.personal["full_name"], s.personal["national_id"], s.cell, s.joined_on)
            + tuple((step.on, step.action, step.number) for step in s.steps)
            for s in plan_members(bloc_spec()).stories
        ]

    assert fingerprint() == fingerprint()
