"""Review rules: every rule on both sides of its boundaries, for every rule-set version."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.rules import RuleViolation, Severity, Violation, enforce
from dangvu.reviews.rules import (
    QD124_HD25,
    QD132_HD16,
    QD132_HD21,
    QD366_HD43,
    RULE_SETS,
    CollectiveFacts,
    Level,
    MemberFacts,
    NotRatedReason,
    Number,
    RuleSet,
    StreakPolicy,
    SubjectKind,
    TaskConditions,
    rules_for,
    streak,
    streak_span,
)

E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED
IDS = ["qd132-hd16", "qd132-hd21", "qd124", "qd366"]
QD132 = [QD132_HD16, QD132_HD21]
SINCE_124 = [QD124_HD25, QD366_HD43]
ALL_MET = TaskConditions(
    all_done=True,
    late_within_limit=True,
    all_on_time=True,
    exceeded_enough=True,
    shortcomings_fixed=True,
)

# The rule sets from 2018 (QĐ 132 on); HD 27 (2014–2017) has its own tests, test_rules_hd27.
SINCE_2018 = [rs for rs in RULE_SETS if rs.valid_years[0] >= 2018]
every_rule_set = pytest.mark.parametrize("rs", SINCE_2018, ids=IDS)


def member(rs: RuleSet, **facts: object) -> MemberFacts:
    """Facts that allow HTXSNV unless overridden; QĐ 366 also needs a score and conditions."""
    if rs is QD366_HD43:
        facts = {"score": 100, "conditions": ALL_MET, **facts}
    return MemberFacts(**facts)  # type: ignore[arg-type]


def collective(rs: RuleSet, **facts: object) -> CollectiveFacts:
    if rs is QD366_HD43:
        facts = {"score": 100, "conditions": ALL_MET, **facts}
    return CollectiveFacts(**facts)  # type: ignore[arg-type]


def codes(violations: list[Violation], severity: Severity = Severity.ERROR) -> set[str]:
    return {v.code for v in violations if v.severity is severity}


def allowed_levels(rs: RuleSet, facts: MemberFacts) -> set[Level]:
    return {level for level in Level if not codes(rs.check_member_level(level, facts))}


def allowed_collective(rs: RuleSet, facts: CollectiveFacts) -> set[Level]:
    return {level for level in Level if not codes(rs.check_collective_level(level, facts))}


def at_most(level: Level) -> set[Level]:
    return {x for x in Level if x <= level}


# --- vocabulary ---------------------------------------------------------------------------


def test_levels_compare_by_merit_and_list_best_first() -> None:
    assert list(Level) == [E, G, C, N]
    assert N < C < G < E
    assert sorted([G, N, E, C]) == [N, C, G, E]
    assert C <= C and C >= C and not C < C and not C > C
    assert [x for x in Level if x <= C] == [C, N]
    assert max(Level) is E and min(Level) is N


def test_level_codes_labels_and_choices() -> None:
    assert [x.code for x in Level] == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    assert E.label == "Hoàn thành xuất sắc nhiệm vụ"
    assert N.label == "Không hoàn thành nhiệm vụ"
    assert Level.choices()[1] == ("good", "Hoàn thành tốt nhiệm vụ")
    assert Level.good_or_above() == {E, G}
    assert Level.from_code(" htnv ") is C
    with pytest.raises(ValueError, match="TSVM"):
        Level.from_code("TSVM")


def test_level_does_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        assert E < 3


def test_reasons_and_subjects_have_vietnamese_labels() -> None:
    assert NotRatedReason.EXEMPT.label == "Miễn công tác và sinh hoạt đảng"
    assert NotRatedReason.SUSPENDED.label == "Đình chỉ sinh hoạt đảng"
    assert "6 tháng" in NotRatedReason.ADMITTED_RECENTLY.label
    assert "6 tháng" in NotRatedReason.FOUNDED_RECENTLY.label
    assert [k.label for k in SubjectKind] == ["Đảng viên", "Tổ chức đảng", "Cơ quan, đơn vị"]
    assert not SubjectKind.MEMBER.is_collective and SubjectKind.AGENCY.is_collective
    assert ("exempt", "Miễn công tác và sinh hoạt đảng") in NotRatedReason.choices()
    assert ("agency", "Cơ quan, đơn vị") in SubjectKind.choices()


def test_collective_facts_are_validated() -> None:
    with pytest.raises(ValueError):
        CollectiveFacts(kind=SubjectKind.MEMBER)
    with pytest.raises(ValueError):
        CollectiveFacts(subunits=3, disciplined_subunits=4)


# --- rules_for ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2018, QD132_HD16),
        (2019, QD132_HD21),
        (2020, QD132_HD21),
        (2022, QD132_HD21),
        (2023, QD124_HD25),
        (2024, QD124_HD25),
        (2025, QD366_HD43),
        (2026, QD366_HD43),
        (2040, QD366_HD43),
    ],
)
def test_rules_for_picks_the_rule_set_of_the_year(year: int, expected: RuleSet) -> None:
    assert rules_for(year) is expected
    assert expected.applies_to(year)


@pytest.mark.parametrize("year", [2013, 2000, 1990])
def test_rules_for_refuses_years_before_2014(year: int) -> None:
    with pytest.raises(LookupError, match=f"năm {year}.*từ năm 2014"):
        rules_for(year)


def test_exactly_one_rule_set_applies_each_year() -> None:
    for year in range(2014, 2041):
        assert [rs for rs in RULE_SETS if rs.applies_to(year)] == [rules_for(year)]
    assert not any(rs.applies_to(2013) for rs in RULE_SETS)


def test_rule_sets_cite_their_documents() -> None:
    assert "16-HD/BTCTW" in str(rules_for(2018).citation)
    assert "132-QĐ/TW" in str(rules_for(2018).citation)
    assert "21-HD/BTCTW" in str(rules_for(2020).citation)
    assert "124-QĐ/TW" in str(rules_for(2023).citation)
    assert "25-HD/BTCTW" in str(rules_for(2024).citation)
    assert "366-QĐ/TW" in str(rules_for(2025).citation)
    assert "43-HD/BTCTW" in str(rules_for(2025).citation)
    assert str(QD132_HD21) == "QĐ 132-QĐ/TW và HD 21-HD/BTCTW"


@every_rule_set
def test_parameters_are_data(rs: RuleSet) -> None:
    assert rs.quota_share == Fraction(1, 5)
    assert rs.quota_base == {G}
    assert rs.min_months_since_admission == 6
    assert rs.min_months_since_founding == 6
    assert rs.sick_leave_months_cap == 3


def test_group_of_the_quota_depends_on_the_rule_set() -> None:
    assert QD132_HD21.quota_group == "tổ chức cơ sở đảng"
    assert QD124_HD25.quota_group == QD366_HD43.quota_group
    assert "tương đồng" in QD124_HD25.quota_group


# --- who is not rated ---------------------------------------------------------------------

REVIEW = date(2020, 12, 15)
SIX_MONTHS_BEFORE = REVIEW - relativedelta(months=6)  # 15/6/2020
DAY = timedelta(days=1)


@every_rule_set
@pytest.mark.parametrize(
    ("admitted_on", "expected"),
    [
        (SIX_MONTHS_BEFORE - DAY, None),
        (SIX_MONTHS_BEFORE, None),
        (SIX_MONTHS_BEFORE + DAY, NotRatedReason.ADMITTED_RECENTLY),
        (REVIEW, NotRatedReason.ADMITTED_RECENTLY),
    ],
)
def test_member_admitted_less_than_six_months_before_is_not_rated(
    rs: RuleSet, admitted_on: date, expected: NotRatedReason | None
) -> None:
    assert rs.not_rated_reason(review_date=REVIEW, admitted_on=admitted_on) is expected


@every_rule_set
@pytest.mark.parametrize(
    ("founded_on", "expected"),
    [
        (SIX_MONTHS_BEFORE - DAY, None),
        (SIX_MONTHS_BEFORE, None),
        (SIX_MONTHS_BEFORE + DAY, NotRatedReason.FOUNDED_RECENTLY),
    ],
)
def test_organization_founded_less_than_six_months_before_is_not_rated(
    rs: RuleSet, founded_on: date, expected: NotRatedReason | None
) -> None:
    assert rs.not_rated_reason(review_date=REVIEW, founded_on=founded_on) is expected


@pytest.mark.parametrize(
    ("admitted_on", "expected"),
    [
        (date(2020, 8, 31), None),  # + 6 months = 28/2/2021, the review day
        (date(2020, 9, 1), NotRatedReason.ADMITTED_RECENTLY),
    ],
)
def test_six_months_at_the_end_of_a_month(admitted_on: date, expected: object) -> None:
    review = date(2021, 2, 28)
    assert QD132_HD21.not_rated_reason(review_date=review, admitted_on=admitted_on) is expected


@every_rule_set
def test_exempt_and_suspended_members_are_not_rated_first(rs: RuleSet) -> None:
    recent = REVIEW - DAY
    assert rs.not_rated_reason(review_date=REVIEW) is None
    assert (
        rs.not_rated_reason(review_date=REVIEW, exempted=True, suspended=True, admitted_on=recent)
        is NotRatedReason.EXEMPT
    )
    assert (
        rs.not_rated_reason(review_date=REVIEW, suspended=True, admitted_on=recent)
        is NotRatedReason.SUSPENDED
    )
    assert (
        rs.not_rated_reason(review_date=REVIEW, admitted_on=recent, founded_on=recent)
        is NotRatedReason.ADMITTED_RECENTLY
    )


@every_rule_set
def test_a_subject_not_rated_cannot_be_given_a_level(rs: RuleSet) -> None:
    assert rs.check_not_rated(None, NotRatedReason.SUSPENDED) == []
    assert rs.check_not_rated(G, None) == []
    [violation] = rs.check_not_rated(G, NotRatedReason.SUSPENDED)
    assert violation.code == "reviews.not_rated"
    assert violation.message == (
        "Trường hợp “Đình chỉ sinh hoạt đảng” không xếp loại chất lượng (đang chọn HTTNV)."
    )
    assert violation.citation == rs.not_rated_citation


def test_not_rated_citations() -> None:
    assert str(QD132_HD21.not_rated_citation).endswith("Mục II.6")
    assert QD124_HD25.not_rated_citation.article == "Điều 5.2"
    assert "chưa đối chiếu" in QD366_HD43.not_rated_citation.article


# --- sick leave ---------------------------------------------------------------------------

UNDER_THREE: list[Number] = [0, Decimal("2.9"), 2.9, Fraction(29, 10), Decimal("2.99")]
THREE_OR_MORE: list[Number] = [3, Decimal("3.0"), 3.0, Decimal("3.5"), 12]


@every_rule_set
@pytest.mark.parametrize("months", UNDER_THREE)
def test_sick_leave_under_three_months_does_not_cap(rs: RuleSet, months: Number) -> None:
    assert allowed_levels(rs, member(rs, sick_leave_months=months)) == set(Level)


@every_rule_set
@pytest.mark.parametrize("months", THREE_OR_MORE)
def test_sick_leave_of_three_months_caps_at_htnv(rs: RuleSet, months: Number) -> None:
    facts = member(rs, sick_leave_months=months)
    assert allowed_levels(rs, facts) == at_most(C)
    assert "reviews.sick_leave" in codes(rs.check_member_level(G, facts))
    assert rs.highest_member_level(facts) is C


def test_sick_leave_message() -> None:
    [violation] = QD132_HD21.check_member_level(G, MemberFacts(sick_leave_months=Decimal("3.5")))
    assert violation.message == (
        "Đảng viên nghỉ ốm 3,5 tháng trong năm (từ 3 tháng trở lên) nên chỉ được xếp loại "
        "tối đa HTNV (đang chọn HTTNV)."
    )
    assert violation.field == "level"
    assert str(violation.citation).endswith("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, Mục II.6")


# --- discipline of a member ---------------------------------------------------------------


@every_rule_set
def test_discipline_in_the_year_rules_out_htxsnv(rs: RuleSet) -> None:
    assert E in allowed_levels(rs, member(rs))
    disciplined = member(rs, disciplined_in_year=True)
    assert E not in allowed_levels(rs, disciplined)
    assert "reviews.discipline" in codes(rs.check_member_level(E, disciplined))


@every_rule_set
def test_discipline_in_the_year_is_a_khtnv_case(rs: RuleSet) -> None:
    facts = member(rs, disciplined_in_year=True)
    assert allowed_levels(rs, facts) == {N}
    [violation] = rs.check_member_level(C, facts)
    assert violation.message.startswith("Đảng viên bị thi hành kỷ luật trong năm nên phải xếp")


@pytest.mark.parametrize("rs", QD132, ids=IDS[:2])
def test_qd132_has_no_self_remedy_exception(rs: RuleSet) -> None:
    facts = member(rs, disciplined_in_year=True, discipline_self_remedied=True)
    assert allowed_levels(rs, facts) == {N}


@pytest.mark.parametrize("rs", SINCE_124, ids=IDS[2:])
def test_self_remedied_violation_still_rules_out_htxsnv(rs: RuleSet) -> None:
    facts = member(rs, disciplined_in_year=True, discipline_self_remedied=True)
    assert allowed_levels(rs, facts) == at_most(G)
    # Self-remedy alone (no discipline in the year) changes nothing.
    assert allowed_levels(rs, member(rs, discipline_self_remedied=True)) == set(Level)


# --- civil servants under QĐ 132 ----------------------------------------------------------


@pytest.mark.parametrize("rs", QD132, ids=IDS[:2])
def test_civil_servant_needs_htxsnv_in_the_state_assessment(rs: RuleSet) -> None:
    assert allowed_levels(rs, MemberFacts(civil_servant=True, state_rating=E)) == set(Level)
    assert rs.check_member_level(E, MemberFacts(civil_servant=True, state_rating=E)) == []
    assert allowed_levels(rs, MemberFacts(civil_servant=True, state_rating=G)) == at_most(G)
    assert allowed_levels(rs, MemberFacts(civil_servant=True, state_rating=C)) == at_most(G)
    assert allowed_levels(rs, MemberFacts(civil_servant=True, state_rating=N)) == {N}
    [violation] = rs.check_member_level(E, MemberFacts(civil_servant=True, state_rating=G))
    assert violation.code == "reviews.state_rating"
    assert violation.message == (
        "Đảng viên là cán bộ, công chức, viên chức được cơ quan, đơn vị xếp loại HTTNV nên "
        "không được xếp loại HTXSNV (đang chọn HTXSNV)."
    )


@pytest.mark.parametrize("rs", QD132, ids=IDS[:2])
def test_unknown_state_rating_of_a_civil_servant_warns(rs: RuleSet) -> None:
    facts = MemberFacts(civil_servant=True)
    [warning] = enforce(rs.check_member_level(E, facts))
    assert warning.code == "reviews.state_rating_unknown"
    assert warning.severity is Severity.WARNING
    assert "chưa đủ căn cứ để xếp loại HTXSNV" in warning.message
    assert rs.check_member_level(G, facts) == []
    assert rs.highest_member_level(facts) is E  # a warning does not lower the suggestion
    assert rs.check_member_level(E, MemberFacts()) == []  # not a civil servant


@pytest.mark.parametrize("rs", SINCE_124, ids=IDS[2:])
def test_state_rating_is_not_a_party_rule_since_124(rs: RuleSet) -> None:
    facts = member(rs, civil_servant=True, state_rating=C)
    assert rs.check_member_level(E, facts) == []


# --- collectives under QĐ 132 -------------------------------------------------------------

KHTNV_FLAGS_132 = {
    "disunity": "reviews.disunity",
    "collective_disciplined": "reviews.collective_disciplined",
    "leadership_member_warned_or_worse": "reviews.leader_disciplined",
}


@pytest.mark.parametrize("rs", QD132, ids=IDS[:2])
@pytest.mark.parametrize("flag", sorted(KHTNV_FLAGS_132))
@pytest.mark.parametrize("kind", [SubjectKind.ORGANIZATION, SubjectKind.AGENCY])
def test_qd132_collective_khtnv_flags(rs: RuleSet, flag: str, kind: SubjectKind) -> None:
    assert allowed_collective(rs, CollectiveFacts(kind=kind)) == set(Level)
    facts = CollectiveFacts(kind=kind, **{flag: True})  # type: ignore[arg-type]
    assert allowed_collective(rs, facts) == {N}
    [violation] = rs.check_collective_level(C, facts)
    assert violation.code == KHTNV_FLAGS_132[flag]
    assert violation.message.startswith(kind.label)
    assert violation.message.endswith("nên phải xếp loại KHTNV (đang chọn HTNV).")


@pytest.mark.parametrize("rs", QD132, ids=IDS[:2])
def test_qd132_leader_reprimanded_only_does_not_force_khtnv(rs: RuleSet) -> None:
    facts = CollectiveFacts(leadership_member_disciplined=True, subunits=4, disciplined_subunits=4)
    assert allowed_collective(rs, facts) == set(Level)


@every_rule_set
@pytest.mark.parametrize(
    ("share", "forced"),
    [
        (None, False),
        (Fraction(1, 2), False),
        (Decimal("0.5"), False),
        (0.5, False),
        (Decimal("0.49"), True),
        (Fraction(49, 100), True),
        (0, True),
    ],
)
def test_under_half_of_targets_forces_khtnv(rs: RuleSet, share: Number, forced: bool) -> None:
    facts = collective(rs, targets_met_share=share)
    if forced:
        assert allowed_collective(rs, facts) == {N}
        assert "reviews.targets" in codes(rs.check_collective_level(G, facts))
    else:
        assert allowed_collective(rs, facts) == set(Level)


def test_targets_message() -> None:
    facts = CollectiveFacts(targets_met_share=Decimal("0.49"))
    [violation] = QD132_HD21.check_collective_level(G, facts)
    assert violation.message == (
        "Tổ chức đảng chỉ hoàn thành 49% chỉ tiêu, nhiệm vụ (dưới 50%) nên phải xếp loại KHTNV "
        "(đang chọn HTTNV)."
    )


# --- collectives under QĐ 124 (and carried into 366) --------------------------------------


@pytest.mark.parametrize("rs", SINCE_124, ids=IDS[2:])
@pytest.mark.parametrize(
    ("disciplined", "subunits", "forced"),
    [
        (2, 10, False),  # exactly 20%
        (3, 10, True),
        (1, 5, False),
        (2, 5, True),
        (20, 100, False),
        (21, 100, True),
        (0, 0, False),
        (1, 1, True),
    ],
)
def test_more_than_20_percent_of_subunits_disciplined_forces_khtnv(
    rs: RuleSet, disciplined: int, subunits: int, forced: bool
) -> None:
    facts = collective(rs, subunits=subunits, disciplined_subunits=disciplined)
    found = codes(rs.check_collective_level(G, facts))
    assert ("reviews.subunits_disciplined" in found) is forced
    if forced:
        assert allowed_collective(rs, facts) == {N}
    else:
        # Any disciplined subunit still rules out HTXSNV.
        expected = at_most(G) if disciplined else set(Level)
        assert allowed_collective(rs, facts) == expected


def test_subunits_message() -> None:
    facts = CollectiveFacts(subunits=10, disciplined_subunits=3)
    found = QD124_HD25.check_collective_level(G, facts)
    assert [v.message for v in found] == [
        "Tổ chức đảng có 3/10 đơn vị trực thuộc bị kỷ luật trong năm (trên 20%) nên phải xếp "
        "loại KHTNV (đang chọn HTTNV)."
    ]


@pytest.mark.parametrize("rs", SINCE_124, ids=IDS[2:])
@pytest.mark.parametrize(
    "flag", ["disunity", "collective_disciplined", "subunit_corruption_disciplined"]
)
def test_qd124_collective_khtnv_flags(rs: RuleSet, flag: str) -> None:
    facts = collective(rs, **{flag: True})
    assert allowed_collective(rs, facts) == {N}


@pytest.mark.parametrize("rs", SINCE_124, ids=IDS[2:])
@pytest.mark.parametrize(
    "flag", ["leadership_member_disciplined", "leadership_member_warned_or_worse"]
)
def test_collective_htxsnv_needs_no_leader_disciplined(rs: RuleSet, flag: str) -> None:
    assert allowed_collective(rs, collective(rs)) == set(Level)
    facts = collective(rs, **{flag: True})
    assert allowed_collective(rs, facts) == at_most(G)
    assert "reviews.excellent_discipline" in codes(rs.check_collective_level(E, facts))


# --- quota --------------------------------------------------------------------------------


@every_rule_set
@pytest.mark.parametrize("good", range(31))
def test_quota_at_the_limit_and_one_over(rs: RuleSet, good: int) -> None:
    limit = good // 5
    assert rs.quota_max(good) == limit
    assert rs.check_quota(limit, good) == []
    [violation] = rs.check_quota(limit + 1, good)
    assert violation.code == "reviews.quota"
    assert f"({limit + 1})" in violation.message
    assert f"({good} → tối đa {limit})" in violation.message
    assert violation.citation == rs.quota_citation


def test_quota_message_names_the_counts_and_the_group() -> None:
    [violation] = QD132_HD21.check_quota(25, 120)
    assert violation.message == (
        "Số HTXSNV (25) vượt 20% số HTTNV (120 → tối đa 24) trong tổ chức cơ sở đảng."
    )
    assert QD132_HD21.check_quota(24, 120) == []
    [violation] = QD124_HD25.check_quota(3, 10)
    assert violation.message == (
        "Số HTXSNV (3) vượt 20% số HTTNV (10 → tối đa 2) trong nhóm đối tượng có vai trò, chức "
        "năng, nhiệm vụ tương đồng."
    )
    [violation] = QD132_HD21.check_quota(1, 4, group_name="Đảng bộ Sở Y tế")
    assert violation.message == (
        "Số HTXSNV (1) vượt 20% số HTTNV (4 → tối đa 0) trong Đảng bộ Sở Y tế."
    )


def test_quota_base_is_a_parameter() -> None:
    good_and_above = dataclasses.replace(QD132_HD21, quota_base=frozenset({E, G}))
    assert good_and_above.check_quota(2, 8) == []  # base 10 → at most 2
    [violation] = good_and_above.check_quota(3, 8)
    assert "20% số từ HTTNV trở lên (11 → tối đa 2)" in violation.message
    quarter = dataclasses.replace(QD124_HD25, quota_share=Fraction(1, 4))
    assert quarter.quota_max(10) == 2
    assert "vượt 25% số HTTNV" in quarter.check_quota(3, 10)[0].message


def test_quota_parameters_are_checked() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(QD132_HD21, quota_base=frozenset({C}))
    with pytest.raises(ValueError):
        dataclasses.replace(QD132_HD21, quota_base=frozenset())
    with pytest.raises(ValueError):
        dataclasses.replace(QD132_HD21, quota_share=Fraction(0))
    with pytest.raises(ValueError):
        QD132_HD21.check_quota(-1, 5)
    with pytest.raises(ValueError):
        QD132_HD21.quota_max(-1)


@given(
    st.sampled_from(SINCE_2018),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
)
def test_quota_allows_at_most_a_fifth_of_htt(rs: RuleSet, excellent: int, good: int) -> None:
    assert rs.quota_max(good) == good // 5
    assert (rs.check_quota(excellent, good) == []) == (5 * excellent <= good)


# --- QĐ 366 scores and conditions ---------------------------------------------------------

BANDS: list[tuple[Number, Level]] = [
    (0, N),
    (Decimal("49.9"), N),
    (49.9, N),
    (50, C),
    (Decimal("69.9"), C),
    (70, G),
    (Decimal("89.9"), G),
    (89.9, G),
    (90, E),
    (Decimal("90.0"), E),
    (100, E),
]


@pytest.mark.parametrize(("score", "band"), BANDS)
def test_score_bands(score: Number, band: Level) -> None:
    assert QD366_HD43.band_level(score) is band


@pytest.mark.parametrize(("score", "band"), BANDS)
def test_level_must_match_the_band_when_conditions_hold(score: Number, band: Level) -> None:
    facts = MemberFacts(score=score, conditions=ALL_MET)
    assert allowed_levels(QD366_HD43, facts) == at_most(band)
    assert QD366_HD43.check_member_level(band, facts) == []
    assert QD366_HD43.highest_member_level(facts) is band
    for above in (x for x in Level if x > band):
        assert codes(QD366_HD43.check_member_level(above, facts)) == {"reviews.score_band"}
    for below in (x for x in Level if x < band):
        found = QD366_HD43.check_member_level(below, facts)
        assert codes(found, Severity.WARNING) == {"reviews.level_below_expected"}


def test_score_band_messages() -> None:
    facts = MemberFacts(score=Decimal("89.9"), conditions=ALL_MET)
    [violation] = QD366_HD43.check_member_level(E, facts)
    assert violation.message == (
        "Đảng viên đạt 89,9 điểm (dưới 90 điểm) nên không được xếp loại HTXSNV (đang chọn HTXSNV)."
    )
    assert str(violation.citation) == "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11"
    [warning] = QD366_HD43.check_member_level(C, facts)
    assert warning.message == (
        "Đảng viên đạt 89,9 điểm và đủ điều kiện xếp loại HTTNV nhưng được xếp loại HTNV; "
        "cần ghi rõ lý do."
    )
    facts = MemberFacts(score=Decimal("49.9"), conditions=ALL_MET)
    assert QD366_HD43.check_member_level(C, facts)[0].message == (
        "Đảng viên đạt 49,9 điểm (dưới 50 điểm) nên phải xếp loại KHTNV (đang chọn HTNV)."
    )


def _without(**changes: bool) -> TaskConditions:
    return dataclasses.replace(ALL_MET, **changes)


@pytest.mark.parametrize(
    ("conditions", "cap"),
    [
        (ALL_MET, E),
        (_without(exceeded_enough=False), G),
        (_without(shortcomings_fixed=False), G),
        (_without(all_on_time=False), C),
        (_without(all_on_time=False, exceeded_enough=False), C),
        (_without(late_within_limit=False), N),
        (_without(all_done=False), N),
        (_without(leads_unit=True, unit_all_on_time=True, unit_exceeded_enough=True), E),
        (_without(leads_unit=True, unit_all_on_time=True), G),
        (_without(leads_unit=True), C),
        (_without(unit_all_on_time=False), E),  # not a leader: the unit flags do not apply
    ],
)
@pytest.mark.parametrize("score", [100, 90, Decimal("89.9"), 70, Decimal("69.9"), 50])
def test_level_is_capped_at_the_highest_whose_conditions_hold(
    conditions: TaskConditions, cap: Level, score: Number
) -> None:
    facts = MemberFacts(score=score, conditions=conditions)
    expected = min(cap, QD366_HD43.band_level(score))
    assert QD366_HD43.highest_member_level(facts) is expected
    assert allowed_levels(QD366_HD43, facts) == at_most(expected)
    assert QD366_HD43.check_member_level(expected, facts) == []


def test_conditions_messages() -> None:
    facts = MemberFacts(score=95, conditions=_without(all_on_time=False))
    [violation] = QD366_HD43.check_member_level(G, facts)
    assert violation.code == "reviews.task_conditions"
    assert violation.message == (
        "Đảng viên chưa hoàn thành 100% nhiệm vụ đúng tiến độ nên chỉ được xếp loại tối đa "
        "HTNV (đang chọn HTTNV)."
    )
    facts = MemberFacts(score=95, conditions=_without(exceeded_enough=False))
    assert "có dưới 30% số nhiệm vụ vượt yêu cầu" in (
        QD366_HD43.check_member_level(E, facts)[0].message
    )
    facts = MemberFacts(score=95, conditions=_without(late_within_limit=False))
    assert "có trên 20% số nhiệm vụ chậm tiến độ" in (
        QD366_HD43.check_member_level(C, facts)[0].message
    )


@pytest.mark.parametrize(("score", "band"), BANDS)
def test_collective_scores_follow_the_same_bands(score: Number, band: Level) -> None:
    facts = CollectiveFacts(kind=SubjectKind.AGENCY, score=score, conditions=ALL_MET)
    assert allowed_collective(QD366_HD43, facts) == at_most(band)
    assert QD366_HD43.highest_collective_level(facts) is band


def test_collective_ignores_the_leader_flags_and_needs_no_disciplined_subunit() -> None:
    facts = CollectiveFacts(score=95, conditions=_without(leads_unit=True))
    assert QD366_HD43.highest_collective_level(facts) is E
    facts = CollectiveFacts(score=95, conditions=ALL_MET, subunits=10, disciplined_subunits=1)
    assert QD366_HD43.highest_collective_level(facts) is G
    assert QD366_HD43.excellent_citation.article == "Điều 11"


def test_qd366_needs_a_score_and_the_conditions() -> None:
    found = QD366_HD43.check_member_level(G, MemberFacts())
    assert codes(found) == {"reviews.score_required", "reviews.conditions_required"}
    assert found[0].message == (
        "Theo QĐ 366-QĐ/TW và HD 43-HD/BTCTW, đảng viên phải được chấm điểm (thang 100 điểm) "
        "trước khi xếp loại."
    )
    found = QD366_HD43.check_collective_level(G, CollectiveFacts(score=80))
    assert codes(found) == {"reviews.conditions_required"}
    assert "của tổ chức đảng" in found[0].message


@pytest.mark.parametrize(("score", "valid"), [(-1, False), (0, True), (100, True), (101, False)])
def test_score_range(score: int, valid: bool) -> None:
    found = QD366_HD43.check_member_level(N, MemberFacts(score=score, conditions=ALL_MET))
    assert ("reviews.score_range" in codes(found)) is not valid
    if not valid:
        assert codes(found) == {"reviews.score_range"}
        assert found[0].message == f"Điểm đánh giá phải từ 0 đến 100 (đang nhập {score})."


@pytest.mark.parametrize("rs", [QD132_HD16, QD132_HD21, QD124_HD25], ids=IDS[:3])
def test_scores_do_not_rate_before_366(rs: RuleSet) -> None:
    facts = MemberFacts(score=10, conditions=_without(all_done=False))
    assert allowed_levels(rs, facts) == set(Level)


def test_below_expected_also_counts_the_other_caps() -> None:
    # 95 points with every condition, but 3 months' sick leave: HTNV is what is allowed.
    facts = MemberFacts(score=95, conditions=ALL_MET, sick_leave_months=3)
    assert QD366_HD43.check_member_level(C, facts) == []
    assert QD366_HD43.highest_member_level(facts) is C


# --- TSVM tiêu biểu -----------------------------------------------------------------------


@every_rule_set
def test_only_htxsnv_organizations_may_be_tsvm_exemplary(rs: RuleSet) -> None:
    assert rs.tsvm_exemplary_allowed(E)
    assert rs.check_tsvm_exemplary(E) == []
    for level in (G, C, N, None):
        assert not rs.tsvm_exemplary_allowed(level)
        [violation] = rs.check_tsvm_exemplary(level)
        assert violation.code == "reviews.tsvm_exemplary"
        assert violation.citation == rs.tsvm_citation
    assert rs.check_tsvm_exemplary(G)[0].message == (
        "Chỉ tổ chức đảng xếp loại HTXSNV mới được xét “Trong sạch, vững mạnh tiêu biểu” "
        "(tổ chức này: HTTNV)."
    )
    assert "chưa xếp loại" in rs.check_tsvm_exemplary(None)[0].message


# --- streaks ------------------------------------------------------------------------------


def test_streak_counts_consecutive_years_ending_at_the_year() -> None:
    titled = {2015, 2016, 2017, 2018, 2019}
    assert streak(titled, 2019) == 5
    assert streak_span(titled, 2019) == (2015, 2019)
    assert streak(titled, 2017) == 3
    assert streak(titled, 2020) == 0
    assert streak_span(titled, 2020) is None
    assert streak(set(), 2020) == 0


def test_a_gap_ends_the_streak() -> None:
    titled = {2014, 2015, 2017, 2018, 2019, 2020}
    assert streak(titled, 2020) == 4
    assert streak_span(titled, 2020) == (2017, 2020)
    assert streak(titled, 2015) == 2
    assert streak(titled, 2016) == 0


@pytest.mark.parametrize(
    ("policy", "count", "span"),
    [("break", 3, (2018, 2020)), ("skip", 5, (2015, 2020))],
)
def test_unrated_years_break_or_are_skipped(
    policy: StreakPolicy, count: int, span: tuple[int, int]
) -> None:
    titled = {2015, 2016, 2018, 2019, 2020}
    unrated = {2017}
    assert streak(titled, 2020, unrated_years=unrated, policy=policy) == count
    assert streak_span(titled, 2020, unrated_years=unrated, policy=policy) == span


def test_skipping_never_bridges_a_rated_year_without_the_title() -> None:
    titled = {2015, 2016, 2018, 2019}
    unrated = {2017, 2020}
    assert streak(titled, 2019, unrated_years=unrated, policy="skip") == 4
    assert streak(titled, 2020, unrated_years=unrated, policy="skip") == 4
    assert streak_span(titled, 2020, unrated_years=unrated, policy="skip") == (2015, 2019)
    assert streak(titled, 2020, unrated_years=unrated, policy="break") == 0
    assert streak(titled | {2014}, 2016, unrated_years={2013}, policy="skip") == 3
    assert streak({2019}, 2019, unrated_years={2019}) == 1  # a titled year counts


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError):
        streak({2020}, 2020, policy="ignore")  # type: ignore[arg-type]


years = st.sets(st.integers(min_value=2000, max_value=2030), max_size=31)


@given(years, years, st.integers(min_value=1995, max_value=2035))
def test_streak_never_exceeds_the_years_with_the_title(
    titled: set[int], unrated: set[int], year: int
) -> None:
    broken = streak(titled, year, unrated_years=unrated, policy="break")
    skipped = streak(titled, year, unrated_years=unrated, policy="skip")
    assert 0 <= broken <= skipped <= len({y for y in titled if y <= year})
    assert broken <= max(0, year - 1999)  # titles start in 2000
    span = streak_span(titled, year, unrated_years=unrated, policy="break")
    if broken:
        assert span == (year - broken + 1, year)
    else:
        assert span is None
    span = streak_span(titled, year, unrated_years=unrated, policy="skip")
    if skipped:
        assert span is not None
        first, last = span
        assert first in titled and last in titled and last <= year
        assert skipped == len({y for y in titled if first <= y <= last})
        assert all(y in titled or y in unrated for y in range(first, year + 1))


# --- with enforce -------------------------------------------------------------------------


def test_errors_refuse_the_write_and_warnings_pass() -> None:
    with pytest.raises(RuleViolation) as caught:
        enforce(QD132_HD21.check_quota(3, 10))
    assert "Số HTXSNV (3)" in str(caught.value)
    assert enforce(QD132_HD21.check_member_level(G, MemberFacts(civil_servant=True))) == []
