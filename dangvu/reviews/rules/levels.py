"""The vocabulary of the annual review that every rule set shares.

The four quality levels, why a subject is not rated, the kinds of subject, and the facts a
check reads (plain values computed by the caller from the registry or typed by the rater).
Nothing here depends on the year; what the facts imply is decided by a ``RuleSet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

Number = int | float | Decimal | Fraction


class Level(Enum):
    """A quality level. Members are listed best first (the order of forms and tables) and
    compare by merit: ``Level.NOT_COMPLETED < Level.COMPLETED < Level.GOOD < Level.EXCELLENT``,
    so "at most HTNV" is ``level <= Level.COMPLETED``."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def code(self) -> str:
        """The short form used in reports: HTXSNV, HTTNV, HTNV, KHTNV."""
        return _LEVEL_CODES[self]

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for KHTNV up to 3 for HTXSNV."""
        return _LEVEL_RANKS[self]

    @classmethod
    def good_or_above(cls) -> frozenset[Level]:
        """ "Từ HTTNV trở lên": the numerator of the shares printed in year-end reports."""
        return frozenset({cls.EXCELLENT, cls.GOOD})

    @classmethod
    def from_code(cls, code: str) -> Level:
        """The level of a short code (``"HTTNV"``), ignoring case and surrounding spaces."""
        wanted = code.strip().upper()
        for level in cls:
            if level.code == wanted:
                return level
        raise ValueError(f"Không có mức xếp loại {code!r}.")

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(level.value, level.label) for level in cls]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_LEVEL_CODES = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.COMPLETED: "HTNV",
    Level.NOT_COMPLETED: "KHTNV",
}
_LEVEL_LABELS = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETED: "Hoàn thành nhiệm vụ",
    Level.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
_LEVEL_RANKS = {
    Level.EXCELLENT: 3,
    Level.GOOD: 2,
    Level.COMPLETED: 1,
    Level.NOT_COMPLETED: 0,
}


class NotRatedReason(Enum):
    """Why a subject is not rated for the year (rules.md §2.3), in order of precedence."""

    EXEMPT = "exempt"
    SUSPENDED = "suspended"
    ADMITTED_RECENTLY = "admitted_recently"
    FOUNDED_RECENTLY = "founded_recently"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(reason.value, reason.label) for reason in cls]


_REASON_LABELS = {
    NotRatedReason.EXEMPT: "Miễn công tác và sinh hoạt đảng",
    NotRatedReason.SUSPENDED: "Đình chỉ sinh hoạt đảng",
    NotRatedReason.ADMITTED_RECENTLY: "Mới kết nạp, chưa đủ 6 tháng",
    NotRatedReason.FOUNDED_RECENTLY: "Tổ chức đảng mới thành lập, chưa đủ 6 tháng",
}


class SubjectKind(Enum):
    """Who is rated: a member, a party organization (grassroots organization or cell), or an
    agency or unit on its political tasks."""

    MEMBER = "member"
    ORGANIZATION = "organization"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return _SUBJECT_LABELS[self]

    @property
    def is_collective(self) -> bool:
        return self is not SubjectKind.MEMBER

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(kind.value, kind.label) for kind in cls]


_SUBJECT_LABELS = {
    SubjectKind.MEMBER: "Đảng viên",
    SubjectKind.ORGANIZATION: "Tổ chức đảng",
    SubjectKind.AGENCY: "Cơ quan, đơn vị",
}


@dataclass(frozen=True)
class TaskConditions:
    """The task conditions of QĐ 366-QĐ/TW Điều 11, as ticked by the rating body.

    The thresholds (at least 30% of tasks exceeding requirements, at most 20% behind schedule)
    are parameters of the rule set; these flags say whether the subject meets them.
    """

    all_done: bool  # hoàn thành 100% nhiệm vụ được giao
    late_within_limit: bool  # số nhiệm vụ chậm tiến độ không vượt ngưỡng (20%)
    all_on_time: bool  # 100% nhiệm vụ đúng tiến độ, bảo đảm chất lượng, hiệu quả
    exceeded_enough: bool  # ít nhất 30% nhiệm vụ vượt yêu cầu
    shortcomings_fixed: bool  # khắc phục 100% hạn chế, khuyết điểm đã được chỉ ra
    # For an individual holding a leadership post: the unit he or she directly leads.
    leads_unit: bool = False
    unit_all_on_time: bool = False
    unit_exceeded_enough: bool = False


@dataclass(frozen=True)
class MemberFacts:
    """What the member checks read.

    ``disciplined_in_year``: a discipline decision issued in the year and not yet counted in an
    earlier rating (one violation counts once). ``discipline_self_remedied``: under QĐ 124 and
    later, the violation was self-detected and its consequences remedied.
    ``civil_servant`` and ``state_rating``: the member is a cadre, civil servant or public
    employee (CBCCVC) and the level of the state assessment, ``None`` while unknown.
    ``score`` and ``conditions``: QĐ 366 only.
    """

    sick_leave_months: Number = 0
    disciplined_in_year: bool = False
    discipline_self_remedied: bool = False
    civil_servant: bool = False
    state_rating: Level | None = None
    score: Number | None = None
    conditions: TaskConditions | None = None


@dataclass(frozen=True)
class CollectiveFacts:
    """What the checks on an organization or an agency read.

    ``targets_met_share``: the share of the year's targets and tasks met (``None`` when not
    recorded). ``leadership_member_disciplined``: a member of the leadership collective was
    disciplined in the year (any form); ``leadership_member_warned_or_worse``: at warning
    (cảnh cáo) or higher. ``subunit_corruption_disciplined``: a subordinate unit was disciplined
    for corruption, waste or other wrongdoing it did not itself detect and remedy.
    """

    kind: SubjectKind = SubjectKind.ORGANIZATION
    disunity: bool = False
    targets_met_share: Number | None = None
    collective_disciplined: bool = False
    leadership_member_disciplined: bool = False
    leadership_member_warned_or_worse: bool = False
    subunits: int = 0
    disciplined_subunits: int = 0
    subunit_corruption_disciplined: bool = False
    score: Number | None = None
    conditions: TaskConditions | None = None

    def __post_init__(self) -> None:
        if self.kind is SubjectKind.MEMBER:
            raise ValueError("CollectiveFacts describe an organization or an agency.")
        if not 0 <= self.disciplined_subunits <= self.subunits:
            raise ValueError("disciplined_subunits must be between 0 and subunits.")
