"""Choices shared by the member models, imports and exports."""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class MemberStatus(models.TextChoices):
    """Derived from events, never typed in (see ``Member.status_on``)."""

    PROBATIONARY = "probationary", "Đảng viên dự bị"
    FULL = "full", "Đảng viên chính thức"


class EventKind(models.TextChoices):
    ADMITTED = "admitted", "Kết nạp"
    RECOGNIZED = "recognized", "Công nhận đảng viên chính thức"
    TRANSFERRED_IN = "transferred_in", "Chuyển sinh hoạt đến"
    TRANSFERRED_OUT = "transferred_out", "Chuyển sinh hoạt đi"
    TEMPORARY_OUT = "temporary_out", "Sinh hoạt tạm thời nơi khác"
    TEMPORARY_BACK = "temporary_back", "Trở lại sau sinh hoạt tạm thời"
    EXEMPTED = "exempted", "Miễn công tác và sinh hoạt đảng"
    SUSPENDED = "suspended", "Đình chỉ sinh hoạt đảng"
    STRUCK_OFF = "struck_off", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    LEFT = "left", "Ra khỏi Đảng"
    DIED = "died", "Từ trần"
    READMITTED = "readmitted", "Kết nạp lại"


# Events after which the person is no longer a member (their stint ends that day).
EXIT_KINDS = (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.LEFT, EventKind.DIED)
# Exits after which the time outside the Party is deducted from party age if readmitted.
GAP_KINDS = (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.LEFT)


class TransferKind(models.TextChoices):
    OFFICIAL = "official", "Chuyển sinh hoạt chính thức"
    TEMPORARY = "temporary", "Chuyển sinh hoạt tạm thời"


class TransferState(models.TextChoices):
    IN_TRANSIT = "in_transit", "Đang chuyển"
    COMPLETED = "completed", "Đã đến"
    RETURNED = "returned", "Đã trở lại"
    CANCELLED = "cancelled", "Đã hủy"


class TheoryLevel(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class StintEnd(models.TextChoices):
    TRANSFERRED = "transferred", "Chuyển sinh hoạt"
    EXIT = "exit", "Ra khỏi Đảng, từ trần"
    CORRECTION = "correction", "Sửa sai"


# The 54 ethnic groups of Vietnam (Quyết định 121-TCTK/PPCĐ 1979), in the official order.
ETHNICITIES = [
    "Kinh",
    "Tày",
    "Thái",
    "Hoa",
    "Khơ-me",
    "Mường",
    "Nùng",
    "Hmông",
    "Dao",
    "Gia-rai",
    "Ngái",
    "Ê-đê",
    "Ba-na",
    "Xơ-đăng",
    "Sán Chay",
    "Cơ-ho",
    "Chăm",
    "Sán Dìu",
    "Hrê",
    "Mnông",
    "Ra-glai",
    "Xtiêng",
    "Bru-Vân Kiều",
    "Thổ",
    "Giáy",
    "Cơ-tu",
    "Gié-Triêng",
    "Mạ",
    "Khơ-mú",
    "Co",
    "Tà-ôi",
    "Chơ-ro",
    "Kháng",
    "Xinh-mun",
    "Hà Nhì",
    "Chu-ru",
    "Lào",
    "La Chí",
    "La Ha",
    "Phù Lá",
    "La Hủ",
    "Lự",
    "Lô Lô",
    "Chứt",
    "Mảng",
    "Pà Thẻn",
    "Cơ Lao",
    "Cống",
    "Bố Y",
    "Si La",
    "Pu Péo",
    "Brâu",
    "Ơ-đu",
    "Rơ-măm",
]
