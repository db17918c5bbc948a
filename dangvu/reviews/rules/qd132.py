"""QĐ 132-QĐ/TW (8/3/2018) with HD 16-HD/BTCTW (2018) and HD 21-HD/BTCTW (2019–2022).

QĐ 132 introduced the four levels for both organizations and members. The rules its successors
kept (who is not rated, the sick-leave and discipline caps, the 20% quota, the gate to "TSVM
tiêu biểu") are written once here on ``RuleSet``, each citing the documents of the rule set it
runs in; ``qd124`` and ``qd366`` add what changed. Streaks of titles are year arithmetic that no
version changed, and live here with the title they count.

Every level rule is a *cap*: a fact allows at most some level, for a reason with a citation.
A check reports the caps the chosen level exceeds; ``highest_*_level`` gives the best level the
facts allow, for forms that suggest it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal

from dateutil.relativedelta import relativedelta

from dangvu.core.rules import Citation, Severity, Violation
from dangvu.core.text import format_number, format_percent
from dangvu.reviews.rules.levels import (
    CollectiveFacts,
    Level,
    MemberFacts,
    NotRatedReason,
    Number,
    SubjectKind,
)

QD_132 = "Quy định 132-QĐ/TW ngày 8/3/2018"
HD_16 = "Hướng dẫn 16-HD/BTCTW ngày 24/9/2018"
HD_21 = "Hướng dẫn 21-HD/BTCTW ngày 18/10/2019"

StreakPolicy = Literal["break", "skip"]


def exact(value: Number) -> Fraction:
    """``value`` as an exact fraction; a float means its shortest decimal repr (2.9 is 29/10)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _decimals(x: Fraction) -> int:
    """How many decimals ``x`` needs, at most 2."""
    return next((d for d in range(2) if (x * 10**d).denominator == 1), 2)


def format_amount(value: Number) -> str:
    """A quantity as written in Vietnamese with the decimals it has (at most 2): ``2,9``."""
    x = exact(value)
    return format_number(x, _decimals(x))


def format_share(share: Number) -> str:
    """A share as a percentage without needless decimals: ``1/5`` → ``20%``."""
    x = exact(share)
    return format_percent(x, _decimals(x * 100))


_VERDICTS = {
    Level.GOOD: "không được xếp loại HTXSNV",
    Level.COMPLETED: "chỉ được xếp loại tối đa HTNV",
    Level.NOT_COMPLETED: "phải xếp loại KHTNV",
}


@dataclass(frozen=True)
class Cap:
    """The highest level a fact allows, with the reason (a Vietnamese clause following the
    subject, e.g. "nghỉ ốm 3 tháng trong năm") and its source."""

    level: Level
    code: str
    reason: str
    citation: Citation
    severity: Severity = Severity.ERROR
    verdict: str = ""  # replaces the standard "nên …" ending where the cap only warns

    def violation(self, subject: SubjectKind, level: Level) -> Violation | None:
        if level <= self.level:
            return None
        verdict = self.verdict or _VERDICTS[self.level]
        return Violation(
            self.code,
            f"{subject.label} {self.reason} nên {verdict} (đang chọn {level.code}).",
            self.citation,
            self.severity,
            field="level",
        )


def highest_allowed(caps: Iterable[Cap]) -> Level:
    """The best level that no refusing cap forbids (warnings do not lower it)."""
    return min(
        (cap.level for cap in caps if cap.severity is Severity.ERROR), default=Level.EXCELLENT
    )


