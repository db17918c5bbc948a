"""Audit action codes (``<app>.<entity>.<verb>``) with the Vietnamese label the log shows.

``audit.record`` refuses a code that is not registered here, so the log never holds a code
nobody can read.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "orgs.organization.create": "Tạo tổ chức đảng",
    "orgs.organization.update": "Sửa tổ chức đảng",
    "orgs.organization.move": "Chuyển tổ chức đảng",
    "orgs.agency.create": "Tạo cơ quan, đơn vị",
    "orgs.agency.update": "Sửa cơ quan, đơn vị",
    "orgs.term.create": "Tạo nhiệm kỳ",
    "orgs.seat.create": "Bầu, chỉ định cấp ủy viên",
    "orgs.seat.end": "Kết thúc chức vụ cấp ủy",
    "members.member.create": "Thêm đảng viên",
    "members.member.update": "Sửa hồ sơ đảng viên",
    "members.event.record": "Ghi sự kiện của đảng viên",
    "members.transfer.out": "Chuyển sinh hoạt đảng đi",
    "members.transfer.receive": "Nhận đảng viên chuyển sinh hoạt đến",
    "members.transfer.temporary": "Chuyển sinh hoạt tạm thời",
    "members.transfer.return": "Trở lại sau sinh hoạt tạm thời",
    "members.import": "Nhập danh sách đảng viên",
    "members.export": "Xuất danh sách đảng viên",
    "reviews.rating.set": "Ghi mức xếp loại chất lượng",
    "reviews.rating.propose": "Đề xuất mức xếp loại chất lượng",
    "reviews.rating.decide": "Quyết định xếp loại chất lượng",
    "reviews.rating.rerate": "Xếp loại lại (sau quyết định)",
    "reviews.title.grant": "Công nhận TSVM tiêu biểu",
    "access.grant.create": "Phân quyền",
    "access.grant.delete": "Thu hồi quyền",
    "access.user.create": "Tạo tài khoản",
    "access.user.password": "Đặt lại mật khẩu",
    "core.calendar_day.set": "Khai báo ngày nghỉ, ngày làm bù",
    "core.calendar_day.delete": "Bỏ khai báo ngày nghỉ, ngày làm bù",
    "demo.load": "Nạp dữ liệu mẫu",
}


def label(code: str) -> str:
    return LABELS.get(code, code)
