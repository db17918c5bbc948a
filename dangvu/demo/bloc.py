"""The demo bloc: "Đảng bộ Khối các cơ quan tỉnh" (code DUK), a fictional province's agencies bloc.

72 grassroots organizations in 2020 (45 grassroots committees, 27 grassroots cells), 283 cells
under the committees, 3 partial committees, 68 agencies and units, and the committees of the
2015–2020 and 2020–2025 terms. Sizes follow the agencies blocs of several provinces (60–130
grassroots organizations, 250–400 cells, 4,000–6,500 members). Built
through the services, with a seeded generator, so a second load builds the same bloc.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

ROOT_CODE = "DUK"
ROOT_NAME = "Đảng bộ Khối các cơ quan tỉnh"
ROOT_FOUNDED = date(2008, 3, 1)
SEED = 2020

# Agencies whose party organization is a grassroots committee, with their number of cells.
COMMITTEE_AGENCIES: list[tuple[str, int]] = [
    ("Văn phòng Tỉnh ủy", 7),
    ("Ban Tổ chức Tỉnh ủy", 5),
    ("Ban Tuyên giáo Tỉnh ủy", 5),
    ("Ủy ban Kiểm tra Tỉnh ủy", 5),
    ("Văn phòng Ủy ban nhân dân tỉnh", 7),
    ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", 5),
    ("Sở Nội vụ", 7),
    ("Sở Tài chính", 7),
    ("Sở Kế hoạch và Đầu tư", 6),
    ("Sở Tư pháp", 5),
    ("Sở Công Thương", 7),
    ("Sở Nông nghiệp và Phát triển nông thôn", 11),
    ("Sở Giao thông vận tải", 7),
    ("Sở Xây dựng", 6),
    ("Sở Tài nguyên và Môi trường", 7),
    ("Sở Thông tin và Truyền thông", 5),
    ("Sở Lao động - Thương binh và Xã hội", 7),
    ("Sở Văn hóa, Thể thao và Du lịch", 9),
    ("Sở Khoa học và Công nghệ", 5),
    ("Sở Giáo dục và Đào tạo", 8),
    ("Sở Y tế", 7),
    ("Thanh tra tỉnh", 5),
    ("Bệnh viện Đa khoa tỉnh", 0),  # cells under two partial committees, below
    ("Bệnh viện Y học cổ truyền tỉnh", 6),
    ("Bệnh viện Lao và Bệnh phổi tỉnh", 5),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", 6),
    ("Trường Chính trị tỉnh", 6),
    ("Trường Đại học tỉnh", 8),  # and one partial committee, below
    ("Trường Cao đẳng Y tế", 6),
    ("Trường Cao đẳng Kỹ thuật", 6),
    ("Báo tỉnh", 6),
    ("Đài Phát thanh và Truyền hình tỉnh", 8),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", 5),
    ("Liên đoàn Lao động tỉnh", 5),
    ("Tỉnh đoàn", 5),
    ("Hội Liên hiệp Phụ nữ tỉnh", 5),
    ("Hội Nông dân tỉnh", 5),
    ("Bảo hiểm xã hội tỉnh", 7),
    ("Kho bạc Nhà nước tỉnh", 6),
    ("Ban Quản lý các khu công nghiệp tỉnh", 5),
    ("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng", 5),
    ("Quỹ Đầu tư phát triển tỉnh", 4),
    ("Trung tâm Phục vụ hành chính công tỉnh", 4),
    ("Vườn quốc gia", 6),
    ("Công ty TNHH MTV Xổ số kiến thiết tỉnh", 4),
]

# Agencies whose party organization is a grassroots cell (no cells below).
CELL_AGENCIES: list[str] = [
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Báo cáo viên Tỉnh ủy",
    "Sở Ngoại vụ",
    "Ban Dân tộc tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Hội Chữ thập đỏ tỉnh",
    "Liên minh Hợp tác xã tỉnh",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
    "Hội Văn học Nghệ thuật tỉnh",
    "Hội Nhà báo tỉnh",
    "Hội Luật gia tỉnh",
    "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
    "Trung tâm Lưu trữ lịch sử tỉnh",
    "Thư viện tỉnh",
    "Bảo tàng tỉnh",
    "Nhà hát Nghệ thuật truyền thống tỉnh",
    "Trung tâm Công nghệ thông tin và Truyền thông",
    "Trung tâm Khuyến nông tỉnh",
    "Chi cục Kiểm lâm tỉnh",
    "Chi cục Thủy lợi",
    "Trung tâm Y tế dự phòng cũ",
    "Trung tâm Giám định y khoa",
    "Trung tâm Pháp y tỉnh",
    "Quỹ Bảo vệ môi trường tỉnh",
    "Trung tâm Dịch vụ việc làm tỉnh",
    "Cơ sở cai nghiện ma túy tỉnh",
]

# Agencies that no longer have a unit of their own (their grassroots cell remains).
CELLS_WITHOUT_AGENCY = {
    "Báo cáo viên Tỉnh ủy",
    "Trung tâm Y tế dự phòng cũ",
    "Chi cục Thủy lợi",
    "Quỹ Bảo vệ môi trường tỉnh",
}

CELL_NAMES = [
    "Văn phòng",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch - Tài chính",
    "Thanh tra",
    "Phòng Nghiệp vụ 1",
    "Phòng Nghiệp vụ 2",
    "Phòng Nghiệp vụ 3",
    "Phòng Pháp chế",
    "Trung tâm trực thuộc",
    "Chi cục trực thuộc",
    "Phòng Quản lý chuyên ngành",
    "Ban Quản lý dự án",
]
HOSPITAL_BLOCKS = {
    "Khối Nội": [
        "Khoa Nội tổng hợp",
        "Khoa Tim mạch",
        "Khoa Nhi",
        "Khoa Truyền nhiễm",
        "Khoa Hồi sức tích cực",
    ],
    "Khối Ngoại": [
        "Khoa Ngoại tổng hợp",
        "Khoa Chấn thương chỉnh hình",
        "Khoa Gây mê hồi sức",
        "Khoa Sản",
        "Khoa Mắt",
    ],
}
UNIVERSITY_BLOCK = ("Sinh viên", ["Sinh viên khóa 1", "Sinh viên khóa 2", "Sinh viên khóa 3"])
HOSPITAL_CELLS = [
    "Phòng Hành chính - Quản trị",
    "Phòng Kế hoạch tổng hợp",
    "Khoa Dược",
    "Khoa Xét nghiệm",
]
UNIVERSITY_CELLS = [
    "Khoa Kinh tế",
    "Khoa Sư phạm",
    "Khoa Kỹ thuật",
    "Khoa Nông - Lâm",
    "Khoa Ngoại ngữ",
    "Phòng Đào tạo",
    "Phòng Tổ chức - Hành chính",
    "Thư viện",
]


@dataclass
class OrgSpec:
    code: str
    name: str
    kind: str
    valid_from: date
    agency: str = ""
    children: list[OrgSpec] = field(default_factory=list)


def _founded(rng: random.Random, earliest: date, latest: date) -> date:
    return earliest + timedelta(days=rng.randrange((latest - earliest).days))


def bloc_spec() -> OrgSpec:
    """The whole demo tree as plain data (no database), the same on every call."""
    rng = random.Random(SEED)
    root = OrgSpec(ROOT_CODE, ROOT_NAME, "above_grassroots", ROOT_FOUNDED)
    grassroots: list[OrgSpec] = []
    for agency, n_cells in COMMITTEE_AGENCIES:
        org = OrgSpec(
            "",
            f"Đảng bộ {agency}",
            "grassroots_committee",
            _founded(rng, date(2008, 3, 1), date(2014, 12, 31)),
            agency,
        )
        if agency == "Bệnh viện Đa khoa tỉnh":
            for block, cells in HOSPITAL_BLOCKS.items():
                org.children.append(
                    OrgSpec(
                        "",
                        f"Đảng bộ bộ phận {block}",
                        "partial_committee",
                        org.valid_from,
                        children=[
                            OrgSpec("", f"Chi bộ {c}", "cell", org.valid_from) for c in cells
                        ],
                    )
                )
            org.children += [
                OrgSpec("", f"Chi bộ {c}", "cell", org.valid_from) for c in HOSPITAL_CELLS
            ]
        elif agency == "Trường Đại học tỉnh":
            org.children += [
                OrgSpec("", f"Chi bộ {c}", "cell", org.valid_from)
                for c in UNIVERSITY_CELLS[:n_cells]
            ]
            block, cells = UNIVERSITY_BLOCK
            org.children.append(
                OrgSpec(
                    "",
                    f"Đảng bộ bộ phận {block}",
                    "partial_committee",
                    org.valid_from,
                    children=[OrgSpec("", f"Chi bộ {c}", "cell", org.valid_from) for c in cells],
                )
            )
        else:
            org.children += [
                OrgSpec("", f"Chi bộ {c}", "cell", org.valid_from) for c in CELL_NAMES[:n_cells]
            ]
        grassroots.append(org)
    for agency in CELL_AGENCIES:
        grassroots.append(
            OrgSpec(
                "",
                f"Chi bộ {agency}",
                "grassroots_cell",
                _founded(rng, date(2008, 3, 1), date(2019, 6, 30)),
                "" if agency in CELLS_WITHOUT_AGENCY else agency,
            )
        )
    rng.shuffle(grassroots)
    grassroots.sort(key=lambda o: o.kind != "grassroots_committee")  # committees first, stable
    for i, org in enumerate(grassroots, start=1):
        org.code = f"{ROOT_CODE}-{i:03d}"
        _number(org)
    root.children = grassroots
    return root


def _number(org: OrgSpec) -> None:
    cell_no = block_no = 0
    for child in org.children:
        if child.kind == "partial_committee":
            block_no += 1
            child.code = f"{org.code}-B{block_no}"
        else:
            cell_no += 1
            child.code = f"{org.code}-{cell_no:02d}"
        _number(child)


def walk(spec: OrgSpec, parent_code: str | None = None):  # type: ignore[no-untyped-def]
    """(parent code, spec) for every node, parents before children."""
    yield parent_code, spec
    for child in spec.children:
        yield from walk(child, spec.code)
