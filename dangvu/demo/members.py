"""The demo bloc's members and their history, from 2015 to the demo's "today" (30/6/2021).

**Stories first.** Each person is a story: how they came onto a roll (on it before 2015, with a
grassroots cell founded later, admitted, or arriving from outside the bloc) and the dated steps
that follow (recognition, transfers within the tree or out of it, temporary activity elsewhere,
exemption, death, leaving, striking off, readmission). Admissions and the other flows are drawn
first; every cell is then filled with members who stay throughout, so that each cell's
head-count at the end of 2020 is its planned size and the bloc's is exactly ``TARGET_END_2020``,
whatever the flows. ``plan_members`` is pure and seeded: the same tree gives the same people,
names, numbers and dates.

**Then played through the member services**, in date order (``load_members``):
``member_bulk_create`` (the checks of ``member_create``: CCCD, duplicates, dates, scope) puts the
roll of 1/1/2015 on, then each year's admissions and arrivals; ``event_record`` records every
recognition, exemption, exit and the readmission; ``transfer_out``/``transfer_receive`` move
members between cells or out of the bloc; ``transfer_temporary``/``transfer_return`` record
temporary activity elsewhere. Nothing is dated after ``DEMO_TODAY``: a probation whose
recognition would be decided later stays open. That is about 1,300 service calls after eight
bulk inserts, some 9 seconds on SQLite, so even the recognitions go one by one through
``event_record`` (no batch path around it).

Personal fields (position, theory level, agency, card number) hold the record's current values,
as the registry shows them on ``DEMO_TODAY`` or on the day the person left it. Non-admission
stories were all admitted before 2015, so the ADMITTED events dated 2015–2021 are exactly the
bloc's admissions (``ADMISSIONS``).
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from dangvu.access.scope import Actor
from dangvu.demo.bloc import ROOT_FOUNDED, SEED, OrgSpec, walk
from dangvu.demo.names import member_name
from dangvu.members import services as member_services
from dangvu.members.choices import EXIT_KINDS, EventKind, Gender, TheoryLevel
from dangvu.members.models import Member, Transfer
from dangvu.members.rules import PROVINCE_CODES
from dangvu.orgs.models import Agency, Organization

DEMO_TODAY = date(2021, 6, 30)  # the demo's "today": nothing happens after it
ROLL_DAY = date(2014, 12, 31)  # the roll put on at once, as it stood on this day
END_2020 = date(2020, 12, 31)
TARGET_END_2020 = 4_300  # members of the bloc at the end of 2020 (stints covering that day)

# Admission decisions a year (2021: up to DEMO_TODAY). The seed's report states 133 admissions
# in 2020, hence the named constant.
ADMISSIONS_2020 = 133
# Share of the 2020 admissions decided before mid-June, so they are rated in the 2020 review
# (the seed's 98,35% of members rated HTTNV or above is a share of the rated members).
EARLY_2020_SHARE = 0.3
ADMISSIONS: dict[int, int] = {
    2015: 118,
    2016: 124,
    2017: 131,
    2018: 127,
    2019: 138,
    2020: ADMISSIONS_2020,
    2021: 61,
}
STUDENT_ADMISSIONS = 2  # a year in each student cell, part of ADMISSIONS
ARRIVALS = {2015: 34, 2016: 31, 2017: 36, 2018: 33, 2019: 35, 2020: 32, 2021: 15}
RETIREMENTS = {2015: 38, 2016: 41, 2017: 44, 2018: 40, 2019: 43, 2020: 45, 2021: 19}
JOB_MOVES_OUT = {2015: 13, 2016: 15, 2017: 12, 2018: 16, 2019: 14, 2020: 13, 2021: 6}
INTERNAL_MOVES = {2015: 9, 2016: 11, 2017: 10, 2018: 12, 2019: 9, 2020: 11, 2021: 5}
DEATHS = 8
# Struck off the list (besides one probationary member not recognized): decision, reason.
STRUCK_OFF = [
    (date(2016, 10, 12), "Tự ý bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng."),
    (date(2020, 3, 17), "Không đóng đảng phí 3 tháng trong năm không có lý do chính đáng."),
]
EXEMPTION_YEARS = (2016, 2017, 2018, 2019, 2020, 2021)  # one exemption each
MEMBER_SEED = SEED + 1

BLOC_ISSUER = "Ban Thường vụ Đảng ủy Khối"
PROVINCE_ISSUER = "Ban Thường vụ Tỉnh ủy"
CARD_PREFIX = "45"
# Units that employ retired officials: their members may be older than the retirement age.
OLDER_UNITS = {
    "Hội Cựu chiến binh tỉnh",
    "Hội Văn học Nghệ thuật tỉnh",
    "Hội Luật gia tỉnh",
    "Hội Nhà báo tỉnh",
    "Hội Chữ thập đỏ tỉnh",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
}
WOMEN_OVERRIDES = {"Hội Liên hiệp Phụ nữ tỉnh": 0.9, "Hội Cựu chiến binh tỉnh": 0.1}

# Stories and steps
ROLL, FOUNDING, ADMITTED, ARRIVED = "roll", "founding", "admitted", "arrived"
RECOGNIZE, OUT, RECEIVE, TEMPORARY, RETURN, EVENT = (
    "recognize",
    "out",
    "receive",
    "temporary",
    "return",
    "event",
)


# --- the people's trades ------------------------------------------------------------------


def _pool(text: str) -> tuple[str, ...]:
    """``"A*3; B"`` → ``("A", "A", "A", "B")``: a list to draw from, ``*n`` for weights."""
    items: list[str] = []
    for part in text.split(";"):
        name, _, times = part.strip().partition("*")
        items += [name] * int(times or 1)
    return tuple(items)


@dataclass(frozen=True)
class Sector:
    women: float  # share of women
    qualifications: tuple[str, ...]
    staff: tuple[str, ...]  # positions of the rank and file


_OFFICE_STAFF = _pool("Chuyên viên*6; Chuyên viên chính*2; Kế toán; Văn thư; Thủ quỹ; Lái xe")
SECTORS: dict[str, Sector] = {
    "health": Sector(
        0.62,
        _pool(
            "Bác sĩ đa khoa; Bác sĩ chuyên khoa I; Bác sĩ chuyên khoa II; Thạc sĩ Y học; "
            "Dược sĩ đại học; Cử nhân Điều dưỡng*2; Cao đẳng Điều dưỡng; Cử nhân Xét nghiệm y học; "
            "Cử nhân Y tế công cộng"
        ),
        _pool(
            "Bác sĩ*4; Điều dưỡng*3; Dược sĩ; Kỹ thuật viên xét nghiệm; Hộ sinh; Kế toán; "
            "Chuyên viên"
        ),
    ),
    "school": Sector(
        0.56,
        _pool(
            "Thạc sĩ Quản lý giáo dục; Thạc sĩ Kinh tế; Thạc sĩ Kỹ thuật; Thạc sĩ Ngôn ngữ Anh; "
            "Tiến sĩ Kinh tế; Tiến sĩ Khoa học giáo dục; Cử nhân Sư phạm Toán; "
            "Cử nhân Sư phạm Ngữ văn"
        ),
        _pool("Giảng viên*5; Giảng viên chính*2; Chuyên viên; Kế toán"),
    ),
    "media": Sector(
        0.46,
        _pool("Cử nhân Báo chí*2; Thạc sĩ Báo chí; Cử nhân Ngữ văn; Kỹ sư Điện tử - Viễn thông"),
        _pool("Phóng viên*4; Biên tập viên*3; Kỹ thuật viên; Quay phim; Kế toán"),
    ),
    "mass": Sector(
        0.56,
        _pool(
            "Cử nhân Xây dựng Đảng và Chính quyền nhà nước; Cử nhân Công tác xã hội; Cử nhân Luật; "
            "Cử nhân Kinh tế; Cử nhân Hành chính học; Thạc sĩ Quản lý công"
        ),
        _OFFICE_STAFF,
    ),
    "culture": Sector(
        0.56,
        _pool(
            "Cử nhân Văn hóa học; Cử nhân Lịch sử; Cử nhân Quản lý văn hóa; Cử nhân Du lịch; "
            "Thạc sĩ Văn hóa học"
        ),
        _pool("Chuyên viên*4; Diễn viên; Nhạc công; Thư viện viên; Lưu trữ viên; Kế toán"),
    ),
    "forest": Sector(
        0.22,
        _pool(
            "Kỹ sư Lâm nghiệp*2; Kỹ sư Quản lý tài nguyên rừng; Thạc sĩ Lâm học; "
            "Cử nhân Sinh học; Trung cấp Kiểm lâm"
        ),
        _pool("Kiểm lâm viên*4; Chuyên viên*2; Kế toán; Lái xe"),
    ),
    "agri": Sector(
        0.4,
        _pool(
            "Kỹ sư Nông học; Kỹ sư Chăn nuôi - Thú y; Kỹ sư Thủy lợi; Kỹ sư Nuôi trồng thủy sản; "
            "Cử nhân Quản lý đất đai; Kỹ sư Môi trường; Thạc sĩ Khoa học cây trồng"
        ),
        _OFFICE_STAFF,
    ),
    "finance": Sector(
        0.58,
        _pool(
            "Cử nhân Kinh tế; Cử nhân Tài chính - Ngân hàng; Cử nhân Kế toán*2; "
            "Thạc sĩ Quản trị kinh doanh; Thạc sĩ Kinh tế"
        ),
        _pool("Chuyên viên*4; Chuyên viên chính; Kế toán viên; Kiểm soát viên; Văn thư; Lái xe"),
    ),
    "engineering": Sector(
        0.34,
        _pool(
            "Kỹ sư Xây dựng dân dụng và công nghiệp; Kỹ sư Cầu đường; Kỹ sư Điện; "
            "Kỹ sư Công nghệ thông tin; Thạc sĩ Kỹ thuật xây dựng; Cử nhân Kinh tế xây dựng; "
            "Kiến trúc sư"
        ),
        _pool("Chuyên viên*4; Kỹ sư*2; Chuyên viên chính; Kế toán; Lái xe"),
    ),
    "law": Sector(
        0.45,
        _pool("Cử nhân Luật*2; Thạc sĩ Luật; Cử nhân Kinh tế; Cử nhân Hành chính học"),
        _pool("Chuyên viên*3; Thanh tra viên; Kiểm tra viên; Chuyên viên chính; Kế toán; Văn thư"),
    ),
    "admin": Sector(
        0.5,
        _pool(
            "Cử nhân Hành chính học; Cử nhân Luật; Cử nhân Kinh tế; Cử nhân Chính trị học; "
            "Cử nhân Xây dựng Đảng và Chính quyền nhà nước; Thạc sĩ Quản lý công; "
            "Cử nhân Ngôn ngữ Anh"
        ),
        _OFFICE_STAFF,
    ),
}
# Positions that call for one training whatever the agency ("" for none).
POSITION_QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    "Bác sĩ": _pool(
        "Bác sĩ đa khoa*2; Bác sĩ chuyên khoa I*2; Bác sĩ chuyên khoa II; Thạc sĩ Y học"
    ),
    "Điều dưỡng": _pool("Cử nhân Điều dưỡng*2; Cao đẳng Điều dưỡng"),
    "Hộ sinh": _pool("Cử nhân Hộ sinh; Cao đẳng Hộ sinh"),
    "Dược sĩ": _pool("Dược sĩ đại học*3; Thạc sĩ Dược học"),
    "Kỹ thuật viên xét nghiệm": _pool("Cử nhân Xét nghiệm y học"),
    "Kế toán": _pool("Cử nhân Kế toán*3; Cao đẳng Kế toán"),
    "Kế toán viên": _pool("Cử nhân Kế toán"),
    "Thủ quỹ": _pool("Cử nhân Kế toán; Cao đẳng Kế toán; Trung cấp Kế toán"),
    "Văn thư": _pool("Trung cấp Văn thư - Lưu trữ; Cử nhân Lưu trữ học"),
    "Lái xe": ("",),
    "Diễn viên": _pool("Trung cấp Nghệ thuật biểu diễn*2; Cử nhân Diễn viên sân khấu"),
    "Nhạc công": _pool("Trung cấp Âm nhạc; Cử nhân Âm nhạc"),
    "Thư viện viên": _pool("Cử nhân Thư viện - Thông tin"),
    "Lưu trữ viên": _pool("Cử nhân Lưu trữ học"),
    "Kỹ thuật viên": _pool("Kỹ sư Điện tử - Viễn thông; Cao đẳng Kỹ thuật truyền hình"),
    "Quay phim": _pool("Cao đẳng Quay phim; Cử nhân Quay phim truyền hình"),
}
_SECTOR_KEYWORDS = [
    ("health", "bệnh viện; y tế; bệnh tật; giám định y khoa; pháp y"),
    ("school", "trường; giáo dục"),
    ("media", "báo tỉnh; nhà báo; đài "),
    (
        "mass",
        "mặt trận; liên đoàn; tỉnh đoàn; phụ nữ; cựu chiến binh; chữ thập đỏ; hội nông dân; "
        "dân vận; dân tộc",
    ),
    ("culture", "văn hóa; nhà hát; bảo tàng; thư viện; lưu trữ; văn học"),
    ("forest", "vườn quốc gia; kiểm lâm"),
    ("agri", "nông nghiệp; khuyến nông; thủy lợi; tài nguyên; môi trường"),
    ("finance", "tài chính; kế hoạch; kho bạc; bảo hiểm; quỹ; xổ số; xúc tiến"),
    ("engineering", "xây dựng; giao thông; công thương; khu công nghiệp; khoa học; công nghệ"),
    ("engineering", "thông tin"),
    ("law", "tư pháp; thanh tra; nội chính; luật gia; kiểm tra; cai nghiện"),
]
# Offices (not hospitals, schools, newsrooms…): their rank and file are civil servants.
_OFFICE_PREFIXES = ("Sở ", "Ban ", "Văn phòng", "Ủy ban", "Thanh tra")


def sector_of(unit: str) -> Sector:
    folded = unit.lower()
    for key, words in _SECTOR_KEYWORDS:
        if any(w in folded for w in _pool(words)):
            return SECTORS[key]
    return SECTORS["admin"]


def agency_titles(unit: str) -> tuple[str, str]:
    """The titles of the head of an agency and of its deputies."""
    for prefix, head, deputy in (
        ("Văn phòng", "Chánh", "Phó Chánh"),
        ("Ủy ban Kiểm tra", "Chủ nhiệm", "Phó Chủ nhiệm"),
        ("Ủy ban Mặt trận", "Chủ tịch", "Phó Chủ tịch"),
        ("Ban Quản lý dự án", "Giám đốc", "Phó Giám đốc"),
        ("Ban ", "Trưởng", "Phó Trưởng"),
        ("Thanh tra", "Chánh", "Phó Chánh"),
        ("Trường", "Hiệu trưởng", "Phó Hiệu trưởng"),
        ("Báo tỉnh", "Tổng Biên tập", "Phó Tổng Biên tập"),
        ("Liên", "Chủ tịch", "Phó Chủ tịch"),
        ("Hội", "Chủ tịch", "Phó Chủ tịch"),
        ("Tỉnh đoàn", "Bí thư", "Phó Bí thư"),
        ("Chi cục", "Chi cục trưởng", "Phó Chi cục trưởng"),
        ("Công ty", "Chủ tịch kiêm Giám đốc", "Phó Giám đốc"),
    ):
        if unit.startswith(prefix):
            return f"{head} {unit}", f"{deputy} {unit}"
    return f"Giám đốc {unit}", f"Phó Giám đốc {unit}"


def cell_titles(cell_name: str) -> tuple[str, str] | None:
    """The head and deputy of the department a cell of a grassroots committee groups."""
    unit = cell_name.removeprefix("Chi bộ ")
    for prefix, head, deputy in (
        ("Phòng ", "Trưởng phòng ", "Phó Trưởng phòng "),
        ("Khoa ", "Trưởng khoa ", "Phó Trưởng khoa "),
    ):
        if unit.startswith(prefix):
            rest = unit.removeprefix(prefix)
            return head + rest, deputy + rest
    for prefix, head, deputy in (
        ("Văn phòng", "Chánh Văn phòng", "Phó Chánh Văn phòng"),
        ("Thanh tra", "Chánh Thanh tra", "Phó Chánh Thanh tra"),
        ("Trung tâm", "Giám đốc Trung tâm", "Phó Giám đốc Trung tâm"),
        ("Chi cục", "Chi cục trưởng", "Phó Chi cục trưởng"),
        ("Ban Quản lý dự án", "Giám đốc Ban Quản lý dự án", "Phó Giám đốc Ban Quản lý dự án"),
        ("Thư viện", "Giám đốc Thư viện", "Phó Giám đốc Thư viện"),
    ):
        if unit.startswith(prefix):
            return head, deputy
    return None


_SENIOR_DEGREES = ("Thạc sĩ", "Tiến sĩ", "Bác sĩ chuyên khoa")
THEORY_BY_ROLE = {
    "agency_head": _pool("cao_cap*8; cu_nhan*2"),
    "agency_deputy": _pool("cao_cap*3; trung_cap"),
    "head": _pool("cao_cap*3; trung_cap*6; so_cap"),
    "deputy": _pool("cao_cap; trung_cap*5; so_cap*4"),
    "staff": _pool("so_cap*60; trung_cap*20; *12; cao_cap*5; cu_nhan*3"),
    "young": _pool("so_cap; "),
}

# --- where people come from ---------------------------------------------------------------

# CCCD province codes (place of birth registration): mostly the province's own, some from the
# neighbours and the big cities; the minorities from where their communities live.
_KINH_PROVINCES = _pool("045*78; 044*6; 046*6; 042*2; 040*2; 038; 036; 034; 048; 001; 079")
ETHNIC_PROVINCES = {
    "Tày": _pool("004; 020; 008; 006"),
    "Nùng": _pool("020; 004"),
    "Thái": _pool("014; 040; 038"),
    "Mường": _pool("017; 038"),
    "Dao": _pool("015; 010"),
    "Bru-Vân Kiều": _pool("045*2; 044"),
    "Khơ-me": _pool("094; 084; 091"),
    "Hoa": _pool("079; 094; 022"),
}
MINORITIES = _pool("Tày*6; Mường*5; Thái*5; Bru-Vân Kiều*5; Nùng*3; Hoa*3; Khơ-me*2; Dao")
MINORITY_SHARE = 0.03
_CITIES = {"001", "031", "048", "079", "092"}
_COMMUNES = _pool(
    "Tân Lập; Hòa Bình; An Phú; Thanh Bình; Quang Trung; Đông Hải; Tân Thành; Phú Lộc; "
    "Hòa Hiệp; Tân Hòa; Vĩnh Thành; Đức Hòa; Xuân Lộc; Hưng Thịnh; Yên Phú; Ngọc Lâm; "
    "Cam Thủy; Hải Thượng; Triệu Thành; Phong Bình; Trung Sơn; Vĩnh Tú; Hải Phú; Cam Hiếu"
)
_WARDS = _pool("1; 2; 3; 4; 5; Đông Thanh; Đông Giang; Đông Lễ; An Tây; Hòa Thuận")
_PHONE_PREFIXES = _pool(
    "090; 091; 093; 094; 096; 097; 098; 086; 088; 032; 033; 034; 035; 036; 037; 038; 039; "
    "081; 083; 084; 070; 077"
)
JOB_DESTINATIONS = _pool(
    "Đảng bộ Khối Doanh nghiệp tỉnh; Đảng bộ Công an tỉnh; Đảng bộ Quân sự tỉnh; "
    "Đảng bộ huyện Tân Lập; Đảng bộ huyện Phước Hòa; Đảng bộ thị xã Quảng An; "
    "Đảng bộ Khối các cơ quan Trung ương; Đảng bộ Khối các cơ quan tỉnh Thừa Thiên Huế; "
    "Đảng bộ Khối các cơ quan thành phố Đà Nẵng; Đảng bộ Khối Doanh nghiệp Trung ương"
)
INTERNAL_REASONS = _pool("Điều động công tác; Luân chuyển cán bộ; Tiếp nhận, điều động công chức")
LATE_REASONS = [
    "Đi công tác dài ngày tại Trung ương",
    "Ốm, điều trị dài ngày tại bệnh viện",
    "Tham gia lớp bồi dưỡng tập trung",
]


def _residence(rng: random.Random) -> str:
    ward = rng.choice(_WARDS)
    ward_name = f"Phường {ward}" if ward.isdigit() else f"phường {ward}"
    return f"Chi bộ khu phố {rng.randint(1, 9)}, Đảng bộ {ward_name} (nơi cư trú)"


# --- the tree as the generator sees it ----------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A cell where members are registered, with what the generator needs to know of it."""

    code: str
    name: str
    grassroots: str  # code of its grassroots organization
    unit: str  # the agency or unit of that organization ("Sở Tài chính")
    has_agency: bool
    opened: date
    in_committee: bool  # a cell of a grassroots committee (not a grassroots cell)
    leaders: bool  # the cell of the agency's leaders
    student: bool


