"""HD 27-HD/BTCTW (25/9/2014), for the ratings of 2014–2017 (rules.md §2.1, first row).

Before QĐ 132 (2018) the top level of a party organization was "trong sạch, vững mạnh" (TSVM),
then HTTNV, HTNV and "yếu kém" (rules.md §2.1, §2.5). dangvu stores an organization's levels on
the same four ``Level`` values as later years, so that figures and streaks read one column:
TSVM is ``Level.EXCELLENT`` and "yếu kém" is ``Level.NOT_COMPLETED``; ``level_label`` gives the
names of the time. Members are rated HTXSNV / HTTNV / HTNV / KHTNV: that HD 27 used these four
levels for members is UNCONFIRMED in rules.md, and the citations say so.

What the later rule sets add does not apply here, by choice until the text is checked:

- no quota: ``check_quota`` never reports (``quota_share`` is 1, so ``quota_max`` is the base
  count); rules.md records no HTXSNV quota before QĐ 132;
- no caps: neither the sick-leave cap (≥ 3 months ⇒ at most HTNV) nor the discipline cap of
  HD 16/HD 21 is applied to members, and no collective case forces a level. HD 27's own rule
  for a weak organization (a cell with more than 1/2 of its members KHTNV, a đảng bộ with more
  than 1/3 of its subordinate organizations weak; rules.md §2.2a) reads counts the facts do not
  carry, and is not checked here;
- who is not rated follows the later rules (exempt, suspended, under 6 months), cited as not
  checked against HD 27.

"TSVM tiêu biểu" under HD 27 is gated on the TSVM level (``Level.EXCELLENT``); that a year
rated TSVM and recognized "tiêu biểu" counts towards a streak spanning 2018 (e.g. 2015–2019) is
an inference of rules.md §2.5, and the citation says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from dangvu.core.rules import Citation, Violation
from dangvu.reviews.rules.levels import CollectiveFacts, Level, MemberFacts, SubjectKind
from dangvu.reviews.rules.qd132 import Cap, RuleSet

HD_27 = "Hướng dẫn 27-HD/BTCTW ngày 25/9/2014"
UNCHECKED = "chưa đối chiếu văn bản"


@dataclass(frozen=True, kw_only=True)
class Hd27RuleSet(RuleSet):
    """The review of 2014–2017: TSVM as an organization's top level, no quota, no caps."""

    member_levels_citation: Citation
    organization_top_label: str = "Trong sạch, vững mạnh"
    organization_bottom_label: str = "Yếu kém"

    def level_label(self, level: Level, subject_kind: SubjectKind) -> str:
        """The name of ``level`` for ``subject_kind`` as HD 27 wrote it: "Trong sạch, vững
        mạnh" (and "Yếu kém") for a party organization, the usual labels otherwise."""
        if subject_kind is SubjectKind.ORGANIZATION:
            if level is Level.EXCELLENT:
                return self.organization_top_label
            if level is Level.NOT_COMPLETED:
                return self.organization_bottom_label
        return level.label

    def member_caps(self, facts: MemberFacts) -> list[Cap]:
        """No cap on a member's level (no sick-leave or discipline cap before 2018)."""
        return []

    def _member_caps(self, facts: MemberFacts) -> list[Cap]:
        return []

    def _collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        return []

    def check_quota(
        self, excellent_count: int, good_count: int, *, group_name: str = ""
    ) -> list[Violation]:
        """No HTXSNV quota under HD 27; negative counts are still a caller's error."""
        if excellent_count < 0 or good_count < 0:
            raise ValueError("counts must not be negative")
        return []

    def check_tsvm_exemplary(self, level: Level | None) -> list[Violation]:
        if self.tsvm_exemplary_allowed(level):
            return []
        if level is None:
            rated = "chưa xếp loại"
        elif level is Level.NOT_COMPLETED:
            rated = self.organization_bottom_label
        else:
            rated = level.code
        return [
            Violation(
                "reviews.tsvm_exemplary",
                "Chỉ tổ chức đảng xếp loại “Trong sạch, vững mạnh” mới được xét “Trong sạch, "
                f"vững mạnh tiêu biểu” (tổ chức này: {rated}).",
                self.tsvm_citation,
            )
        ]


def _hd27() -> Hd27RuleSet:
    general = Citation(HD_27)
    unchecked = Citation(HD_27, f"không áp dụng cho năm 2014–2017 ({UNCHECKED})")
    return Hd27RuleSet(
        name="HD 27-HD/BTCTW",
        citation=general,
        valid_years=(2014, 2017),
        quota_group="tổ chức cơ sở đảng",
        quota_citation=Citation(HD_27, f"không quy định tỷ lệ HTXSNV ({UNCHECKED})"),
        not_rated_citation=Citation(
            HD_27, f"các trường hợp không xếp loại (theo quy định sau năm 2018, {UNCHECKED})"
        ),
        sick_leave_citation=unchecked,
        discipline_citation=unchecked,
        tsvm_citation=Citation(
            HD_27,
            "mức “Trong sạch, vững mạnh” của tổ chức đảng; tính liền mạch sang “TSVM tiêu biểu” "
            "từ năm 2018 là suy luận (rules.md §2.5)",
        ),
        member_levels_citation=Citation(
            HD_27, "xếp loại đảng viên theo bốn mức HTXSNV/HTTNV/HTNV/KHTNV (CHƯA XÁC NHẬN)"
        ),
        member_discipline_cap=Level.EXCELLENT,
        sick_leave_max_level=Level.EXCELLENT,
        quota_share=Fraction(1),
    )


HD27 = _hd27()