@dataclass(frozen=True, kw_only=True)
class RuleSet(ABC):
    """The review rules in force for some years, with the parameters that may change as data.

    ``quota_base``: the levels counted in the quota's denominator; HD 21 and QĐ 124 read "those
    rated HTTNV", so it is ``{GOOD}``; some local plans read "HTTNV and above", which is
    ``{EXCELLENT, GOOD}``. ``quota_group``: within what the quota is counted, as the message
    names it.
    """

    name: str
    citation: Citation
    valid_years: tuple[int, int | None]
    quota_group: str
    quota_citation: Citation
    not_rated_citation: Citation
    sick_leave_citation: Citation
    discipline_citation: Citation
    tsvm_citation: Citation
    member_discipline_cap: Level
    # Under QĐ 124 and later a self-detected and remedied violation is not a KHTNV case; it
    # still rules out HTXSNV. ``None``: the rule set has no such exception.
    self_remedied_discipline_cap: Level | None = None
    quota_share: Fraction = Fraction(1, 5)
    quota_base: frozenset[Level] = field(default_factory=lambda: frozenset({Level.GOOD}))
    min_months_since_admission: int = 6
    min_months_since_founding: int = 6
    sick_leave_months_cap: int = 3
    sick_leave_max_level: Level = Level.COMPLETED

    def __post_init__(self) -> None:
        if not self.quota_base or not self.quota_base <= Level.good_or_above():
            raise ValueError("quota_base must be a non-empty subset of {EXCELLENT, GOOD}.")
        if not 0 < self.quota_share <= 1:
            raise ValueError("quota_share must be in (0, 1].")

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        first, last = self.valid_years
        return first <= year and (last is None or year <= last)

    # --- who is rated -----------------------------------------------------------------------

    def not_rated_reason(
        self,
        *,
        review_date: date,
        exempted: bool = False,
        suspended: bool = False,
        admitted_on: date | None = None,
        founded_on: date | None = None,
    ) -> NotRatedReason | None:
        """Why the subject is not rated at the review held on ``review_date``, or ``None``.

        ``exempted``: exempt from work and cell activity. ``suspended``: suspended from party
        activity (a committee member suspended only from committee activity is still rated).
        ``admitted_on``: the date the member's six months are counted from (the admission
        decision; whether some committees count from the ceremony is not settled in rules.md,
        so the caller chooses). ``founded_on``: the organization's founding decision.
        "Less than 6 months before the review" is strict: admitted exactly six calendar months
        before the review date, the member is rated.
        """
        if exempted:
            return NotRatedReason.EXEMPT
        if suspended:
            return NotRatedReason.SUSPENDED
        months = relativedelta(months=self.min_months_since_admission)
        if admitted_on is not None and admitted_on + months > review_date:
            return NotRatedReason.ADMITTED_RECENTLY
        months = relativedelta(months=self.min_months_since_founding)
        if founded_on is not None and founded_on + months > review_date:
            return NotRatedReason.FOUNDED_RECENTLY
        return None

    def check_not_rated(
        self, level: Level | None, reason: NotRatedReason | None
    ) -> list[Violation]:
        """A subject with a reason not to be rated must not be given a level."""
        if reason is None or level is None:
            return []
        return [
            Violation(
                "reviews.not_rated",
                f"Trường hợp “{reason.label}” không xếp loại chất lượng (đang chọn {level.code}).",
                self.not_rated_citation,
                field="level",
            )
        ]

    # --- levels -----------------------------------------------------------------------------

    def member_caps(self, facts: MemberFacts) -> list[Cap]:
        caps: list[Cap] = []
        months = exact(facts.sick_leave_months)
        if months >= self.sick_leave_months_cap:
            caps.append(
                Cap(
                    self.sick_leave_max_level,
                    "reviews.sick_leave",
                    f"nghỉ ốm {format_amount(months)} tháng trong năm "
                    f"(từ {self.sick_leave_months_cap} tháng trở lên)",
                    self.sick_leave_citation,
                )
            )
        if facts.disciplined_in_year:
            if facts.discipline_self_remedied and self.self_remedied_discipline_cap is not None:
                caps.append(
                    Cap(
                        self.self_remedied_discipline_cap,
                        "reviews.discipline",
                        "bị thi hành kỷ luật trong năm (đã tự phát hiện, khắc phục xong hậu quả)",
                        self.discipline_citation,
                    )
                )
            else:
                caps.append(
                    Cap(
                        self.member_discipline_cap,
                        "reviews.discipline",
                        "bị thi hành kỷ luật trong năm",
                        self.discipline_citation,
                    )
                )
        return caps + self._member_caps(facts)

    def collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        return self._collective_caps(facts)

    @abstractmethod
    def _member_caps(self, facts: MemberFacts) -> list[Cap]:
        """The member caps particular to this rule set."""

    @abstractmethod
    def _collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        """The caps on an organization or an agency under this rule set."""

    def highest_member_level(self, facts: MemberFacts) -> Level:
        return highest_allowed(self.member_caps(facts))

    def highest_collective_level(self, facts: CollectiveFacts) -> Level:
        return highest_allowed(self.collective_caps(facts))

    def check_member_level(self, level: Level, facts: MemberFacts) -> list[Violation]:
        return _exceeded(SubjectKind.MEMBER, level, self.member_caps(facts))

    def check_collective_level(self, level: Level, facts: CollectiveFacts) -> list[Violation]:
        return _exceeded(facts.kind, level, self.collective_caps(facts))

    # --- quota ------------------------------------------------------------------------------

    def quota_max(self, base_count: int) -> int:
        """The most HTXSNV allowed for ``base_count`` in the base: ``floor(share × base)``."""
        if base_count < 0:
            raise ValueError("counts must not be negative")
        return base_count * self.quota_share.numerator // self.quota_share.denominator

    def check_quota(
        self, excellent_count: int, good_count: int, *, group_name: str = ""
    ) -> list[Violation]:
        """HTXSNV must not exceed ``quota_share`` of the base within one group (one grassroots
        organization under HD 21, one group of similar subjects under QĐ 124 and 366).
        ``group_name`` ("Đảng bộ Sở Y tế") replaces the generic name of the group."""
        if excellent_count < 0 or good_count < 0:
            raise ValueError("counts must not be negative")
        base = good_count + (excellent_count if Level.EXCELLENT in self.quota_base else 0)
        allowed = self.quota_max(base)
        if excellent_count <= allowed:
            return []
        where = group_name.strip() or self.quota_group
        return [
            Violation(
                "reviews.quota",
                f"Số HTXSNV ({excellent_count}) vượt {format_share(self.quota_share)} số "
                f"{_levels_label(self.quota_base)} ({base} → tối đa {allowed}) trong {where}.",
                self.quota_citation,
            )
        ]

    # --- titles -----------------------------------------------------------------------------

    def tsvm_exemplary_allowed(self, level: Level | None) -> bool:
        """Only an organization rated HTXSNV may be considered for "TSVM tiêu biểu" (for the
        year, and towards "5 năm liền")."""
        return level is Level.EXCELLENT

    def check_tsvm_exemplary(self, level: Level | None) -> list[Violation]:
        if self.tsvm_exemplary_allowed(level):
            return []
        rated = level.code if level is not None else "chưa xếp loại"
        return [
            Violation(
                "reviews.tsvm_exemplary",
                "Chỉ tổ chức đảng xếp loại HTXSNV mới được xét “Trong sạch, vững mạnh tiêu biểu” "
                f"(tổ chức này: {rated}).",
                self.tsvm_citation,
            )
        ]


