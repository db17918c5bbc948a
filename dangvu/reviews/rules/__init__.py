"""The rules of the annual review and quality classification, by year (pure, cited, dated).

``rules_for(year)`` returns the ``RuleSet`` in force for the ratings of that year:

- 2014–2017: HD 27-HD/BTCTW (2014), where "TSVM" was itself the top level of an organization
  (stored as ``Level.EXCELLENT``; ``level_label`` names it); no quota and no caps;
- 2018: QĐ 132-QĐ/TW with HD 16-HD/BTCTW;
- 2019–2022: QĐ 132-QĐ/TW with HD 21-HD/BTCTW (the demo's 2020);
- 2023–2024: QĐ 124-QĐ/TW with HD 25-HD/BTCTW;
- from 2025: QĐ 366-QĐ/TW with HD 43-HD/BTCTW.

Ratings before 2014 have no rule set here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dangvu.core.rules import Versioned
from dangvu.reviews.rules.hd27 import HD27, Hd27RuleSet
from dangvu.reviews.rules.levels import (
    CollectiveFacts,
    Level,
    MemberFacts,
    NotRatedReason,
    Number,
    SubjectKind,
    TaskConditions,
)
from dangvu.reviews.rules.qd124 import QD124_HD25, Qd124RuleSet
from dangvu.reviews.rules.qd132 import (
    QD132_HD16,
    QD132_HD21,
    Cap,
    Qd132RuleSet,
    RuleSet,
    StreakPolicy,
    streak,
    streak_span,
)
from dangvu.reviews.rules.qd366 import QD366_HD43, Qd366RuleSet

__all__ = [
    "HD27",
    "QD124_HD25",
    "QD132_HD16",
    "QD132_HD21",
    "QD366_HD43",
    "RULE_SETS",
    "Cap",
    "CollectiveFacts",
    "Hd27RuleSet",
    "Level",
    "MemberFacts",
    "NotRatedReason",
    "Number",
    "Qd124RuleSet",
    "Qd132RuleSet",
    "Qd366RuleSet",
    "RuleSet",
    "StreakPolicy",
    "SubjectKind",
    "TaskConditions",
    "level_label",
    "rules_for",
    "streak",
    "streak_span",
]

RULE_SETS: tuple[RuleSet, ...] = (HD27, QD132_HD16, QD132_HD21, QD124_HD25, QD366_HD43)

_by_year: Versioned[Callable[[], RuleSet]] = Versioned("reviews.rule_set")


def _constant(rule_set: RuleSet) -> Callable[[], RuleSet]:
    return lambda: rule_set


for _rule_set in RULE_SETS:
    _first, _last = _rule_set.valid_years
    _by_year.register(
        date(_first, 1, 1), date(_last, 12, 31) if _last is not None else None, _rule_set.citation
    )(_constant(_rule_set))


def rules_for(year: int) -> RuleSet:
    """The rule set for the ratings of ``year``; ``LookupError`` before 2014."""
    first = RULE_SETS[0].valid_years[0]
    if year < first:
        raise LookupError(
            f"Chưa có bộ quy tắc xếp loại chất lượng cho năm {year}: dangvu áp dụng các quy định "
            f"từ năm {first} ({RULE_SETS[0].name}) trở đi."
        )
    return _by_year.on(date(year, 1, 1))()


def level_label(rules: RuleSet, level: Level, subject_kind: SubjectKind) -> str:
    """The name of ``level`` for ``subject_kind`` under ``rules``: "Trong sạch, vững mạnh" for
    an organization's top level under HD 27 (``Hd27RuleSet.level_label``), the usual label in
    every other case. For callers holding any rule set (``rules_for(year)``)."""
    if isinstance(rules, Hd27RuleSet):
        return rules.level_label(level, subject_kind)
    return level.label