def cells_of(spec: OrgSpec) -> list[Cell]:
    cells = []
    for grassroots in spec.children:
        unit = grassroots.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")
        if grassroots.kind == "grassroots_cell":
            nodes = [grassroots]
        else:
            nodes = [node for _, node in walk(grassroots) if node.kind == "cell"]
        direct = [child.code for child in grassroots.children if child.kind == "cell"]
        leaders = direct[0] if direct else nodes[0].code
        for node in nodes:
            cells.append(
                Cell(
                    code=node.code,
                    name=node.name,
                    grassroots=grassroots.code,
                    unit=unit,
                    has_agency=bool(grassroots.agency),
                    opened=node.valid_from,
                    in_committee=grassroots.kind == "grassroots_committee",
                    leaders=node.code == leaders,
                    student=node.name.startswith("Chi bộ Sinh viên"),
                )
            )
    return cells


# --- stories ------------------------------------------------------------------------------


@dataclass
class Step:
    """One dated thing to play through a service. ``on`` is the day it is recorded (the order of
    play), ``day`` the date the service receives (effective date, letter date…)."""

    on: date
    action: str
    day: date
    kind: str = ""  # the EventKind of an EVENT
    cell: str = ""  # receiving, host or readmitting cell
    outside: str = ""
    reason: str = ""
    note: str = ""
    number: str = ""
    decision_date: date | None = None
    issuer: str = ""
    end: date | None = None  # planned end of temporary activity, end of an exemption
    effective: date | None = None  # effective date of a transfer
    late_reason: str = ""
    training: bool = False


