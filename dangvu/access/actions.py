"""The catalogue of actions a role can bundle: ``<app>.<verb>`` → Vietnamese label.

Every scoped view, API endpoint and service names one of these; a grant of a role on an
organization allows the role's actions on that organization and everything below it.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "orgs.view": "Xem tổ chức, cơ quan, cấp ủy",
    "orgs.add": "Tạo tổ chức, cơ quan, nhiệm kỳ",
    "orgs.change": "Sửa tổ chức, cơ quan, cấp ủy",
    "orgs.move": "Chuyển tổ chức sang tổ chức cấp trên khác",
    "members.view": "Xem hồ sơ đảng viên",
    "members.add": "Thêm đảng viên vào danh sách",
    "members.change": "Sửa hồ sơ, ghi sự kiện của đảng viên",
    "members.transfer": "Chuyển sinh hoạt đảng",
    "members.import": "Nhập danh sách đảng viên từ tệp",
    "members.export": "Xuất danh sách đảng viên",
    "reviews.view": "Xem kết quả xếp loại chất lượng",
    "reviews.rate": "Ghi, đề xuất mức xếp loại chất lượng",
    "reviews.decide": "Quyết định xếp loại chất lượng (cấp có thẩm quyền)",
    "audit.view": "Xem nhật ký thay đổi",
    "access.manage": "Phân quyền người dùng",
}


def label(action: str) -> str:
    return ACTIONS[action]


def is_known(action: str) -> bool:
    return action in ACTIONS
