"""Rules on the shape of the organization tree (pure functions, cited and dated)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dangvu.core.rules import Citation, Severity, Versioned, Violation
from dangvu.orgs.models import OrgKind

CHARTER_2011 = "Điều lệ Đảng (Đại hội XI, 2011)"
TERM_YEARS = 5
TERM_CITATION = Citation(
    "Chỉ thị 35-CT/TW ngày 30/5/2019 và Điều lệ Đảng", "đại hội cấp ủy nhiệm kỳ 5 năm"
)

# Which kinds may stand directly under which (None: a root of the installation's tree).
_PARENTS_2011: dict[str, tuple[str | None, ...]] = {
    OrgKind.ABOVE_GRASSROOTS: (None, OrgKind.ABOVE_GRASSROOTS),
    OrgKind.GRASSROOTS_COMMITTEE: (None, OrgKind.ABOVE_GRASSROOTS),
    OrgKind.GRASSROOTS_CELL: (None, OrgKind.ABOVE_GRASSROOTS),
    OrgKind.PARTIAL_COMMITTEE: (OrgKind.GRASSROOTS_COMMITTEE,),
    OrgKind.CELL: (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.PARTIAL_COMMITTEE),
}

parent_kind_rule: Versioned = Versioned("orgs.parent_kind")


CHARTER_2011_CITATION = Citation(CHARTER_2011, "Điều 21, Điều 24")
EARLIER_CHARTERS_CITATION = Citation(
    "Điều lệ Đảng trước Đại hội XI", "các điều về tổ chức cơ sở đảng và chi bộ"
)


def _parent_kind(kind: str, parent_kind: str | None, citation: Citation) -> list[Violation]:
    """Grassroots organizations sit under an above-grassroots committee; cells and partial
    committees under a grassroots committee; nothing sits under a cell."""
    if parent_kind in _PARENTS_2011[kind]:
        return []
    kind_label = OrgKind(kind).label
    if parent_kind is None:
        message = f"{kind_label} phải trực thuộc một tổ chức đảng cấp trên."
    else:
        message = f"{kind_label} không thể trực thuộc {OrgKind(parent_kind).label.lower()}."
    return [Violation("orgs.parent_kind", message, citation, field="parent")]


# Organizations founded before the 2011 Charter are checked by the same structure: the earlier
# Charters had the same kinds under the same parents.
@parent_kind_rule.register(date(1930, 2, 3), date(2011, 1, 18), EARLIER_CHARTERS_CITATION)
def check_parent_kind_before_2011(kind: str, parent_kind: str | None) -> list[Violation]:
    return _parent_kind(kind, parent_kind, EARLIER_CHARTERS_CITATION)


@parent_kind_rule.register(date(2011, 1, 19), None, CHARTER_2011_CITATION)
def check_parent_kind_2011(kind: str, parent_kind: str | None) -> list[Violation]:
    return _parent_kind(kind, parent_kind, CHARTER_2011_CITATION)


def check_parent_kind(kind: str, parent_kind: str | None, on: date) -> list[Violation]:
    """The structure rule in force on ``on`` (the founding date for a new organization, the
    day of the move for a move)."""
    rule: Callable[[str, str | None], list[Violation]] = parent_kind_rule.on(on)
    return rule(kind, parent_kind)


def check_validity(valid_from: date, valid_to: date | None) -> list[Violation]:
    if valid_to is not None and valid_to < valid_from:
        return [
            Violation(
                "orgs.validity",
                "Ngày giải thể không thể trước ngày thành lập.",
                Citation("Quy tắc dữ liệu của dangvu"),
                field="valid_to",
            )
        ]
    return []


def check_term_length(start: date, end: date) -> list[Violation]:
    """A committee's term is five years (Chỉ thị 35-CT/TW for 2020–2025); other lengths warn."""
    try:
        expected = start.replace(year=start.year + TERM_YEARS)
    except ValueError:  # 29 February
        expected = start.replace(year=start.year + TERM_YEARS, day=28)
    if end <= start:
        return [
            Violation(
                "orgs.term_dates",
                "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.",
                TERM_CITATION,
                field="end_date",
            )
        ]
    if abs((end - expected).days) > 366:
        return [
            Violation(
                "orgs.term_length",
                f"Nhiệm kỳ của cấp ủy là {TERM_YEARS} năm; nhiệm kỳ này dài "
                f"{(end - start).days // 365} năm.",
                TERM_CITATION,
                severity=Severity.WARNING,
                field="end_date",
            )
        ]
    return []
