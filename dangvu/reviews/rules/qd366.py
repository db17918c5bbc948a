"""QĐ 366-QĐ/TW (30/8/2025) with HD 43-HD/BTCTW (31/10/2025), from 2025.

Collectives and individuals are scored on 100 points (Điều 11): HTXSNV from 90, HTTNV from 70,
HTNV from 50, KHTNV below 50, each level also requiring its task conditions:

- HTNV: 100% of tasks done, with at most 20% behind schedule (rules.md gives this for
  collectives; it is applied to individuals too, UNCONFIRMED);
- HTTNV: 100% of tasks on time (for a leader, also the unit he or she directly leads);
- HTXSNV: at least 30% of tasks exceeding requirements and 100% of the shortcomings pointed
  out earlier fixed (for a leader, the unit led too; for a collective, no subordinate unit and
  no member of the leadership disciplined).

The level is capped at the highest level whose band and conditions (and those of every level
below it) hold; a level lower than that is allowed with a warning, because the disqualifying
(KHTNV) cases of QĐ 366 are not all known.

UNCONFIRMED in rules.md (§2.2c, §12): the HTXSNV quota, the KHTNV cases and who is not rated.
Until the texts are checked the rules of QĐ 124 carry over as parameters (the quota of 20% of
HTTNV within each group of similar subjects, the collective KHTNV cases, discipline of a member
in the year making KHTNV unless self-detected and remedied, the not-rated cases), as do the
sick-leave cap and the gate to "TSVM tiêu biểu" of HD 21; their citations say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from dangvu.core.rules import Citation, Severity, Violation
from dangvu.reviews.rules.levels import (
    CollectiveFacts,
    Level,
    MemberFacts,
    Number,
    SubjectKind,
    TaskConditions,
)
from dangvu.reviews.rules.qd124 import QD_124, SIMILAR_GROUP, Qd124RuleSet, carried
from dangvu.reviews.rules.qd132 import (
    HD_21,
    Cap,
    exact,
    format_amount,
    format_share,
    highest_allowed,
)

QD_366 = "Quy định 366-QĐ/TW ngày 30/8/2025"
HD_43 = "Hướng dẫn 43-HD/BTCTW ngày 31/10/2025"
_INTO = "QĐ 366-QĐ/TW"


@dataclass(frozen=True, kw_only=True)
class Qd366RuleSet(Qd124RuleSet):
    """QĐ 124's rules plus the 100-point score and the task conditions of Điều 11."""

    score_citation: Citation
    # The lowest score of each level's band; below the last one, KHTNV.
    score_bands: tuple[tuple[int, Level], ...] = (
        (90, Level.EXCELLENT),
        (70, Level.GOOD),
        (50, Level.COMPLETED),
    )
    max_score: int = 100
    min_exceeded_share: Fraction = Fraction(3, 10)
    max_late_share: Fraction = Fraction(1, 5)

    def band_level(self, score: Number) -> Level:
        """The level of the band ``score`` falls in, before the conditions."""
        value = exact(score)
        for threshold, level in sorted(self.score_bands, reverse=True):
            if value >= threshold:
                return level
        return Level.NOT_COMPLETED

    def _band_cap(self, score: Number) -> list[Cap]:
        band = self.band_level(score)
        if band is Level.EXCELLENT:
            return []
        above = min(threshold for threshold, level in self.score_bands if level > band)
        return [
            Cap(
                band,
                "reviews.score_band",
                f"đạt {format_amount(score)} điểm (dưới {above} điểm)",
                self.score_citation,
            )
        ]

    def _condition_caps(self, kind: SubjectKind, conditions: TaskConditions) -> list[Cap]:
        """The conditions of each level; a collective's "no subordinate unit and no leadership
        member disciplined" is QĐ 124's cap, inherited."""
        leader = kind is SubjectKind.MEMBER and conditions.leads_unit
        late = format_share(self.max_late_share)
        exceeded = format_share(self.min_exceeded_share)
        failed = [
            (conditions.all_done, Level.NOT_COMPLETED, "chưa hoàn thành 100% nhiệm vụ được giao"),
            (
                conditions.late_within_limit,
                Level.NOT_COMPLETED,
                f"có trên {late} số nhiệm vụ chậm tiến độ",
            ),
            (conditions.all_on_time, Level.COMPLETED, "chưa hoàn thành 100% nhiệm vụ đúng tiến độ"),
            (
                not leader or conditions.unit_all_on_time,
                Level.COMPLETED,
                "có đơn vị trực tiếp lãnh đạo, quản lý chưa hoàn thành 100% nhiệm vụ đúng tiến độ",
            ),
            (
                conditions.exceeded_enough,
                Level.GOOD,
                f"có dưới {exceeded} số nhiệm vụ vượt yêu cầu",
            ),
            (
                not leader or conditions.unit_exceeded_enough,
                Level.GOOD,
                f"có đơn vị trực tiếp lãnh đạo, quản lý với dưới {exceeded} số nhiệm vụ vượt "
                "yêu cầu",
            ),
            (
                conditions.shortcomings_fixed,
                Level.GOOD,
                "chưa khắc phục hết hạn chế, khuyết điểm đã được chỉ ra",
            ),
        ]
        return [
            Cap(level, "reviews.task_conditions", reason, self.score_citation)
            for holds, level, reason in failed
            if not holds
        ]

    def _member_caps(self, facts: MemberFacts) -> list[Cap]:
        caps: list[Cap] = []
        if facts.score is not None and self._score_in_range(facts.score):
            caps += self._band_cap(facts.score)
        if facts.conditions is not None:
            caps += self._condition_caps(SubjectKind.MEMBER, facts.conditions)
        return caps

    def _collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        caps = super()._collective_caps(facts)
        if facts.score is not None and self._score_in_range(facts.score):
            caps += self._band_cap(facts.score)
        if facts.conditions is not None:
            caps += self._condition_caps(facts.kind, facts.conditions)
        return caps

    def _score_in_range(self, score: Number) -> bool:
        return 0 <= exact(score) <= self.max_score

    def _scored(
        self,
        kind: SubjectKind,
        level: Level,
        score: Number | None,
        conditions: TaskConditions | None,
        caps: list[Cap],
        violations: list[Violation],
    ) -> list[Violation]:
        """Require a score in range and the conditions; warn when the level is below the one
        that the score, the conditions and the other known caps allow."""
        subject = kind.label.lower()
        missing: list[Violation] = []
        if score is None:
            missing.append(
                Violation(
                    "reviews.score_required",
                    f"Theo {self.name}, {subject} phải được chấm điểm (thang {self.max_score} "
                    "điểm) trước khi xếp loại.",
                    self.score_citation,
                    field="score",
                )
            )
        elif not self._score_in_range(score):
            missing.append(
                Violation(
                    "reviews.score_range",
                    f"Điểm đánh giá phải từ 0 đến {self.max_score} (đang nhập "
                    f"{format_amount(score)}).",
                    self.score_citation,
                    field="score",
                )
            )
        if conditions is None:
            missing.append(
                Violation(
                    "reviews.conditions_required",
                    f"Theo {self.name}, phải xác định các điều kiện về kết quả thực hiện nhiệm vụ "
                    f"của {subject} trước khi xếp loại.",
                    self.score_citation,
                    field="conditions",
                )
            )
        if missing or score is None:
            return missing + violations
        expected = highest_allowed(caps)
        if level < expected:
            violations.append(
                Violation(
                    "reviews.level_below_expected",
                    f"{kind.label} đạt {format_amount(score)} điểm và đủ điều kiện xếp loại "
                    f"{expected.code} nhưng được xếp loại {level.code}; cần ghi rõ lý do.",
                    self.score_citation,
                    Severity.WARNING,
                    field="level",
                )
            )
        return violations

    def check_member_level(self, level: Level, facts: MemberFacts) -> list[Violation]:
        return self._scored(
            SubjectKind.MEMBER,
            level,
            facts.score,
            facts.conditions,
            self.member_caps(facts),
            super().check_member_level(level, facts),
        )

    def check_collective_level(self, level: Level, facts: CollectiveFacts) -> list[Violation]:
        return self._scored(
            facts.kind,
            level,
            facts.score,
            facts.conditions,
            self.collective_caps(facts),
            super().check_collective_level(level, facts),
        )


_DOCUMENTS = f"{QD_366}; {HD_43}"
_KHTNV = carried(QD_124, "các trường hợp xếp loại “Không hoàn thành nhiệm vụ”", _INTO)

QD366_HD43 = Qd366RuleSet(
    name="QĐ 366-QĐ/TW và HD 43-HD/BTCTW",
    citation=Citation(_DOCUMENTS),
    valid_years=(2025, None),
    quota_group=SIMILAR_GROUP,
    quota_citation=carried(QD_124, "Điều 12", _INTO),
    not_rated_citation=carried(QD_124, "Điều 5.2", _INTO),
    sick_leave_citation=carried(HD_21, "Mục II.6", _INTO),
    discipline_citation=_KHTNV,
    tsvm_citation=carried(HD_21, "khen thưởng tổ chức đảng, đảng viên", _INTO),
    member_discipline_cap=Level.NOT_COMPLETED,
    self_remedied_discipline_cap=Level.GOOD,
    collective_citation=_KHTNV,
    excellent_citation=Citation(QD_366, "Điều 11"),
    score_citation=Citation(QD_366, "Điều 11"),
)
