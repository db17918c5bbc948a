"""Rules on members: the citizen ID, party age, transfer time limits (pure, cited, dated)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from dangvu.core.rules import Citation, Severity, Versioned, Violation

CCCD_RULE = Citation(
    "Nghị định 137/2015/NĐ-CP, Điều 13; Thông tư 59/2021/TT-BCA", "cấu trúc số định danh cá nhân"
)
CHARTER = "Điều lệ Đảng (Đại hội XI, 2011)"
QD_24 = "Quy định 24-QĐ/TW ngày 30/7/2021"
QD_29 = "Quy định 29-QĐ/TW ngày 25/7/2016"
QD_294 = "Quy định 294-QĐ/TW ngày 26/5/2025"

# Codes of the place of birth registration: the first three digits (63 provinces as coded
# before the 2025 merger; numbers issued earlier keep their code for life).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}


def _century_digit(birth_year: int, female: bool) -> int:
    """The 4th digit: 0/1 for 1900–1999 (male/female), 2/3 for 2000–2099, and so on."""
    century_index = (birth_year - 1900) // 100  # 0 for the 20th century
    return (2 * century_index) % 10 + (1 if female else 0)


def check_national_id(national_id: str, birth_date: date, female: bool) -> list[Violation]:
    """A CCCD is 12 digits: province code, gender-and-century digit, the last two digits of
    the birth year, then six digits; the middle three must agree with the record."""

    def fail(code: str, message: str) -> list[Violation]:
        return [Violation(code, message, CCCD_RULE, field="national_id")]

    if len(national_id) != 12 or not national_id.isdigit():
        return fail("members.cccd_format", "Số CCCD phải gồm đúng 12 chữ số.")
    if national_id[:3] not in PROVINCE_CODES:
        return fail(
            "members.cccd_province",
            f"Ba chữ số đầu của số CCCD ({national_id[:3]}) không phải mã tỉnh, thành phố nào.",
        )
    expected = _century_digit(birth_date.year, female)
    if int(national_id[3]) != expected:
        gender = "nữ" if female else "nam"
        return fail(
            "members.cccd_gender_century",
            f"Chữ số thứ tư của số CCCD là {national_id[3]}, nhưng người {gender} sinh năm "
            f"{birth_date.year} phải có chữ số {expected}.",
        )
    if national_id[4:6] != f"{birth_date.year % 100:02d}":
        return fail(
            "members.cccd_birth_year",
            f"Chữ số thứ năm và sáu của số CCCD ({national_id[4:6]}) không khớp năm sinh "
            f"{birth_date.year}.",
        )
    return []


# --- party age ----------------------------------------------------------------------------

PARTY_AGE_CITATION = Citation(f"{QD_24}; Hướng dẫn 01-HD/TW ngày 28/9/2021", "mục 4.5.1")


@dataclass(frozen=True)
class Period:
    """A stint or a time outside the Party: ``[start, end)``; ``end`` ``None`` means open."""

    start: date
    end: date | None


@dataclass(frozen=True)
class PartyAge:
    days: int
    years: int
    months: int

    def __str__(self) -> str:
        if self.years and self.months:
            return f"{self.years} năm {self.months} tháng"
        if self.years:
            return f"{self.years} năm"
        return f"{self.months} tháng"


def party_age(admitted_on: date, gaps: Iterable[Period], on: date) -> PartyAge | None:
    """Party age on ``on``: from the admission decision, minus the periods outside the Party
    (expulsion, striking off, leaving until readmission) and between cells in a transfer.

    Counted from the date of the admission decision; for readmitted members from the first
    admission, minus the gaps (Quy định 24-QĐ/TW, mục 4.5.1; Hướng dẫn 01-HD/TW 2021).
    """
    if on < admitted_on:
        return None
    gap_days = 0
    for gap in gaps:
        start = max(gap.start, admitted_on)
        end = min(gap.end or on, on)
        if end > start:
            gap_days += (end - start).days
    effective_start = admitted_on + timedelta(days=gap_days)
    span = relativedelta(on, effective_start)
    return PartyAge(days=(on - admitted_on).days - gap_days, years=span.years, months=span.months)


# --- transfers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferLimits:
    procedure_working_days: int  # letter within N working days of the effective decision
    arrival_working_days: int  # letter presented within N working days of its date
    temporary_min_months: int
    temporary_max_months: int  # exclusive: "3 months to under 1 year"
    citation: Citation


transfer_limits: Versioned = Versioned("members.transfer_limits")
_LIMITS_29 = TransferLimits(60, 30, 3, 12, Citation(QD_29, "mục 6.3"))
_LIMITS_24 = TransferLimits(60, 30, 3, 12, Citation(QD_24, "mục 6.3"))
_LIMITS_294 = TransferLimits(60, 30, 3, 12, Citation(QD_294, "mục 6.3.1"))
transfer_limits.register(date(2016, 7, 25), date(2021, 7, 29), _LIMITS_29.citation)(
    lambda: _LIMITS_29
)
transfer_limits.register(date(2021, 7, 30), date(2025, 5, 25), _LIMITS_24.citation)(
    lambda: _LIMITS_24
)
transfer_limits.register(date(2025, 5, 26), None, _LIMITS_294.citation)(lambda: _LIMITS_294)


def limits_on(day: date) -> TransferLimits:
    return transfer_limits.on(max(day, date(2016, 7, 25)))()


def check_transfer_dates(
    *,
    effective_on: date,
    letter_date: date,
    presented_on: date | None,
    working_days: Callable[[date, date], int],
) -> list[Violation]:
    """Time limits of an official transfer. ``working_days(a, b)`` counts working days in
    ``(a, b]``; the limits are warnings (the member reports the reason), not refusals."""
    limits = limits_on(effective_on)
    found: list[Violation] = []
    if letter_date < effective_on - timedelta(days=366):
        found.append(
            Violation(
                "members.transfer_letter_before",
                "Ngày giới thiệu sớm hơn ngày quyết định có hiệu lực quá một năm; "
                "hãy kiểm tra lại.",
                limits.citation,
                Severity.WARNING,
                field="letter_date",
            )
        )
    late_procedure = working_days(effective_on, letter_date) - limits.procedure_working_days
    if late_procedure > 0:
        found.append(
            Violation(
                "members.transfer_procedure_late",
                f"Thủ tục chuyển sinh hoạt làm chậm {late_procedure} ngày làm việc so với hạn "
                f"{limits.procedure_working_days} ngày làm việc kể từ khi quyết định có hiệu lực.",
                limits.citation,
                Severity.WARNING,
                field="letter_date",
            )
        )
    if presented_on is not None:
        if presented_on < letter_date:
            found.append(
                Violation(
                    "members.transfer_presented_before_letter",
                    "Ngày nộp giấy giới thiệu không thể trước ngày giới thiệu.",
                    limits.citation,
                    field="presented_on",
                )
            )
        late = working_days(letter_date, presented_on) - limits.arrival_working_days
        if late > 0:
            found.append(
                Violation(
                    "members.transfer_arrival_late",
                    f"Đảng viên nộp giấy giới thiệu chậm {late} ngày làm việc so với hạn "
                    f"{limits.arrival_working_days} ngày làm việc; cần báo cáo lý do.",
                    limits.citation,
                    Severity.WARNING,
                    field="presented_on",
                )
            )
    return found


def check_temporary_duration(
    start: date, planned_end: date, training: bool = False
) -> list[Violation]:
    """Temporary activity elsewhere lasts 3 months to under 1 year (up to 2 years for a
    training course)."""
    limits = limits_on(start)
    shortest = start + relativedelta(months=limits.temporary_min_months)
    if training:
        fits = shortest <= planned_end <= start + relativedelta(months=24)
    else:
        fits = shortest <= planned_end < start + relativedelta(months=limits.temporary_max_months)
    if not fits:
        allowed = "từ 3 tháng đến 2 năm" if training else "từ 3 tháng đến dưới 1 năm"
        return [
            Violation(
                "members.temporary_duration",
                f"Sinh hoạt tạm thời phải kéo dài {allowed}.",
                limits.citation,
                field="planned_end",
            )
        ]
    return []


# --- cells --------------------------------------------------------------------------------

MIN_FULL_MEMBERS = 3
GRASSROOTS_COMMITTEE_THRESHOLD = 30


def check_cell_size(full_members: int) -> list[Violation]:
    """A cell (and a grassroots organization) needs at least 3 full members
    (Điều lệ Đảng, Điều 21, 24)."""
    if full_members >= MIN_FULL_MEMBERS:
        return []
    return [
        Violation(
            "members.cell_too_small",
            f"Chi bộ chỉ có {full_members} đảng viên chính thức; cần ít nhất {MIN_FULL_MEMBERS}.",
            Citation(CHARTER, "Điều 21, Điều 24"),
            Severity.WARNING,
        )
    ]


def check_grassroots_kind(kind: str, members: int) -> list[Violation]:
    """A grassroots organization with 30 members or more is a grassroots committee; with fewer,
    a grassroots cell (Điều lệ, Điều 21; members counted as full plus probationary)."""
    if kind == "grassroots_cell" and members >= GRASSROOTS_COMMITTEE_THRESHOLD:
        message = f"Chi bộ cơ sở có {members} đảng viên (từ 30 trở lên thì lập đảng bộ cơ sở)."
    elif kind == "grassroots_committee" and members < GRASSROOTS_COMMITTEE_THRESHOLD:
        message = f"Đảng bộ cơ sở chỉ có {members} đảng viên (dưới 30 thì là chi bộ cơ sở)."
    else:
        return []
    return [
        Violation(
            "members.grassroots_kind", message, Citation(CHARTER, "Điều 21"), Severity.WARNING
        )
    ]
