"""QĐ 124-QĐ/TW (4/10/2023) with HD 25-HD/BTCTW (10/11/2023), for the years 2023–2024.

What changed from QĐ 132: the HTXSNV quota is counted within each group of subjects with
similar roles, functions and tasks (Điều 12); a collective is HTXSNV only when no subordinate
organization and no member of its leadership was disciplined (Điều 12); a collective is KHTNV
when under half of its targets were met, its leadership was disciplined, more than 20% of its
subordinate units were disciplined, it is in disunity, or a subordinate unit was disciplined for
corruption; a member disciplined in the year is KHTNV unless the violation was self-detected
and remedied (then still not HTXSNV).

Rules that rules.md documents only for HD 21 (the sick-leave cap, the 6 months for a new
organization, the gate to "TSVM tiêu biểu") are carried over unchanged and cited to HD 21 with
that said; the Vietnamese citation marks them "chưa đối chiếu" until checked against the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from dangvu.core.rules import Citation
from dangvu.reviews.rules.levels import CollectiveFacts, Level, MemberFacts
from dangvu.reviews.rules.qd132 import HD_21, Cap, RuleSet, format_share, targets_cap

QD_124 = "Quy định 124-QĐ/TW ngày 4/10/2023"
HD_25 = "Hướng dẫn 25-HD/BTCTW ngày 10/11/2023"
SIMILAR_GROUP = "nhóm đối tượng có vai trò, chức năng, nhiệm vụ tương đồng"


def carried(document: str, article: str, into: str) -> Citation:
    """A rule of an earlier document applied under a later one whose text was not checked."""
    return Citation(document, f"{article} (áp dụng tiếp cho {into}, chưa đối chiếu)")


@dataclass(frozen=True, kw_only=True)
class Qd124RuleSet(RuleSet):
    collective_citation: Citation  # the KHTNV cases
    excellent_citation: Citation  # the conditions for a collective's HTXSNV
    min_targets_share: Fraction = Fraction(1, 2)
    max_disciplined_subunits_share: Fraction = Fraction(1, 5)

    def _member_caps(self, facts: MemberFacts) -> list[Cap]:
        return []

    def _collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        caps = targets_cap(facts, self.min_targets_share, self.collective_citation)
        if (
            facts.subunits
            and Fraction(facts.disciplined_subunits, facts.subunits)
            > self.max_disciplined_subunits_share
        ):
            caps.append(
                Cap(
                    Level.NOT_COMPLETED,
                    "reviews.subunits_disciplined",
                    f"có {facts.disciplined_subunits}/{facts.subunits} đơn vị trực thuộc bị kỷ "
                    f"luật trong năm (trên {format_share(self.max_disciplined_subunits_share)})",
                    self.collective_citation,
                )
            )
        flags = [
            (facts.disunity, "reviews.disunity", "bị kết luận mất đoàn kết nội bộ"),
            (
                facts.collective_disciplined,
                "reviews.collective_disciplined",
                "có tập thể lãnh đạo, quản lý bị kỷ luật trong năm",
            ),
            (
                facts.subunit_corruption_disciplined,
                "reviews.subunit_corruption",
                "có đơn vị trực thuộc bị kỷ luật vì tham nhũng, lãng phí, tiêu cực",
            ),
        ]
        caps += [
            Cap(Level.NOT_COMPLETED, code, reason, self.collective_citation)
            for flag, code, reason in flags
            if flag
        ]
        if (
            facts.disciplined_subunits
            or facts.leadership_member_disciplined
            or facts.leadership_member_warned_or_worse
        ):
            caps.append(
                Cap(
                    Level.GOOD,
                    "reviews.excellent_discipline",
                    "có đơn vị trực thuộc hoặc thành viên tập thể lãnh đạo, quản lý bị kỷ luật "
                    "trong năm",
                    self.excellent_citation,
                )
            )
        return caps


_DOCUMENTS = f"{QD_124}; {HD_25}"
_KHTNV = Citation(QD_124, "các trường hợp xếp loại “Không hoàn thành nhiệm vụ”")

QD124_HD25 = Qd124RuleSet(
    name="QĐ 124-QĐ/TW và HD 25-HD/BTCTW",
    citation=Citation(_DOCUMENTS),
    valid_years=(2023, 2024),
    quota_group=SIMILAR_GROUP,
    quota_citation=Citation(QD_124, "Điều 12"),
    not_rated_citation=Citation(QD_124, "Điều 5.2"),
    sick_leave_citation=carried(HD_21, "Mục II.6", "QĐ 124-QĐ/TW"),
    discipline_citation=_KHTNV,
    tsvm_citation=carried(HD_21, "khen thưởng tổ chức đảng, đảng viên", "QĐ 124-QĐ/TW"),
    member_discipline_cap=Level.NOT_COMPLETED,
    self_remedied_discipline_cap=Level.GOOD,
    collective_citation=_KHTNV,
    excellent_citation=Citation(QD_124, "Điều 12"),
)