def _exceeded(subject: SubjectKind, level: Level, caps: Iterable[Cap]) -> list[Violation]:
    found = (cap.violation(subject, level) for cap in caps)
    return [v for v in found if v is not None]


def _levels_label(levels: frozenset[Level]) -> str:
    lowest = min(levels)
    if len(levels) > 1 and levels == {level for level in Level if level >= lowest}:
        return f"từ {lowest.code} trở lên"
    return " và ".join(level.code for level in sorted(levels, reverse=True))


def targets_cap(facts: CollectiveFacts, min_share: Fraction, citation: Citation) -> list[Cap]:
    """KHTNV when less than ``min_share`` of the year's targets were met."""
    if facts.targets_met_share is None:
        return []
    share = exact(facts.targets_met_share)
    if share >= min_share:
        return []
    return [
        Cap(
            Level.NOT_COMPLETED,
            "reviews.targets",
            f"chỉ hoàn thành {format_share(share)} chỉ tiêu, nhiệm vụ "
            f"(dưới {format_share(min_share)})",
            citation,
        )
    ]


# --- QĐ 132 -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Qd132RuleSet(RuleSet):
    """QĐ 132 as guided by HD 16 (2018) and HD 21 (2019–2022).

    Members: a civil servant or public employee rated HTXSNV must also be HTXSNV in the state
    assessment (a warning while that rating is unknown); one rated KHTNV there is KHTNV here.
    A member disciplined in the year is KHTNV: HD 16 and HD 21 list it among the KHTNV cases
    ("một vi phạm bị xử lý kỷ luật chỉ tính một lần khi xếp loại"; secondary sources, not yet
    in rules.md), which is stricter than "not HTXSNV"; ``member_discipline_cap`` holds it.
    Collectives (the leadership collective of an organization or agency) are KHTNV on
    disunity, under half of the targets met, discipline of the collective, or discipline of one
    of its members at warning or higher.

    For 2018 the same rules are cited to HD 16; that HD 16 carried each of them (the quota in
    particular) in the same words is not confirmed in rules.md.
    """

    civil_servant_citation: Citation
    collective_citation: Citation
    min_targets_share: Fraction = Fraction(1, 2)

    def _member_caps(self, facts: MemberFacts) -> list[Cap]:
        state = facts.state_rating
        if state is None:
            if not facts.civil_servant:
                return []
            return [
                Cap(
                    Level.GOOD,
                    "reviews.state_rating_unknown",
                    "là cán bộ, công chức, viên chức chưa có kết quả xếp loại ở cơ quan, đơn vị "
                    "(phải đạt HTXSNV)",
                    self.civil_servant_citation,
                    Severity.WARNING,
                    verdict="chưa đủ căn cứ để xếp loại HTXSNV",
                ),
            ]
        if state is Level.EXCELLENT:
            return []
        return [
            Cap(
                Level.NOT_COMPLETED if state is Level.NOT_COMPLETED else Level.GOOD,
                "reviews.state_rating",
                f"là cán bộ, công chức, viên chức được cơ quan, đơn vị xếp loại {state.code}",
                self.civil_servant_citation,
            )
        ]

    def _collective_caps(self, facts: CollectiveFacts) -> list[Cap]:
        caps = targets_cap(facts, self.min_targets_share, self.collective_citation)
        flags = [
            (facts.disunity, "reviews.disunity", "bị kết luận mất đoàn kết nội bộ"),
            (
                facts.collective_disciplined,
                "reviews.collective_disciplined",
                "bị thi hành kỷ luật trong năm",
            ),
            (
                facts.leadership_member_warned_or_worse,
                "reviews.leader_disciplined",
                "có thành viên tập thể lãnh đạo, quản lý bị kỷ luật từ cảnh cáo trở lên",
            ),
        ]
        caps += [
            Cap(Level.NOT_COMPLETED, code, reason, self.collective_citation)
            for flag, code, reason in flags
            if flag
        ]
        return caps


