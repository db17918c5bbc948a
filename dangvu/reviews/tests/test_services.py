"""Rating services: snapshot, the rules of the year, scope, the workflow, the quota, audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangvu.access.scope import SystemActor
from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import DomainError, NotPermitted, OutOfScope, StaleEdit
from dangvu.core.rules import RuleViolation
from dangvu.core.testing import World
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.members.models import Member
from dangvu.members.tests.factories import make_member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organization, OrgKind
from dangvu.reviews import selectors
from dangvu.reviews.models import Rating, RatingState
from dangvu.reviews.rules import CollectiveFacts, Level, MemberFacts, NotRatedReason, SubjectKind
from dangvu.reviews.services import (
    facts_of,
    rating_decide,
    rating_propose,
    rating_rerate,
    rating_set,
)

SETUP = SystemActor("tests")


def _members(cell: Organization, n: int, prefix: str = "Đảng viên") -> list[Member]:
    return [make_member(cell, f"{prefix} {i}") for i in range(n)]


def _decided(world: World, ratings: list[Rating]) -> None:
    rating_propose(actor=world.north_manager, ratings=ratings)
    rating_decide(actor=world.north_manager, ratings=ratings)


def _rate_all(world: World, members: list[Member], level: Level) -> list[Rating]:
    return [
        rating_set(actor=world.north_manager, year=2020, subject=m, level=level)[0] for m in members
    ]


# --- snapshot -----------------------------------------------------------------------------


def test_a_member_rating_keeps_the_cell_path_and_grassroots_of_the_review_date(
    world: World,
) -> None:
    member = make_member(world.n1)
    rating, warnings = rating_set(
        actor=world.n1_clerk,
        year=2020,
        subject=member,
        level=Level.GOOD,
        facts=MemberFacts(sick_leave_months=Decimal("1.5")),
    )
    rating.refresh_from_db()
    assert warnings == []
    assert rating.subject_kind == SubjectKind.MEMBER.value
    assert rating.organization == world.n1
    assert rating.path == world.n1.path
    assert rating.grassroots == world.north
    assert rating.level == Level.GOOD.value and rating.not_rated_reason == ""
    assert rating.state == RatingState.DRAFT
    assert rating.facts["sick_leave_months"] == "1.5"
    assert facts_of(rating) == MemberFacts(sick_leave_months=Decimal("1.5"))


def test_the_snapshot_follows_the_stint_on_the_review_date(world: World) -> None:
    member = make_member(world.n1)
    member_services.transfer_out(
        actor=SETUP,
        member=member,
        to_organization=world.n2,
        effective_on=date(2021, 2, 1),
        letter_date=date(2021, 2, 1),
    )
    rating, _ = rating_set(actor=world.north_manager, year=2020, subject=member, level=Level.GOOD)
    assert rating.organization == world.n1 and rating.path == world.n1.path


def test_a_member_without_a_stint_on_the_review_date_is_refused(world: World) -> None:
    member = make_member(world.n1, admitted_on=date(2021, 3, 1), recognized_on=None)
    with pytest.raises(DomainError, match="không sinh hoạt ở chi bộ nào"):
        rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.GOOD)
    assert not Rating.objects.exists()


def test_organization_and_agency_snapshots(world: World) -> None:
    agency = org_services.agency_create(
        actor=SETUP,
        organization=world.north,
        code="AG1",
        name="Sở Một",
        valid_from=date(2015, 1, 1),
    )
    grassroots, _ = rating_set(
        actor=world.hq_admin, year=2020, subject=world.north, level=Level.GOOD
    )
    cell, _ = rating_set(actor=world.north_manager, year=2020, subject=world.n1, level=Level.GOOD)
    unit, _ = rating_set(actor=world.hq_admin, year=2020, subject=agency, level=Level.GOOD)
    assert (grassroots.organization, grassroots.grassroots) == (world.north, world.north)
    assert grassroots.subject_kind == "organization" and grassroots.path == world.north.path
    assert (cell.organization, cell.grassroots, cell.path) == (world.n1, world.north, world.n1.path)
    assert (unit.organization, unit.grassroots) == (world.north, world.north)
    assert unit.subject_kind == "agency" and unit.facts["kind"] == "agency"
    with pytest.raises(DomainError, match="không thuộc tổ chức cơ sở đảng"):
        rating_set(actor=world.hq_admin, year=2020, subject=world.hq, level=Level.GOOD)


# --- rules in the service -----------------------------------------------------------------


def test_sick_leave_of_three_months_caps_at_htnv(world: World) -> None:
    below, at = _members(world.n1, 2)
    rating_set(
        actor=world.n1_clerk,
        year=2020,
        subject=below,
        level=Level.GOOD,
        facts=MemberFacts(sick_leave_months=2.9),
    )
    with pytest.raises(RuleViolation, match="nghỉ ốm 3 tháng"):
        rating_set(
            actor=world.n1_clerk,
            year=2020,
            subject=at,
            level=Level.GOOD,
            facts=MemberFacts(sick_leave_months=3),
        )
    assert not Rating.objects.filter(member=at).exists()
    rating, _ = rating_set(
        actor=world.n1_clerk,
        year=2020,
        subject=at,
        level=Level.COMPLETED,
        facts=MemberFacts(sick_leave_months=3),
    )
    assert rating.level == Level.COMPLETED.value


def test_discipline_in_the_year_refuses_htxsnv(world: World) -> None:
    member = make_member(world.n1)
    disciplined = MemberFacts(disciplined_in_year=True)
    with pytest.raises(RuleViolation, match="bị thi hành kỷ luật"):
        rating_set(
            actor=world.n1_clerk, year=2020, subject=member, level=Level.EXCELLENT,
            facts=disciplined,
        )  # fmt: skip
    rating, _ = rating_set(
        actor=world.n1_clerk, year=2020, subject=member, level=Level.NOT_COMPLETED,
        facts=disciplined,
    )  # fmt: skip
    assert rating.level == Level.NOT_COMPLETED.value
    # QĐ 124 (2023): a self-remedied violation still rules out HTXSNV, HTTNV is allowed.
    remedied = MemberFacts(disciplined_in_year=True, discipline_self_remedied=True)
    with pytest.raises(RuleViolation, match="không được xếp loại HTXSNV"):
        rating_set(
            actor=world.n1_clerk, year=2023, subject=member, level=Level.EXCELLENT,
            facts=remedied,
        )  # fmt: skip
    rating, _ = rating_set(
        actor=world.n1_clerk, year=2023, subject=member, level=Level.GOOD, facts=remedied
    )
    assert rating.level == Level.GOOD.value


def test_a_member_admitted_less_than_six_months_before_is_not_rated(world: World) -> None:
    recent = make_member(world.n1, "Mới", admitted_on=date(2020, 6, 16), recognized_on=None)
    enough = make_member(world.n1, "Đủ", admitted_on=date(2020, 6, 15), recognized_on=None)
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=recent, level=None)
    assert rating.not_rated_reason == NotRatedReason.ADMITTED_RECENTLY.value
    assert rating.level == ""
    with pytest.raises(RuleViolation, match="Mới kết nạp, chưa đủ 6 tháng"):
        rating_set(actor=world.n1_clerk, year=2020, subject=recent, level=Level.GOOD)
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=enough, level=Level.GOOD)
    assert rating.level == Level.GOOD.value and rating.not_rated_reason == ""


def test_exemption_and_suspension_in_force_on_the_review_date(world: World) -> None:
    exempt, ended, suspended = _members(world.n1, 3)
    member_services.event_record(
        actor=SETUP, member=exempt, kind=EventKind.EXEMPTED, date=date(2020, 3, 1)
    )
    member_services.event_record(
        actor=SETUP,
        member=ended,
        kind=EventKind.EXEMPTED,
        date=date(2020, 3, 1),
        end_date=date(2020, 12, 14),
    )
    member_services.event_record(
        actor=SETUP,
        member=suspended,
        kind=EventKind.SUSPENDED,
        date=date(2020, 9, 1),
        end_date=date(2020, 12, 15),
    )
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=exempt, level=None)
    assert rating.not_rated_reason == NotRatedReason.EXEMPT.value
    with pytest.raises(RuleViolation, match="Miễn công tác"):
        rating_set(actor=world.n1_clerk, year=2020, subject=exempt, level=Level.GOOD)
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=ended, level=Level.GOOD)
    assert rating.not_rated_reason == "" and rating.level == Level.GOOD.value
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=suspended, level=None)
    assert rating.not_rated_reason == NotRatedReason.SUSPENDED.value
    # Before the exemption started, the same member is rated.
    rating, _ = rating_set(
        actor=world.n1_clerk,
        year=2019,
        subject=exempt,
        level=Level.GOOD,
        review_date=date(2019, 12, 15),
    )
    assert rating.not_rated_reason == ""


def test_an_organization_founded_less_than_six_months_before_is_not_rated(world: World) -> None:
    young = org_services.organization_create(
        actor=SETUP, parent=world.north, code="N9", name="Chi bộ Chín", kind=OrgKind.CELL,
        valid_from=date(2020, 6, 16),
    )  # fmt: skip
    rating, _ = rating_set(actor=world.north_manager, year=2020, subject=young, level=None)
    assert rating.not_rated_reason == NotRatedReason.FOUNDED_RECENTLY.value
    rating, _ = rating_set(actor=world.north_manager, year=2021, subject=young, level=Level.GOOD)
    assert rating.not_rated_reason == "" and rating.level == Level.GOOD.value


def test_collective_caps_refuse_and_warnings_are_returned(world: World) -> None:
    with pytest.raises(RuleViolation, match="mất đoàn kết"):
        rating_set(
            actor=world.north_manager, year=2020, subject=world.n1, level=Level.COMPLETED,
            facts=CollectiveFacts(disunity=True),
        )  # fmt: skip
    member = make_member(world.n1)
    _, warnings = rating_set(
        actor=world.n1_clerk, year=2020, subject=member, level=Level.EXCELLENT,
        facts=MemberFacts(civil_servant=True),
    )  # fmt: skip
    assert len(warnings) == 1 and "chưa có kết quả xếp loại" in warnings[0]
    event = AuditEvent.objects.get(
        action="reviews.rating.set", target_id=str(member.ratings.get().pk)
    )
    assert event.data == {"warnings": warnings}


def test_qd366_scores_are_stored(world: World) -> None:
    from dangvu.reviews.rules import TaskConditions

    member = make_member(world.n1)
    conditions = TaskConditions(
        all_done=True, late_within_limit=True, all_on_time=True, exceeded_enough=False,
        shortcomings_fixed=True,
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="vượt yêu cầu"):
        rating_set(
            actor=world.n1_clerk, year=2025, subject=member, level=Level.EXCELLENT, score=92,
            facts=MemberFacts(conditions=conditions),
        )  # fmt: skip
    rating, _ = rating_set(
        actor=world.n1_clerk, year=2025, subject=member, level=Level.GOOD, score=92,
        facts=MemberFacts(conditions=conditions),
    )  # fmt: skip
    rating.refresh_from_db()
    assert rating.score == Decimal("92.00")
    assert facts_of(rating) == MemberFacts(score=92, conditions=conditions)


# --- scope --------------------------------------------------------------------------------


def test_a_cell_clerk_rates_in_its_cell_only(world: World) -> None:
    own, other = make_member(world.n1, "Một"), make_member(world.s1, "Hai")
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=own, level=Level.GOOD)
    with pytest.raises(OutOfScope):
        rating_set(actor=world.n1_clerk, year=2020, subject=other, level=Level.GOOD)
    with pytest.raises(NotPermitted):
        rating_set(actor=world.viewer, year=2020, subject=own, level=Level.COMPLETED)
    rating_propose(actor=world.n1_clerk, ratings=[rating])
    with pytest.raises(NotPermitted, match="cấp có thẩm quyền"):
        rating_decide(actor=world.n1_clerk, ratings=[rating])
    with pytest.raises(OutOfScope):
        rating_decide(actor=world.s1_clerk, ratings=[rating])
    rating.refresh_from_db()
    assert rating.state == RatingState.PROPOSED


def test_the_competent_level_decides(world: World) -> None:
    rated, _ = rating_set(actor=world.north_manager, year=2020, subject=world.north, level=None)
    rated, _ = rating_set(actor=world.hq_admin, year=2020, subject=world.north, level=Level.GOOD)
    rating_propose(actor=world.north_manager, ratings=[rated])
    # A grassroots organization does not decide its own rating; the committee above does.
    with pytest.raises(NotPermitted):
        rating_decide(actor=world.north_manager, ratings=[rated])
    assert rating_decide(actor=world.hq_admin, ratings=[rated]) == 1
    cell, _ = rating_set(actor=world.north_manager, year=2020, subject=world.n1, level=Level.GOOD)
    rating_propose(actor=world.n1_clerk, ratings=[cell])
    assert rating_decide(actor=world.north_manager, ratings=[cell]) == 1
    agency = org_services.agency_create(
        actor=SETUP, organization=world.north, code="AG2", name="Sở Hai",
        valid_from=date(2015, 1, 1),
    )  # fmt: skip
    unit, _ = rating_set(actor=world.north_manager, year=2020, subject=agency, level=Level.GOOD)
    rating_propose(actor=world.north_manager, ratings=[unit])
    with pytest.raises(NotPermitted):
        rating_decide(actor=world.north_manager, ratings=[unit])
    assert rating_decide(actor=world.hq_admin, ratings=[unit]) == 1


# --- workflow -----------------------------------------------------------------------------


def test_draft_proposed_decided_and_rerated_only_with_a_reason(world: World) -> None:
    member = make_member(world.n1)
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.GOOD)
    with pytest.raises(DomainError, match="chỉ quyết định được xếp loại đã đề xuất"):
        rating_decide(actor=world.north_manager, ratings=[rating])
    assert rating_propose(actor=world.n1_clerk, ratings=[rating]) == 1
    with pytest.raises(DomainError, match=f"Đảng viên {member.full_name} .năm 2020. đang ở"):
        rating_propose(actor=world.n1_clerk, ratings=[rating])
    assert rating_decide(actor=world.north_manager, ratings=[rating]) == 1
    rating.refresh_from_db()
    assert rating.state == RatingState.DECIDED
    assert rating.proposed_by == world.n1_clerk and rating.proposed_at is not None
    assert rating.decided_by == world.north_manager and rating.decided_at is not None
    with pytest.raises(DomainError, match="xếp loại lại"):
        rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.COMPLETED)
    with pytest.raises(DomainError, match="phải ghi rõ lý do"):
        rating_rerate(
            actor=world.north_manager, rating=rating, level=Level.COMPLETED, reason="  ",
            version=rating.version,
        )  # fmt: skip
    with pytest.raises(StaleEdit):
        rating_rerate(
            actor=world.north_manager, rating=rating, level=Level.COMPLETED, reason="Sai sót",
            version=rating.version - 1,
        )  # fmt: skip
    with pytest.raises(NotPermitted):
        rating_rerate(
            actor=world.n1_clerk, rating=rating, level=Level.COMPLETED, reason="Sai sót",
            version=rating.version,
        )  # fmt: skip
    rerated = rating_rerate(
        actor=world.north_manager, rating=rating, level=Level.COMPLETED,
        reason="Phát hiện vi phạm sau kiểm điểm", version=rating.version,
    )  # fmt: skip
    assert rerated.level == Level.COMPLETED.value and rerated.version == rating.version + 1
    Rating.objects.filter(pk=rating.pk).update(state=RatingState.LOCKED)
    with pytest.raises(DomainError, match="đã khóa"):
        rating_rerate(
            actor=world.north_manager, rating=rerated, level=Level.GOOD, reason="Lý do",
            version=rerated.version,
        )  # fmt: skip
    with pytest.raises(DomainError, match="đã khóa"):
        rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.GOOD)


def test_rerate_rechecks_the_caps(world: World) -> None:
    member = make_member(world.n1)
    rating, _ = rating_set(
        actor=world.n1_clerk, year=2020, subject=member, level=Level.COMPLETED,
        facts=MemberFacts(sick_leave_months=4),
    )  # fmt: skip
    _decided(world, [rating])
    rating.refresh_from_db()
    with pytest.raises(RuleViolation, match="nghỉ ốm 4 tháng"):
        rating_rerate(
            actor=world.north_manager, rating=rating, level=Level.GOOD, reason="Xem lại",
            version=rating.version,
        )  # fmt: skip


def test_a_draft_without_a_level_cannot_be_proposed(world: World) -> None:
    rating, _ = rating_set(
        actor=world.n1_clerk, year=2020, subject=make_member(world.n1), level=None
    )
    with pytest.raises(DomainError, match="chưa có mức xếp loại"):
        rating_propose(actor=world.n1_clerk, ratings=[rating])


# --- quota --------------------------------------------------------------------------------

QUOTA_4 = "Số HTXSNV (1) vượt 20% số HTTNV (4 → tối đa 0) trong Tổ chức NORTH."


def test_quota_one_excellent_needs_five_good_in_the_grassroots(world: World) -> None:
    best = make_member(world.n1, "Giỏi")
    good = _members(world.n1, 2) + _members(world.n2, 2, "Chi bộ hai")
    ratings = [
        rating_set(actor=world.north_manager, year=2020, subject=best, level=Level.EXCELLENT)[0],
        *_rate_all(world, good, Level.GOOD),
    ]
    rating_propose(actor=world.north_manager, ratings=ratings)
    with pytest.raises(RuleViolation) as refused:
        rating_decide(actor=world.north_manager, ratings=ratings)
    assert refused.value.violations[0].message == QUOTA_4
    assert not Rating.objects.filter(state=RatingState.DECIDED).exists()
    # A fifth HTTNV makes room for one HTXSNV.
    fifth = _rate_all(world, [make_member(world.n2, "Thứ năm")], Level.GOOD)
    rating_propose(actor=world.north_manager, ratings=fifth)
    assert rating_decide(actor=world.north_manager, ratings=ratings + fifth) == 6


def test_quota_counts_the_ratings_already_decided(world: World) -> None:
    good = _rate_all(world, _members(world.n1, 4), Level.GOOD)
    _decided(world, good)
    best, _ = rating_set(
        actor=world.north_manager, year=2020, subject=make_member(world.n2), level=Level.EXCELLENT
    )
    rating_propose(actor=world.north_manager, ratings=[best])
    with pytest.raises(RuleViolation, match="4 → tối đa 0"):
        rating_decide(actor=world.north_manager, ratings=[best])
    # Re-rating a decided HTTNV to HTXSNV is checked the same way.
    decided = Rating.objects.get(pk=good[0].pk)
    with pytest.raises(RuleViolation, match=r"Số HTXSNV \(1\) vượt 20% số HTTNV \(3"):
        rating_rerate(
            actor=world.north_manager, rating=decided, level=Level.EXCELLENT, reason="Thành tích",
            version=decided.version,
        )  # fmt: skip
    _decided(world, _rate_all(world, [make_member(world.n2, "Thứ năm")], Level.GOOD))
    assert rating_decide(actor=world.north_manager, ratings=[best]) == 1


def test_quota_groups_are_separate(world: World) -> None:
    north = _rate_all(world, _members(world.n1, 5), Level.GOOD)
    south_best, _ = rating_set(
        actor=world.hq_admin, year=2020, subject=make_member(world.s1), level=Level.EXCELLENT
    )
    rating_propose(actor=world.hq_admin, ratings=[*north, south_best])
    with pytest.raises(RuleViolation, match="0 → tối đa 0.*Tổ chức SOUTH"):
        rating_decide(actor=world.hq_admin, ratings=[*north, south_best])
    assert rating_decide(actor=world.hq_admin, ratings=north) == 5


# --- audit --------------------------------------------------------------------------------


def test_every_rating_service_records_its_event(world: World) -> None:
    member = make_member(world.n1)
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.GOOD)
    created = AuditEvent.objects.get(action="reviews.rating.set")
    assert created.changes["level"] == [None, "good"]
    assert created.changes["path"] == [None, world.n1.path]
    assert created.changes["organization"] == [None, str(world.n1)]
    assert created.organization == world.n1 and created.actor == world.n1_clerk
    rating, _ = rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.COMPLETED)
    assert rating.version == 2
    updated = AuditEvent.objects.filter(action="reviews.rating.set").latest("id")
    assert updated.changes == {"level": ["good", "completed"]}
    # An unchanged form is no edit.
    rating_set(actor=world.n1_clerk, year=2020, subject=member, level=Level.COMPLETED)
    assert AuditEvent.objects.filter(action="reviews.rating.set").count() == 2

    rating_propose(actor=world.n1_clerk, ratings=[rating])
    proposed = AuditEvent.objects.get(action="reviews.rating.propose")
    assert proposed.changes == {"state": ["draft", "proposed"]}
    assert proposed.target_id == str(rating.pk)
    rating_decide(actor=world.north_manager, ratings=[rating])
    decided = AuditEvent.objects.get(action="reviews.rating.decide")
    assert decided.changes == {"state": ["proposed", "decided"]}
    assert decided.actor == world.north_manager
    rating.refresh_from_db()
    rating_rerate(
        actor=world.north_manager, rating=rating, level=Level.GOOD, reason="Đánh giá lại",
        version=rating.version,
    )  # fmt: skip
    rerated = AuditEvent.objects.get(action="reviews.rating.rerate")
    assert rerated.changes == {"level": ["completed", "good"]}
    assert rerated.reason == "Đánh giá lại"


def test_a_refused_decision_writes_no_event(world: World) -> None:
    ratings = _rate_all(world, [make_member(world.n1)], Level.EXCELLENT)
    rating_propose(actor=world.north_manager, ratings=ratings)
    with pytest.raises(RuleViolation):
        rating_decide(actor=world.north_manager, ratings=ratings)
    assert not AuditEvent.objects.filter(action="reviews.rating.decide").exists()


# --- selectors ----------------------------------------------------------------------------


def test_rating_list_and_progress_are_scoped(world: World) -> None:
    n1 = _rate_all(world, _members(world.n1, 2), Level.GOOD)
    n2, _ = rating_set(
        actor=world.north_manager, year=2020, subject=make_member(world.n2), level=Level.COMPLETED
    )
    recent = make_member(world.n2, "Mới", admitted_on=date(2020, 10, 1), recognized_on=None)
    rating_set(actor=world.north_manager, year=2020, subject=recent, level=None)
    rating_set(actor=world.hq_admin, year=2020, subject=make_member(world.s1), level=Level.GOOD)
    rating_set(actor=world.north_manager, year=2020, subject=world.n1, level=Level.GOOD)
    rating_propose(actor=world.north_manager, ratings=[n2])

    assert set(selectors.rating_list(actor=world.n1_clerk, year=2020)) == {
        *n1,
        Rating.objects.get(rated_organization=world.n1),
    }
    assert selectors.rating_list(actor=world.viewer, year=2020).count() == 6
    assert selectors.rating_list(actor=world.viewer, year=2021).count() == 0
    listed = selectors.rating_list(
        actor=world.viewer, year=2020, organization=world.north, subject_kind=SubjectKind.MEMBER
    )
    assert listed.count() == 4
    assert list(selectors.rating_list(actor=world.viewer, year=2020, state="proposed")) == [n2]
    with pytest.raises(OutOfScope):
        selectors.rating_list(actor=world.n1_clerk, year=2020, organization=world.s1)

    figures = selectors.progress(actor=world.viewer, organization=world.north, year=2020)
    assert figures.total == 5
    assert figures.by_state == {"draft": 4, "proposed": 1, "decided": 0, "locked": 0}
    assert figures.by_level == {"good": 3, "completed": 1}
    assert figures.not_rated == {"admitted_recently": 1}
    clerk = selectors.progress(actor=world.n1_clerk, organization=world.n1, year=2020)
    assert clerk.total == 3