@dataclass
class Story:
    key: int
    entry: str
    cell: str
    female: bool
    birth: date
    admitted_on: date
    joined_on: date
    join_reason: str
    recognized_on: date | None = None
    decision_number: str = ""
    student: bool = False
    trained: bool = False  # back from a course of advanced political theory
    role: str = "staff"
    steps: list[Step] = field(default_factory=list)
    personal: dict[str, Any] = field(default_factory=dict)

    def ordered_steps(self) -> list[Step]:
        return sorted(self.steps, key=lambda s: s.on)

    def stints(self) -> list[tuple[str, date, date | None]]:
        """``(cell, start, end)`` as the services will record them."""
        result: list[tuple[str, date, date | None]] = []
        cell, start, pending = self.cell, self.joined_on, ""
        for step in self.ordered_steps():
            if step.action == OUT:
                result.append((cell, start, step.day))
                cell, pending = "", step.cell
            elif step.action == RECEIVE:
                cell, start = pending, step.day
            elif step.action == EVENT and step.kind in EXIT_KINDS:
                result.append((cell, start, step.day))
                cell = ""
            elif step.action == EVENT and step.kind == EventKind.READMITTED:
                cell, start = step.cell, step.day
        if cell:
            result.append((cell, start, None))
        return result

    def cell_on(self, day: date) -> str | None:
        for cell, start, end in self.stints():
            if start <= day and (end is None or day < end):
                return cell
        return None

    def last_cell(self) -> str:
        return self.stints()[-1][0]

    def recognition(self) -> Step | None:
        return next((s for s in self.steps if s.action == RECOGNIZE), None)

    def full_from(self) -> date | None:
        """The day the person's (latest) full membership began, if it did by DEMO_TODAY."""
        step = self.recognition()
        return step.day if step else self.recognized_on

    def quiet(self) -> bool:
        """No step yet besides the recognition: free to be given a transfer or an exit."""
        return all(s.action == RECOGNIZE for s in self.steps)