def _qd132(guide: str, short: str, first: int, last: int, *, articles: bool) -> Qd132RuleSet:
    """The rule set under QĐ 132 and one of its guides. HD 21's sections are those rules.md
    gives; for HD 16 only the topic is named."""
    documents = f"{QD_132}; {guide}"

    def cite(article: str, topic: str) -> Citation:
        return Citation(documents, article if articles else topic)

    return Qd132RuleSet(
        name=f"QĐ 132-QĐ/TW và {short}",
        citation=Citation(documents),
        valid_years=(first, last),
        quota_group="tổ chức cơ sở đảng",
        quota_citation=cite("mục 2.3a", "tỷ lệ đảng viên HTXSNV"),
        not_rated_citation=cite("Mục II.6", "các trường hợp không xếp loại"),
        sick_leave_citation=cite("Mục II.6", "đảng viên nghỉ ốm"),
        discipline_citation=cite("tiêu chuẩn đảng viên KHTNV", "tiêu chuẩn đảng viên KHTNV"),
        tsvm_citation=cite("khen thưởng tổ chức đảng, đảng viên", "khen thưởng tổ chức đảng"),
        civil_servant_citation=cite("mục 2.3a", "tiêu chuẩn đảng viên HTXSNV"),
        collective_citation=cite(
            "tiêu chuẩn tập thể lãnh đạo, quản lý KHTNV", "tiêu chuẩn tập thể KHTNV"
        ),
        member_discipline_cap=Level.NOT_COMPLETED,
    )


QD132_HD16 = _qd132(HD_16, "HD 16-HD/BTCTW", 2018, 2018, articles=False)
QD132_HD21 = _qd132(HD_21, "HD 21-HD/BTCTW", 2019, 2022, articles=True)


# --- streaks ------------------------------------------------------------------------------


def _streak_years(
    years_with_title: Set[int], year: int, unrated_years: Set[int], policy: StreakPolicy
) -> list[int]:
    if policy not in ("break", "skip"):
        raise ValueError(f"unknown streak policy {policy!r}")
    counted: list[int] = []
    y = year
    while True:
        if y in years_with_title:
            counted.append(y)
        elif not (policy == "skip" and y in unrated_years):
            return counted
        y -= 1


def streak(
    years_with_title: Set[int],
    year: int,
    *,
    unrated_years: Set[int] = frozenset(),
    policy: StreakPolicy = "break",
) -> int:
    """How many consecutive years ending at ``year`` the subject held the title.

    How a year in which the subject was not rated (an organization founded less than 6 months
    before, a reorganization) affects a streak is UNCONFIRMED (rules.md §2.5), so it is a
    policy: ``"break"`` (the default: "N năm liền" read literally) ends the streak at such a
    year; ``"skip"`` steps over it without counting it. A year both unrated and titled counts.
    """
    return len(_streak_years(years_with_title, year, unrated_years, policy))


def streak_span(
    years_with_title: Set[int],
    year: int,
    *,
    unrated_years: Set[int] = frozenset(),
    policy: StreakPolicy = "break",
) -> tuple[int, int] | None:
    """``(first_year, last_year)`` of the titled years in that streak, for award names such as
    "TSVM tiêu biểu 5 năm liền 2015–2019"; ``None`` without a streak."""
    counted = _streak_years(years_with_title, year, unrated_years, policy)
    if not counted:
        return None
    return (counted[-1], counted[0])
