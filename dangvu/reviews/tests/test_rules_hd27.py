"""HD 27-HD/BTCTW (2014–2017): TSVM as an organization's top level, no quota, no caps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangvu.reviews.rules import (
    HD27,
    QD132_HD16,
    QD132_HD21,
    RULE_SETS,
    CollectiveFacts,
    Hd27RuleSet,
    Level,
    MemberFacts,
    NotRatedReason,
    SubjectKind,
    level_label,
    rules_for,
    streak,
    streak_span,
)

E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED


@pytest.mark.parametrize("year", [2014, 2015, 2016, 2017])
def test_rules_for_the_years_of_hd27(year: int) -> None:
    assert rules_for(year) is HD27
    assert isinstance(rules_for(year), Hd27RuleSet)


def test_boundaries_of_hd27() -> None:
    assert rules_for(2018) is QD132_HD16
    assert rules_for(2019) is QD132_HD21
    assert HD27.valid_years == (2014, 2017)
    assert not HD27.applies_to(2013) and not HD27.applies_to(2018)
    with pytest.raises(LookupError, match="năm 2013.*từ năm 2014 \\(HD 27-HD/BTCTW\\)"):
        rules_for(2013)


def test_hd27_is_registered_first() -> None:
    assert RULE_SETS[0] is HD27
    assert RULE_SETS[1] is QD132_HD16


def test_hd27_cites_its_document_and_what_is_unconfirmed() -> None:
    assert "27-HD/BTCTW ngày 25/9/2014" in str(HD27.citation)
    assert "CHƯA XÁC NHẬN" in str(HD27.member_levels_citation)
    assert "suy luận" in str(HD27.tsvm_citation)
    assert "chưa đối chiếu" in str(HD27.not_rated_citation)


# --- labels -------------------------------------------------------------------------------


def test_an_organizations_top_level_is_tsvm() -> None:
    assert HD27.level_label(E, SubjectKind.ORGANIZATION) == "Trong sạch, vững mạnh"
    assert HD27.level_label(N, SubjectKind.ORGANIZATION) == "Yếu kém"
    assert HD27.level_label(G, SubjectKind.ORGANIZATION) == G.label
    assert HD27.level_label(C, SubjectKind.ORGANIZATION) == C.label


@pytest.mark.parametrize("kind", [SubjectKind.MEMBER, SubjectKind.AGENCY])
def test_members_and_agencies_keep_the_four_labels(kind: SubjectKind) -> None:
    assert [HD27.level_label(level, kind) for level in Level] == [level.label for level in Level]


@pytest.mark.parametrize("year", [2017, 2018, 2020, 2025])
def test_level_label_for_any_rule_set(year: int) -> None:
    rules = rules_for(year)
    top = level_label(rules, E, SubjectKind.ORGANIZATION)
    assert top == ("Trong sạch, vững mạnh" if year <= 2017 else E.label)
    assert level_label(rules, E, SubjectKind.MEMBER) == E.label


# --- no caps, no quota --------------------------------------------------------------------


@pytest.mark.parametrize("months", [0, Decimal("2.9"), 3, Decimal("3.5"), 12])
def test_no_sick_leave_cap(months: object) -> None:
    facts = MemberFacts(sick_leave_months=months)  # type: ignore[arg-type]
    assert HD27.member_caps(facts) == []
    assert HD27.highest_member_level(facts) is E
    assert all(HD27.check_member_level(level, facts) == [] for level in Level)
    # the same facts are capped from 2018
    assert QD132_HD16.check_member_level(G, MemberFacts(sick_leave_months=3))


def test_no_discipline_cap() -> None:
    facts = MemberFacts(disciplined_in_year=True, civil_servant=True, state_rating=C)
    assert HD27.highest_member_level(facts) is E
    assert HD27.check_member_level(E, facts) == []
    assert QD132_HD16.check_member_level(E, MemberFacts(disciplined_in_year=True))


def test_no_collective_caps() -> None:
    facts = CollectiveFacts(
        disunity=True,
        targets_met_share=Decimal("0.3"),
        collective_disciplined=True,
        leadership_member_warned_or_worse=True,
        subunits=4,
        disciplined_subunits=4,
    )
    assert HD27.collective_caps(facts) == []
    assert HD27.highest_collective_level(facts) is E
    assert HD27.check_collective_level(E, facts) == []


@pytest.mark.parametrize(("excellent", "good"), [(0, 0), (1, 0), (1, 4), (2, 5), (100, 1)])
def test_no_quota(excellent: int, good: int) -> None:
    assert HD27.check_quota(excellent, good) == []
    assert HD27.check_quota(excellent, good, group_name="Đảng bộ Sở Y tế") == []
    assert HD27.quota_max(good) == good
    # the same counts breach the quota from 2018 when HTXSNV > 20% of HTTNV
    assert (QD132_HD16.check_quota(excellent, good) == []) == (5 * excellent <= good)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        HD27.check_quota(-1, 0)
    with pytest.raises(ValueError):
        HD27.quota_max(-1)


# --- who is not rated (as from 2018) ------------------------------------------------------


def test_not_rated_as_later_years() -> None:
    review = date(2016, 12, 15)
    assert HD27.not_rated_reason(review_date=review, exempted=True) is NotRatedReason.EXEMPT
    assert (
        HD27.not_rated_reason(review_date=review, admitted_on=date(2016, 6, 16))
        is NotRatedReason.ADMITTED_RECENTLY
    )
    assert HD27.not_rated_reason(review_date=review, admitted_on=date(2016, 6, 15)) is None
    assert (
        HD27.not_rated_reason(review_date=review, founded_on=date(2016, 6, 16))
        is NotRatedReason.FOUNDED_RECENTLY
    )
    [violation] = HD27.check_not_rated(G, NotRatedReason.SUSPENDED)
    assert violation.citation == HD27.not_rated_citation


# --- TSVM tiêu biểu -----------------------------------------------------------------------


def test_only_tsvm_organizations_may_be_tsvm_exemplary() -> None:
    assert HD27.check_tsvm_exemplary(E) == []
    for level in (G, C, N, None):
        [violation] = HD27.check_tsvm_exemplary(level)
        assert violation.code == "reviews.tsvm_exemplary"
        assert violation.citation == HD27.tsvm_citation
    assert HD27.check_tsvm_exemplary(G)[0].message == (
        "Chỉ tổ chức đảng xếp loại “Trong sạch, vững mạnh” mới được xét “Trong sạch, vững mạnh "
        "tiêu biểu” (tổ chức này: HTTNV)."
    )
    assert "(tổ chức này: Yếu kém)" in HD27.check_tsvm_exemplary(N)[0].message
    assert "chưa xếp loại" in HD27.check_tsvm_exemplary(None)[0].message


def test_a_streak_spans_the_2018_change() -> None:
    titled = {2015, 2016, 2017, 2018, 2019}
    assert all(rules_for(y).check_tsvm_exemplary(E) == [] for y in titled)
    assert streak(titled, 2019) == 5
    assert streak_span(titled, 2019) == (2015, 2019)