@dataclass
class Plan:
    cells: dict[str, Cell]
    targets: dict[str, int]  # planned head-count of each cell at the end of 2020
    small: list[str]  # the cells left with fewer than 3 full members at the end of 2020
    stories: list[Story]


def _workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _years(years: float) -> timedelta:
    return timedelta(days=round(years * 365.25))


def _born(day: date) -> date:
    """Birthdays avoid 29 February: ``members.services.check_membership_dates`` computes the
    18th birthday with ``date.replace`` and fails on it."""
    return day - timedelta(days=1) if (day.month, day.day) == (2, 29) else day


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _retirement(birth: date, female: bool) -> date:
    """The first day of the month after reaching the retirement age: 60 for men and 55 for
    women until 2020; from 2021, 3 and 4 months more for those not yet retired (Bộ luật Lao
    động 2019, Điều 169; Nghị định 135/2020/NĐ-CP)."""
    years = 55 if female else 60
    reached = birth + relativedelta(years=years)
    if reached.year >= 2021:
        reached = birth + relativedelta(years=years, months=4 if female else 3)
    return (reached + relativedelta(months=1)).replace(day=1)


class _Planner:
    def __init__(self, spec: OrgSpec) -> None:
        self.rng = random.Random(MEMBER_SEED)
        self.cells = {c.code: c for c in cells_of(spec)}
        self.targets, self.small = self._targets()
        self.stories: list[Story] = []
        self.present: Counter[str] = Counter()  # dynamic stories in each cell at the end of 2020
        self.movable: dict[str, list[Story]] = defaultdict(list)
        self.codes = [c.code for c in self.cells.values() if not c.student]
        self.cum = list(itertools.accumulate(self.targets[c] for c in self.codes))

    # --- sizes ---------------------------------------------------------------------------

    def _targets(self) -> tuple[dict[str, int], list[str]]:
        rng, targets = self.rng, {}
        medium: list[str] = []
        for cell in self.cells.values():
            if cell.student:
                size = rng.randint(5, 7)
            elif not cell.in_committee:
                size = round(rng.triangular(5, 26, 10))
            else:
                draw = rng.random()
                if draw < 0.09:
                    size = rng.randint(4, 6)
                elif draw < 0.125:
                    size = rng.randint(30, 45)
                else:
                    size = round(rng.triangular(8, 25, 11))
                    medium.append(cell.code)
            targets[cell.code] = size
        small = sorted(
            c.code
            for c in self.cells.values()
            if c.in_committee and not c.student and targets[c.code] <= 6
        )
        small = rng.sample(small, 2)
        for code in small:
            targets[code] = 3
        by_committee: dict[str, list[str]] = defaultdict(list)
        for cell in self.cells.values():
            if cell.in_committee:
                by_committee[cell.grassroots].append(cell.code)
        for codes in by_committee.values():  # a grassroots committee has 30 members or more
            growable = [c for c in codes if c in medium]
            while sum(targets[c] for c in codes) < 32:
                code = rng.choice(growable)
                if targets[code] < 25:
                    targets[code] += 1
        committee_of = {c: g for g, codes in by_committee.items() for c in codes}
        diff = TARGET_END_2020 - sum(targets.values())
        while diff:
            code = rng.choice(medium)
            step = 1 if diff > 0 else -1
            size = targets[code] + step
            siblings = by_committee[committee_of[code]]
            if 8 <= size <= 25 and sum(targets[c] for c in siblings) + step >= 32:
                targets[code] = size
                diff -= step
        return targets, small

    def _min_stayers(self, code: str) -> int:
        return 2 if code in self.small else max(3, math.ceil(self.targets[code] / 2))

    def _room(self, code: str) -> int:
        return self.targets[code] - self._min_stayers(code) - self.present[code]

    def _pick(self, day: date, *, exclude: str = "") -> Cell:
        """A cell drawn by size among those open long enough before ``day``."""
        while True:
            code = self.rng.choices(self.codes, cum_weights=self.cum)[0]
            cell = self.cells[code]
            if code != exclude and code not in self.small and cell.opened <= day - _years(0.5):
                return cell

    def _register(self, story: Story) -> None:
        cell = story.cell_on(END_2020)
        if cell:
            self.present[cell] += 1

    def _withdraw(self, story: Story) -> None:
        cell = story.cell_on(END_2020)
        if cell:
            self.present[cell] -= 1

    def _fits(self, story: Story) -> bool:
        cell = story.cell_on(END_2020)
        return cell is None or self._room(cell) >= 1

    def _add(self, story: Story) -> Story:
        self.stories.append(story)
        self._register(story)
        return story

    def _between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _women(self, cell: Cell) -> float:
        if cell.student:
            return 0.55
        return WOMEN_OVERRIDES.get(cell.unit, sector_of(cell.unit).women)

    def _female(self, cell: Cell) -> bool:
        return self.rng.random() < self._women(cell)

    # --- people on a roll before 2015 (or when their grassroots cell was founded) --------

    def _roll(self, cell: Cell, female: bool, birth: date) -> Story:
        """On the roll put on at once (as it stood at the end of 2014), or, in a grassroots cell
        founded later, arriving when it was founded; admitted in any case before 2015."""
        rng = self.rng
        founding = cell.opened > ROLL_DAY
        latest = _workday(cell.opened + timedelta(days=rng.randint(0, 20))) if founding else None
        last_admission = min(date(2014, 11, 28), latest - _years(2) if latest else ROLL_DAY)
        first = max(birth + _years(19.5), date(1976, 1, 1))
        last = min(birth + _years(40), last_admission)
        if first > last:
            raise ValueError(f"No admission date for someone born on {birth}")
        while True:  # earlier years more likely; 2014 thinned to a usual year's admissions
            admitted = first + timedelta(days=int((last - first).days * rng.random() ** 1.5))
            admitted = _workday(admitted)
            if admitted.year < 2014 or rng.random() < 0.55:
                break
        ceremony = _workday(admitted + timedelta(days=rng.randint(5, 25)))
        full = ceremony + relativedelta(months=12)
        if latest is not None:
            joined, reason = latest, EventKind.TRANSFERRED_IN
        elif cell.opened <= ceremony <= ROLL_DAY and rng.random() < 0.4:
            joined, reason = ceremony, EventKind.ADMITTED
        else:
            start = max(cell.opened, ceremony + timedelta(days=1))
            spread = (ROLL_DAY - start).days
            joined = start + timedelta(days=int(spread * rng.random() ** 2))
            reason = EventKind.TRANSFERRED_IN
        story = Story(
            key=len(self.stories),
            entry=FOUNDING if founding else ROLL,
            cell=cell.code,
            female=female,
            birth=birth,
            admitted_on=admitted,
            joined_on=joined,
            join_reason=reason,
            recognized_on=full if full <= joined or full <= ROLL_DAY else None,
        )
        if story.recognized_on is None:
            decided = _workday(full + timedelta(days=rng.randint(3, 30)))
            story.steps.append(self._recognition(full, decided))
        admitted_by = "ĐUK" if admitted >= ROOT_FOUNDED else rng.choice(["HU", "TU", "ĐU", "ĐU"])
        story.decision_number = f"{rng.randint(12, 480)}-QĐ/{admitted_by}"
        return story

    def _roll_aged(self, cell: Cell, female: bool, low: float, high: float, on: date) -> Story:
        """Someone on the roll whose age on ``on`` lies between ``low`` and ``high``."""
        while True:
            birth = _born(on - _years(self.rng.uniform(low, high)))
            try:
                return self._roll(cell, female, birth)
            except ValueError:
                continue

    def _recognition(self, day: date, decided: date) -> Step:
        return Step(on=decided, action=RECOGNIZE, day=day, decision_date=decided)

    # --- flows ---------------------------------------------------------------------------

    def admissions(self) -> None:
        students = [c for c in self.cells.values() if c.student]
        for year, count in ADMISSIONS.items():
            planned: list[Cell | None] = []
            for cell in students:
                planned += [cell] * STUDENT_ADMISSIONS
            if year == 2020:
                planned += [self.cells[code] for code in self.small]
            planned += [None] * (count - len(planned))
            for cell in planned:
                self._admission(year, cell)

    def _admission(self, year: int, cell: Cell | None) -> None:
        rng = self.rng
        last = min(date(year, 12, 24), DEMO_TODAY - timedelta(days=40))
        if year == 2020 and rng.random() < EARLY_2020_SHARE:
            last = date(2020, 6, 10)  # rated in the 2020 review: six months before 15 December
        if cell is not None and cell.code in self.small:
            last = date(year, 9, 30)  # on the roll, still probationary, at the end of the year
        while True:
            decided = _workday(self._between(date(year, 1, 5), last))
            chosen = cell or self._pick(decided)
            female = self._female(chosen)
            age = rng.uniform(22.0, 23.5) if chosen.student else rng.triangular(22.3, 36, 26)
            ceremony = _workday(decided + timedelta(days=rng.randint(5, 25)))
            story = Story(
                key=len(self.stories),
                entry=ADMITTED,
                cell=chosen.code,
                female=female,
                birth=_born(decided - _years(age)),
                admitted_on=decided,
                joined_on=ceremony,
                join_reason=EventKind.ADMITTED,
                student=chosen.student,
            )
            full = ceremony + relativedelta(months=12)
            recognized = _workday(full + timedelta(days=rng.randint(3, 30)))
            if recognized <= DEMO_TODAY:
                story.steps.append(self._recognition(full, recognized))
            if chosen.student:
                self._graduation(story, ceremony)
            if cell is not None or self._fits(story):
                break
        self._add(story)
        if not chosen.student:
            self.movable[chosen.code].append(story)

    def _graduation(self, story: Story, ceremony: date) -> None:
        """Students admitted in their last years leave in the July after they graduate."""
        year = ceremony.year + (1 if ceremony.month >= 6 else self.rng.choice([0, 1]))
        letter = _workday(date(year, 7, self.rng.randint(1, 20)))
        if letter > DEMO_TODAY:
            return
        destination = (
            _residence(self.rng)
            if self.rng.random() < 0.6
            else f"Đảng ủy xã {self.rng.choice(_COMMUNES)} (nơi cư trú)"
        )
        self._leave(story, date(year, 6, 30), letter, destination, "Tốt nghiệp ra trường")

    def _leave(
        self, story: Story, effective: date, letter: date, outside: str, reason: str
    ) -> None:
        story.steps.append(
            Step(
                on=letter,
                action=OUT,
                day=letter,
                outside=outside,
                reason=reason,
                effective=effective,
            )
        )
        self._fix_recognition(story)

    def _fix_recognition(self, story: Story) -> None:
        """A recognition must be decided while the member is on a roll of the bloc: after the
        arrival if it falls during a transfer, not at all if the member has left."""
        step = story.recognition()
        if step is None or story.cell_on(step.on) is not None:
            return
        story.steps.remove(step)
        arrival = next(
            (s.day for s in story.ordered_steps() if s.action == RECEIVE and s.day >= step.on),
            None,
        )
        leaving = [s for s in story.steps if s.action == OUT and s.day <= step.on]
        if arrival is not None and leaving and leaving[-1].cell:
            decided = _workday(arrival + timedelta(days=self.rng.randint(5, 15)))
            if decided <= DEMO_TODAY:
                story.steps.append(self._recognition(step.day, decided))

    def arrivals(self) -> None:
        """Members arriving from party organizations outside the bloc (all admitted before
        2015, so that the bloc's admissions of 2015–2021 are its own)."""
        rng = self.rng
        for year, count in ARRIVALS.items():
            last = min(date(year, 12, 28), DEMO_TODAY - timedelta(days=10))
            for _ in range(count):
                while True:
                    day = _workday(self._between(date(year, 1, 5), last))
                    cell = self._pick(day)
                    female = self._female(cell)
                    birth = _born(day - _years(rng.triangular(25, 48, 32)))
                    first = birth + _years(19.5)
                    latest = min(birth + _years(36), date(2014, 11, 28))
                    if first > latest:
                        continue
                    admitted = _workday(self._between(first, latest))
                    ceremony = _workday(admitted + timedelta(days=rng.randint(5, 25)))
                    full = ceremony + relativedelta(months=12)
                    story = Story(
                        key=len(self.stories),
                        entry=ARRIVED,
                        cell=cell.code,
                        female=female,
                        birth=birth,
                        admitted_on=admitted,
                        joined_on=day,
                        join_reason=EventKind.TRANSFERRED_IN,
                        recognized_on=full if full <= day else None,
                        decision_number=(
                            f"{rng.randint(12, 480)}-QĐ/{rng.choice(['HU', 'ĐU', 'TU', 'ĐUK'])}"
                        ),
                    )
                    if story.recognized_on is None:
                        decided = _workday(max(full, day) + timedelta(days=rng.randint(5, 25)))
                        story.steps.append(self._recognition(full, decided))
                    if self._fits(story):
                        break
                self._add(story)
                self.movable[cell.code].append(story)

    def retirements(self) -> None:
        """Members reaching the retirement age move their activity to where they live."""
        rng = self.rng
        for year, count in RETIREMENTS.items():
            for _ in range(count):
                while True:
                    month = rng.randint(1, 12 if year < DEMO_TODAY.year else 6)
                    effective = date(year, month, 1)
                    cell = self._pick(effective)
                    female = self._female(cell)
                    reached = effective - relativedelta(months=1)
                    years, months = (55, 4) if female else (60, 3)
                    if year < 2021:
                        months = 0
                    birth = reached - relativedelta(years=years, months=months)
                    birth = birth.replace(day=rng.randint(1, 28))
                    if _retirement(birth, female) != effective:
                        continue
                    letter = _workday(effective + timedelta(days=rng.randint(2, 25)))
                    if letter > DEMO_TODAY:
                        continue
                    story = self._roll(cell, female, birth)
                    self._leave(
                        story,
                        effective,
                        letter,
                        _residence(rng),
                        "Nghỉ hưu, chuyển sinh hoạt đảng về nơi cư trú",
                    )
                    if self._fits(story):
                        break
                self._add(story)

    def _movable(self, cell: str, letter: date) -> Story | None:
        candidates = [
            s
            for s in self.movable[cell]
            if s.quiet() and s.joined_on <= letter - _years(1) and s.cell_on(letter) == cell
        ]
        if not candidates:
            return None
        story = self.rng.choice(candidates)
        self.movable[cell].remove(story)
        return story

    def job_moves(self) -> None:
        """Members moving to a job outside the bloc."""
        rng = self.rng
        for year, count in JOB_MOVES_OUT.items():
            last = min(date(year, 12, 20), DEMO_TODAY - timedelta(days=25))
            for _ in range(count):
                while True:
                    effective = _workday(self._between(date(year, 1, 5), last))
                    letter = _workday(effective + timedelta(days=rng.randint(2, 20)))
                    cell = self._pick(effective)
                    story = self._movable(cell.code, letter) if rng.random() < 0.3 else None
                    fresh = story is None
                    if story is None:
                        story = self._roll_aged(cell, self._female(cell), 28, 52, letter)
                    else:
                        self._withdraw(story)
                    destination = rng.choice(JOB_DESTINATIONS)
                    self._leave(story, effective, letter, destination, "Chuyển công tác")
                    if fresh and not self._fits(story):
                        continue
                    break
                if fresh:
                    self._add(story)
                else:
                    self._register(story)

    def internal_moves(self) -> None:
        """Members moving between cells of the bloc, some presenting their letter late."""
        rng = self.rng
        for year, count in INTERNAL_MOVES.items():
            last = min(date(year, 12, 15), DEMO_TODAY - timedelta(days=90))
            for _ in range(count):
                while True:
                    effective = _workday(self._between(date(year, 1, 5), last))
                    letter = _workday(effective + timedelta(days=rng.randint(2, 15)))
                    late = rng.random() < 0.15
                    wait = rng.randint(50, 75) if late else rng.randint(1, 14)
                    presented = _workday(letter + timedelta(days=wait))
                    source = self._pick(effective)
                    siblings = [
                        c.code
                        for c in self.cells.values()
                        if c.grassroots == source.grassroots
                        and c.code != source.code
                        and not c.student
                        and c.code not in self.small
                    ]
                    if siblings and rng.random() < 0.35:
                        target = self.cells[rng.choice(siblings)]
                    else:
                        target = self._pick(presented, exclude=source.code)
                    story = self._movable(source.code, letter) if rng.random() < 0.35 else None
                    fresh = story is None
                    if story is None:
                        story = self._roll_aged(source, self._female(source), 27, 52, letter)
                    else:
                        self._withdraw(story)
                    before = list(story.steps)
                    story.steps.append(
                        Step(
                            on=letter,
                            action=OUT,
                            day=letter,
                            cell=target.code,
                            reason=rng.choice(INTERNAL_REASONS),
                            effective=effective,
                        )
                    )
                    story.steps.append(
                        Step(
                            on=presented,
                            action=RECEIVE,
                            day=presented,
                            late_reason=(
                                rng.choice(
                                    LATE_REASONS + (["Nghỉ thai sản"] if story.female else [])
                                )
                                if late
                                else ""
                            ),
                        )
                    )
                    self._fix_recognition(story)
                    if self._fits(story):
                        break
                    story.steps = before
                    if not fresh:
                        self._register(story)
                        self.movable[source.code].append(story)
                if fresh:
                    self._add(story)
                else:
                    self._register(story)

    def exits(self) -> None:
        """Deaths, members leaving or struck off, one probationary member not recognized, and
        one member who left in 2015 readmitted three years later."""
        rng = self.rng
        plans: list[tuple[str, date, str]] = []
        for _ in range(DEATHS):
            day = self._between(date(2015, 2, 1), DEMO_TODAY - timedelta(days=20))
            cause = rng.choice(["bệnh hiểm nghèo", "bệnh hiểm nghèo", "tai nạn giao thông"])
            plans.append((EventKind.DIED, day, f"Từ trần do {cause}."))
        plans.append(
            (
                EventKind.LEFT,
                _workday(date(2015, 4, rng.randint(6, 24))),
                "Xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn.",
            )
        )
        plans.append(
            (
                EventKind.LEFT,
                _workday(date(2019, 9, rng.randint(3, 25))),
                "Xin ra khỏi Đảng vì lý do cá nhân.",
            )
        )
        for day, note in STRUCK_OFF:
            plans.append((EventKind.STRUCK_OFF, _workday(day), note))
        readmitted: Story | None = None
        for kind, day, note in plans:
            while True:
                cell = self._pick(day)
                female = self._female(cell)
                high = 59 if not female else 54
                low, high = (42, high) if kind == EventKind.DIED else (30, 50)
                story = self._roll_aged(cell, female, low, high, day)
                if story.quiet() and self._fits(story):
                    break
            recorded = day if kind != EventKind.DIED else _workday(day + timedelta(days=7))
            decided = kind != EventKind.DIED
            story.steps.append(
                Step(
                    on=recorded,
                    action=EVENT,
                    day=day,
                    kind=kind,
                    note=note,
                    decision_date=day if decided else None,
                    issuer=BLOC_ISSUER if decided else "",
                )
            )
            self._fix_recognition(story)
            if readmitted is None and kind == EventKind.LEFT:
                readmitted = story
            self._add(story)
        if readmitted is not None:
            self._readmission(readmitted)
        self._not_recognized()

    def _readmission(self, story: Story) -> None:
        """Readmitted once, more than 36 months after leaving (Quy định 29-QĐ/TW, mục 3.5),
        then a new probation of 12 months."""
        self._withdraw(story)
        left = story.steps[-1].day
        day = _workday(left + relativedelta(months=40))
        story.steps.append(
            Step(
                on=day,
                action=EVENT,
                day=day,
                kind=EventKind.READMITTED,
                cell=story.cell,
                number=f"{self.rng.randint(1200, 1900)}-QĐ/TU",
                decision_date=day,
                issuer=PROVINCE_ISSUER,
                note="Kết nạp lại vào Đảng; được xem xét vì hoàn cảnh gia đình khi ra khỏi Đảng.",
            )
        )
        full = day + relativedelta(months=12)
        story.steps.append(self._recognition(full, _workday(full + timedelta(days=12))))
        self._register(story)

    def _not_recognized(self) -> None:
        """A probationary member of 2018 not recognized: struck off the probationary list."""
        candidates = [
            s
            for s in self.stories
            if s.entry == ADMITTED
            and not s.student
            and s.admitted_on.year == 2018
            and s.recognition() is not None
            and len(s.steps) == 1
        ]
        story = self.rng.choice(candidates)
        self._withdraw(story)
        for stories in self.movable.values():
            if story in stories:
                stories.remove(story)
        full = story.steps.pop().day
        day = _workday(full + timedelta(days=self.rng.randint(10, 30)))
        story.steps.append(
            Step(
                on=day,
                action=EVENT,
                day=day,
                kind=EventKind.STRUCK_OFF,
                decision_date=day,
                issuer=BLOC_ISSUER,
                note="Không đủ tư cách đảng viên chính thức; xóa tên trong danh sách đảng viên "
                "dự bị.",
            )
        )
        self._register(story)

    def fill(self) -> None:
        """The members who stay: as many in each cell as its planned size at the end of 2020
        leaves after the flows."""
        rng = self.rng
        for code, cell in self.cells.items():
            missing = self.targets[code] - self.present[code]
            if missing < self._min_stayers(code):
                raise ValueError(f"Cell {code} has too many newcomers for its size")
            older = cell.unit in OLDER_UNITS
            for _ in range(missing):
                female = self._female(cell)
                high = {(True, True): 59.5, (True, False): 54.4, (False, True): 64.5}.get(
                    (female, older), 59.4
                )
                while True:
                    age = rng.triangular(26, high, 52 if older else 40)
                    birth = _born(END_2020 - _years(age))
                    if _retirement(birth, female) > DEMO_TODAY or older:
                        break
                self.stories.append(self._roll(cell, female, birth))

    def _stayers(self) -> list[Story]:
        return [
            s
            for s in self.stories
            if s.entry in (ROLL, FOUNDING) and not s.steps and s.recognized_on is not None
        ]

    def temporaries(self) -> None:
        """Temporary activity elsewhere: training courses, a secondment, a rotation; the last
        one is still under way on DEMO_TODAY."""
        rng = self.rng
        stayers = [s for s in self._stayers() if age_on(s.birth, DEMO_TODAY) < 50]
        plans = [
            (date(2015, 9, 7), 9, "", "Học viện Chính trị khu vực III", True),
            (date(2016, 8, 22), 10, "", "Học viện Chính trị khu vực III", True),
            (date(2017, 3, 6), 6, "cell", "", False),
            (date(2018, 2, 26), 11, "", "Đảng bộ huyện Tân Lập", False),
            (date(2018, 9, 10), 9, "", "Học viện Chính trị quốc gia Hồ Chí Minh", True),
            (date(2019, 10, 7), 8, "cell", "", False),
            (date(2020, 9, 14), 8, "", "Học viện Chính trị khu vực III", True),
            (date(2021, 3, 1), 9, "", "Đảng bộ thị xã Quảng An", False),
        ]
        for start, months, internal, outside, training in plans:
            story = rng.choice([s for s in stayers if s.joined_on < start - _years(1)])
            stayers.remove(story)
            host = self._pick(start, exclude=story.cell).code if internal else ""
            planned_end = start + relativedelta(months=months)
            letter = _workday(start - timedelta(days=rng.randint(3, 12)))
            course = "lớp Cao cấp lý luận chính trị" if training else ""
            reason = f"Học {course}" if training else "Biệt phái, luân chuyển có thời hạn"
            story.steps.append(
                Step(
                    on=letter,
                    action=TEMPORARY,
                    day=start,
                    cell=host,
                    outside=f"Chi bộ học viên {course}, {outside}" if training else outside,
                    reason=reason,
                    end=planned_end,
                    training=training,
                )
            )
            back = _workday(planned_end + timedelta(days=rng.randint(0, 10)))
            if back <= DEMO_TODAY:
                story.steps.append(Step(on=back, action=RETURN, day=back))
            story.trained = training

    def exemptions(self) -> None:
        rng = self.rng
        stayers = [s for s in self._stayers() if age_on(s.birth, DEMO_TODAY) >= 45]
        for year in EXEMPTION_YEARS:
            story = rng.choice(stayers)
            stayers.remove(story)
            day = _workday(date(year, rng.randint(1, 5), rng.randint(1, 28)))
            story.steps.append(
                Step(
                    on=day,
                    action=EVENT,
                    day=day,
                    kind=EventKind.EXEMPTED,
                    number=f"{rng.randint(1, 12):02d}-QĐ/CB",
                    decision_date=day,
                    issuer=self.cells[story.cell].name,
                    end=day + relativedelta(years=1) if rng.random() < 0.5 else None,
                    note="Miễn công tác và sinh hoạt đảng do ốm đau, điều trị dài ngày.",
                )
            )

    # --- the records ---------------------------------------------------------------------

    def people(self) -> None:
        self._roles()
        taken_ids: set[str] = set()
        for story in self.stories:
            self._personal(story, taken_ids)
        self._cards()
        self._numbers()

    def _roles(self) -> None:
        """Agency leaders, department heads and their deputies among those on the rolls on
        DEMO_TODAY (each cell groups a department; the first one the agency's leaders)."""
        rng = self.rng
        present: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            cell = story.cell_on(DEMO_TODAY)
            if cell:
                present[cell].append(story)

        def seniority(s: Story) -> float:
            return -age_on(s.birth, DEMO_TODAY) + rng.uniform(0, 10)

        def take(pool: list[Story], role: str, count: int, min_age: int) -> None:
            ranked = sorted((s for s in pool if s.role == "staff" and not s.student), key=seniority)
            for story in [s for s in ranked if age_on(s.birth, DEMO_TODAY) >= min_age][:count]:
                story.role = role

        grassroots: dict[str, list[Cell]] = defaultdict(list)
        for cell in self.cells.values():
            grassroots[cell.grassroots].append(cell)
        for cells in grassroots.values():
            total = sum(len(present[c.code]) for c in cells)
            if cells[0].has_agency:
                leaders = next(c for c in cells if c.leaders)
                deputies = 1 if total < 40 else 2 if total < 150 else 3
                take(present[leaders.code], "agency_head", 1, 40)
                take(present[leaders.code], "agency_deputy", deputies, 36)
            for cell in cells:
                pool = present[cell.code]
                if cell.in_committee and cell_titles(cell.name) is not None:
                    take(pool, "head", 1, 32)
                    take(pool, "deputy", 2 if len(pool) >= 15 else 1 if len(pool) >= 6 else 0, 28)
                elif not cell.in_committee and len(pool) >= 10:  # a grassroots cell's offices
                    take(pool, "head", 1, 32)
                    take(pool, "deputy", 1 if len(pool) >= 15 else 0, 28)

    def _personal(self, story: Story, taken_ids: set[str]) -> None:
        rng = self.rng
        cell = self.cells[story.last_cell()]
        if rng.random() < MINORITY_SHARE:
            ethnicity = rng.choice(MINORITIES)
            province = rng.choice(ETHNIC_PROVINCES[ethnicity])
        else:
            ethnicity, province = "Kinh", rng.choice(_KINH_PROVINCES)
        religion = ""
        draw = rng.random()
        if ethnicity == "Khơ-me":
            religion = "Phật giáo" if draw < 0.8 else ""
        elif ethnicity == "Hoa":
            religion = "Phật giáo" if draw < 0.4 else ""
        elif ethnicity == "Kinh":
            religion = "Phật giáo" if draw < 0.02 else "Công giáo" if draw < 0.03 else ""
        century = 2 * ((story.birth.year - 1900) // 100) % 10 + int(story.female)
        while True:
            national_id = (
                f"{province}{century}{story.birth.year % 100:02d}{rng.randrange(10**6):06d}"
            )
            if national_id not in taken_ids:
                taken_ids.add(national_id)
                break
        label = "thành phố" if province in _CITIES else "tỉnh"
        northern = int(province) <= 40
        position, qualification, theory = self._trade(story, cell)
        story.personal = {
            "full_name": member_name(rng, female=story.female, ethnicity=ethnicity),
            "birth_date": story.birth,
            "gender": Gender.FEMALE if story.female else Gender.MALE,
            "ethnicity": ethnicity,
            "religion": religion,
            "national_id": national_id,
            "hometown": f"Xã {rng.choice(_COMMUNES)}, {label} {PROVINCE_CODES[province]}",
            "education": "10/10" if northern and story.birth.year < 1965 else "12/12",
            "qualification": qualification,
            "theory_level": theory,
            "position": position,
            "agency": cell.grassroots if cell.has_agency else None,
            "phone": (
                f"{rng.choice(_PHONE_PREFIXES)}{rng.randrange(10**7):07d}"
                if rng.random() < 0.85
                else ""
            ),
        }

    def _trade(self, story: Story, cell: Cell) -> tuple[str, str, str]:
        """Position, professional qualification and political theory level."""
        rng = self.rng
        if story.student:
            return "Sinh viên", "", TheoryLevel.NONE
        sector = sector_of(cell.unit)
        age = age_on(story.birth, min(DEMO_TODAY, story.stints()[-1][2] or DEMO_TODAY))
        head, deputy = agency_titles(cell.unit)
        department = cell_titles(cell.name) if cell.in_committee else None
        staff = _OFFICE_STAFF if cell.unit.startswith(_OFFICE_PREFIXES) else sector.staff
        if story.role == "agency_head":
            position = head
        elif story.role == "agency_deputy":
            position = deputy
        elif story.role == "head":
            position = department[0] if department else "Trưởng phòng Hành chính - Tổng hợp"
        elif story.role == "deputy":
            position = department[1] if department else "Phó Trưởng phòng Nghiệp vụ"
        else:
            position = rng.choice(staff)
            if position.endswith(" chính") and age < 38:
                position = position.removesuffix(" chính")
        if story.trained:
            theory = TheoryLevel.ADVANCED
        elif story.role in THEORY_BY_ROLE:
            theory = rng.choice(THEORY_BY_ROLE[story.role])
        else:
            theory = rng.choice(THEORY_BY_ROLE["young" if age < 30 else "staff"])
        choices = POSITION_QUALIFICATIONS.get(position, sector.qualifications)
        if age < 27:
            junior = [q for q in choices if not q.startswith(_SENIOR_DEGREES)]
            choices = tuple(junior) or choices
        if story.role in ("agency_head", "agency_deputy", "head"):
            higher = [q for q in choices if q.startswith(("Thạc sĩ", "Tiến sĩ"))]
            if higher and rng.random() < 0.6:
                choices = tuple(higher)
        qualification = rng.choice(choices)
        return position, qualification, str(theory)

    def _cards(self) -> None:
        """Party card numbers, in the order cards were issued (after the recognition)."""
        dated = [(s.full_from(), s.key, s) for s in self.stories if s.full_from() is not None]
        serial = 10_000
        for _, _, story in sorted(dated, key=lambda item: (item[0], item[1])):
            serial += self.rng.randint(1, 17)
            story.personal["card_number"] = f"{CARD_PREFIX}{serial:06d}"

    def _numbers(self) -> None:
        """Decision and letter numbers of the bloc, numbered through each year in date order."""
        decisions: list[tuple[date, int, Any]] = []
        letters: list[tuple[date, int, Step]] = []
        for story in self.stories:
            if story.entry == ADMITTED:
                decisions.append((story.admitted_on, story.key, story))
            for step in story.steps:
                if step.action == RECOGNIZE or (
                    step.action == EVENT and step.issuer == BLOC_ISSUER
                ):
                    decisions.append((step.on, story.key, step))
                elif step.action in (OUT, TEMPORARY):
                    letters.append((step.on, story.key, step))
        for items, suffix in ((decisions, "QĐ/ĐUK"), (letters, "GGT/ĐUK")):
            year, number = 0, 0
            for day, _, target in sorted(items, key=lambda item: (item[0], item[1])):
                if day.year != year:
                    year, number = day.year, self.rng.randint(2, 9)
                number += self.rng.randint(1, 3)
                if isinstance(target, Story):
                    target.decision_number = f"{number}-{suffix}"
                else:
                    target.number = f"{number}-{suffix}"


def plan_members(spec: OrgSpec) -> Plan:
    """The members of the demo bloc and their history, as plain data (no database)."""
    planner = _Planner(spec)
    planner.admissions()
    planner.exits()
    planner.retirements()
    planner.arrivals()
    planner.job_moves()
    planner.internal_moves()
    planner.fill()
    planner.temporaries()
    planner.exemptions()
    planner.people()
    return Plan(planner.cells, planner.targets, planner.small, planner.stories)


# --- playing the plan through the services ------------------------------------------------


def load_members(*, actor: Actor, spec: OrgSpec) -> int:
    """Put the planned members on the rolls and record their history; return how many."""
    plan = plan_members(spec)
    root = Organization.objects.unscoped().get(code=spec.code)
    orgs = {o.code: o for o in Organization.objects.unscoped().filter(path__startswith=root.path)}
    agencies = {
        a.organization.code: a
        for a in Agency.objects.unscoped()
        .filter(organization__path__startswith=root.path)
        .select_related("organization")
    }
    created: dict[int, list[Story]] = defaultdict(list)
    for story in plan.stories:
        created[max(story.joined_on.year, ROLL_DAY.year)].append(story)
    steps: dict[int, list[tuple[date, int, int, Story, Step]]] = defaultdict(list)
    for story in plan.stories:
        for index, step in enumerate(story.ordered_steps()):
            steps[step.on.year].append((step.on, story.key, index, story, step))
    player = _Player(actor, orgs)
    for year in range(ROLL_DAY.year, DEMO_TODAY.year + 1):
        batch = created[year]
        if batch:
            rows = [
                member_services.NewMember(
                    organization=orgs[s.cell],
                    admitted_on=s.admitted_on,
                    joined_on=s.joined_on,
                    recognized_on=s.recognized_on,
                    join_reason=s.join_reason,
                    decision_number=s.decision_number,
                    personal={**s.personal, "agency": agencies.get(s.personal["agency"] or "")},
                )
                for s in batch
            ]
            source = (
                f"Dữ liệu mẫu: danh sách đảng viên đến {ROLL_DAY:%d/%m/%Y}"
                if year == ROLL_DAY.year
                else f"Dữ liệu mẫu: kết nạp và chuyển đến năm {year}"
            )
            members = member_services.member_bulk_create(actor=actor, rows=rows, source=source)
            for story, member in zip(batch, members, strict=True):
                player.members[story.key] = member
        for *_, story, step in sorted(steps[year], key=lambda item: item[:3]):
            player.play(story, step)
    return len(plan.stories)


class _Player:
    def __init__(self, actor: Actor, orgs: dict[str, Organization]) -> None:
        self.actor, self.orgs = actor, orgs
        self.members: dict[int, Member] = {}
        self.transfers: dict[int, Transfer] = {}

    def play(self, story: Story, step: Step) -> None:
        actor, member = self.actor, self.members[story.key]
        if step.action == RECOGNIZE:
            member_services.event_record(
                actor=actor,
                member=member,
                kind=EventKind.RECOGNIZED,
                date=step.day,
                decision_number=step.number,
                decision_date=step.decision_date,
                issuer=BLOC_ISSUER,
            )
        elif step.action == EVENT:
            member_services.event_record(
                actor=actor,
                member=member,
                kind=step.kind,
                date=step.day,
                decision_number=step.number,
                decision_date=step.decision_date,
                issuer=step.issuer,
                note=step.note,
                end_date=step.end,
                organization=self.orgs[step.cell] if step.cell else None,
            )
        elif step.action == OUT:
            transfer, _ = member_services.transfer_out(
                actor=actor,
                member=member,
                effective_on=step.effective or step.day,
                letter_date=step.day,
                letter_number=step.number,
                to_organization=self.orgs[step.cell] if step.cell else None,
                outside=step.outside,
                reason=step.reason,
            )
            self.transfers[story.key] = transfer
        elif step.action == RECEIVE:
            member_services.transfer_receive(
                actor=actor,
                transfer=self.transfers.pop(story.key),
                presented_on=step.day,
                late_reason=step.late_reason,
            )
        elif step.action == TEMPORARY:
            self.transfers[story.key] = member_services.transfer_temporary(
                actor=actor,
                member=member,
                start=step.day,
                planned_end=step.end or step.day,
                letter_date=step.on,
                letter_number=step.number,
                to_organization=self.orgs[step.cell] if step.cell else None,
                outside=step.outside,
                reason=step.reason,
                training=step.training,
            )
        elif step.action == RETURN:
            member_services.transfer_return(
                actor=actor, transfer=self.transfers.pop(story.key), returned_on=step.day
            )
        else:
            raise ValueError(f"Unknown step {step.action!r}")
