"""The member pages: search, filters, the profile, the forms, transfers, scoping."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from dangvu.core.testing import World
from dangvu.members import services
from dangvu.members.models import Member, Transfer
from dangvu.members.tests.factories import make_member
from dangvu.orgs.models import Organization


def add_member(
    organization: Organization,
    full_name: str,
    *,
    admitted_on: date = date(2010, 5, 19),
    recognized: bool = True,
    **personal: Any,
) -> Member:
    """A member on ``organization``'s roll since admission, full a year later unless not."""
    return make_member(
        organization,
        full_name,
        admitted_on=admitted_on,
        recognized_on=admitted_on + timedelta(days=365) if recognized else None,
        **personal,
    )


def names(response: Any) -> list[str]:
    return [m.full_name for m in response.context["members"]]


# --- list and search -----------------------------------------------------------------------

TONES = [
    "Nguyễn Thị Đào",  # ngã, nặng, huyền, đ
    "Đặng Văn Hải",  # Đ, nặng, hỏi
    "Lê Thị Ánh",  # sắc
    "Phạm Quốc Dũng",  # nặng, sắc, ngã
    "Vũ Thị Mỹ",  # ngã
    "Trần Văn Bình",  # huyền, no tone
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen thi dao", ["Nguyễn Thị Đào"]),
        ("dao", ["Nguyễn Thị Đào"]),
        ("DAO", ["Nguyễn Thị Đào"]),
        ("Đào", ["Nguyễn Thị Đào"]),
        ("nguyen dao", ["Nguyễn Thị Đào"]),
        ("dang van hai", ["Đặng Văn Hải"]),
        ("ĐẶNG", ["Đặng Văn Hải"]),
        ("hai", ["Đặng Văn Hải"]),
        ("anh", ["Lê Thị Ánh"]),
        ("my", ["Vũ Thị Mỹ"]),
        ("pham quoc dung", ["Phạm Quốc Dũng"]),
        ("binh", ["Trần Văn Bình"]),
        # đ folds to d; the family name or the given name may start with it (d before đ)
        ("d", ["Phạm Quốc Dũng", "Nguyễn Thị Đào", "Đặng Văn Hải"]),
        ("xuan", []),
    ],
)
def test_search_ignores_diacritics_and_tones(
    world: World, client: Any, query: str, expected: list[str]
) -> None:
    for name in TONES:
        add_member(world.n1, name)
    client.force_login(world.north_manager)
    assert names(client.get(reverse("members:list"), {"q": query})) == expected


def test_search_by_national_id_and_card_number(world: World, client: Any) -> None:
    dao = add_member(world.n1, "Nguyễn Thị Đào", gender="F", card_number="093456")
    add_member(world.n1, "Lê Văn Tám", card_number="093999")
    client.force_login(world.north_manager)
    assert names(client.get(reverse("members:list"), {"q": dao.national_id})) == [dao.full_name]
    assert names(client.get(reverse("members:list"), {"q": "093456"})) == [dao.full_name]
    assert len(names(client.get(reverse("members:list"), {"q": "0934"}))) == 1
    assert len(names(client.get(reverse("members:list"), {"q": "093"}))) == 2


def test_list_is_in_vietnamese_order_given_name_first(world: World, client: Any) -> None:
    for name in ["Phạm Văn Đức", "Nguyễn Văn Bình", "Trần Thị An", "Hoàng Văn Dũng", "Lê Đức Anh"]:
        add_member(world.n1, name)
    add_member(world.n2, "Vũ Thị Ánh")
    client.force_login(world.north_manager)
    assert names(client.get(reverse("members:list"))) == [
        "Trần Thị An",
        "Lê Đức Anh",
        "Vũ Thị Ánh",
        "Nguyễn Văn Bình",
        "Hoàng Văn Dũng",
        "Phạm Văn Đức",
    ]


def test_filters(world: World, client: Any) -> None:
    today = timezone.localdate()
    add_member(world.n1, "Lò Văn Páo", ethnicity="Thái", birth_date=date(1960, 1, 5))
    add_member(
        world.n1,
        "Nguyễn Thị Hoa",
        gender="F",
        birth_date=today - relativedelta(years=25),
        admitted_on=today - relativedelta(months=6),
        recognized=False,
    )
    add_member(world.n2, "Trần Văn Nam", admitted_on=date(2000, 2, 3))
    gone = add_member(world.n2, "Đỗ Văn Cường")
    services.event_record(actor=world.superuser, member=gone, kind="died", date=date(2023, 1, 2))
    add_member(world.s1, "Hà Văn Sơn", birth_date=today - relativedelta(years=45))
    client.force_login(world.hq_admin)
    url = reverse("members:list")

    def found(**params: Any) -> set[str]:
        return set(names(client.get(url, params)))

    assert found() == {"Lò Văn Páo", "Nguyễn Thị Hoa", "Trần Văn Nam", "Hà Văn Sơn"}
    assert found(organization=world.north.pk) == {"Lò Văn Páo", "Nguyễn Thị Hoa", "Trần Văn Nam"}
    assert found(organization=world.n2.pk) == {"Trần Văn Nam"}
    assert found(status="probationary") == {"Nguyễn Thị Hoa"}
    assert found(status="full") == {"Lò Văn Páo", "Trần Văn Nam", "Hà Văn Sơn"}
    assert found(status="exited") == {"Đỗ Văn Cường"}
    assert found(gender="F") == {"Nguyễn Thị Hoa"}
    assert found(age="18-30") == {"Nguyễn Thị Hoa"}
    assert found(age="61-") == {"Lò Văn Páo"}
    assert found(age="41-50", organization=world.s1.pk) == {"Hà Văn Sơn"}
    assert found(ethnicity="Thái") == {"Lò Văn Páo"}
    assert found(admitted_to="2005-01-01") == {"Trần Văn Nam"}
    assert found(admitted_from=str(today - relativedelta(years=1))) == {"Nguyễn Thị Hoa"}


def test_a_filter_outside_the_scope_is_refused_not_ignored(world: World, client: Any) -> None:
    add_member(world.n1, "Lê Văn Tám")
    client.force_login(world.n1_clerk)
    response = client.get(reverse("members:list"), {"organization": world.s1.pk})
    assert names(response) == []
    assert "Tổ chức: Hãy chọn một lựa chọn hợp lệ." in response.content.decode()


def test_national_ids_are_masked_in_lists_and_full_on_the_profile(
    world: World, client: Any
) -> None:
    member = add_member(world.n1, "Nguyễn Thị Đào", gender="F", national_id="045180000123")
    client.force_login(world.north_manager)
    page = client.get(reverse("members:list")).content.decode()
    assert "045•••••0123" in page and "045180000123" not in page
    roster = client.get(reverse("members:as_of"), {"org": world.n1.pk}).content.decode()
    assert "045•••••0123" in roster and "045180000123" not in roster
    profile = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "045180000123" in profile


def test_htmx_gets_only_the_results_and_pages_hold_50(world: World, client: Any) -> None:
    for i in range(51):
        add_member(world.n1, f"Nguyễn Văn Số{i:02d}")
    client.force_login(world.north_manager)
    response = client.get(
        reverse("members:list"),
        {"q": "nguyen"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="member-results",
    )
    html = response.content.decode()
    assert "<html" not in html and "51 đảng viên" in html
    assert len(response.context["members"]) == 50
    assert 'hx-get="?q=nguyen&amp;page=2"' in html
    second = client.get(reverse("members:list"), {"q": "nguyen", "page": 2})
    assert names(second) == ["Nguyễn Văn Số50"]
    full = client.get(reverse("members:list")).content.decode()
    assert 'hx-target="#member-results"' in full and 'hx-push-url="true"' in full


# --- the profile ---------------------------------------------------------------------------


def test_profile_shows_status_party_age_and_the_timeline(world: World, client: Any) -> None:
    today = timezone.localdate()
    admitted = today - relativedelta(years=10, months=7, days=5)
    member = add_member(world.n1, "Nguyễn Thị Đào", gender="F", admitted_on=admitted)
    services.event_record(
        actor=world.superuser,
        member=member,
        kind="exempted",
        date=today - timedelta(days=10),
        decision_number="12-QĐ/ĐU",
        decision_date=today - timedelta(days=12),
        issuer="Đảng ủy NORTH",
        note="Tuổi cao, sức yếu",
    )
    client.force_login(world.n1_clerk)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Đảng viên chính thức" in page
    assert "10 năm 7 tháng" in page
    for text in (
        "Kết nạp",
        "Công nhận đảng viên chính thức",
        "Miễn công tác và sinh hoạt đảng",
        "12-QĐ/ĐU",
        "Đảng ủy NORTH",
        "Tuổi cao, sức yếu",
        "Tổ chức N1",
    ):
        assert text in page
    assert "Sửa hồ sơ" not in page  # the cell's role may not change records
    for absent in ("Khen thưởng", "Kỷ luật", "Đánh giá"):
        assert absent not in page


def test_profile_of_a_probationary_member(world: World, client: Any) -> None:
    member = add_member(world.n1, "Lê Văn Tám", recognized=False)
    client.force_login(world.north_manager)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Đảng viên dự bị" in page and "chưa tính (đảng viên dự bị)" in page
    assert "Sửa hồ sơ" in page and "Chuyển sinh hoạt chính thức" in page


# --- forms ---------------------------------------------------------------------------------


def _edit_data(member: Member, **changes: Any) -> dict[str, Any]:
    data = {
        "full_name": member.full_name,
        "birth_date": member.birth_date.isoformat(),
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "national_id": member.national_id or "",
        "card_number": member.card_number or "",
        "hometown": "Hải Dương",
        "version": member.version,
    }
    return {**data, **changes}


def test_edit_shows_the_rule_next_to_the_field_and_keeps_input(world: World, client: Any) -> None:
    member = add_member(world.n1, "Lê Văn Tám", birth_date=date(1980, 4, 12))
    client.force_login(world.north_manager)
    url = reverse("members:edit", args=[member.pk])
    response = client.post(url, _edit_data(member, national_id="001085000001", full_name="Lê Tám"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["national_id"] == [
        "Chữ số thứ năm và sáu của số CCCD (85) không khớp năm sinh 1980. "
        "(Nghị định 137/2015/NĐ-CP, Điều 13; Thông tư 59/2021/TT-BCA, "
        "cấu trúc số định danh cá nhân)"
    ]
    html = response.content.decode()
    assert 'value="001085000001"' in html and 'value="Lê Tám"' in html
    assert client.post(url, {"version": 1}).context["form"].errors["full_name"] == [
        "Trường này là bắt buộc."
    ]
    assert Member.objects.get(pk=member.pk).full_name == "Lê Văn Tám"


def test_edit_with_a_stale_version_is_refused(world: World, client: Any) -> None:
    member = add_member(world.n1, "Lê Văn Tám")
    client.force_login(world.north_manager)
    url = reverse("members:edit", args=[member.pk])
    assert client.post(url, _edit_data(member, residence="Hà Nội")).status_code == 302
    response = client.post(url, _edit_data(member, full_name="Lê Văn Chín"))
    assert response.status_code == 200
    assert "đã được người khác sửa" in response.content.decode()
    stored = Member.objects.get(pk=member.pk)
    assert (stored.full_name, stored.residence, stored.version) == ("Lê Văn Tám", "Hà Nội", 2)
    searched = client.get(reverse("members:list"), {"q": "tam"})
    assert names(searched) == ["Lê Văn Tám"]


def test_add_a_member_shows_the_rule_warnings(world: World, client: Any) -> None:
    client.force_login(world.north_manager)
    page = client.get(reverse("members:create"), {"organization": world.n2.pk})
    assert page.context["form"].initial["organization"] == str(world.n2.pk)
    assert {o.code for o in page.context["form"].fields["organization"].queryset} == {"N1", "N2"}
    response = client.post(
        reverse("members:create"),
        {
            "organization": world.n2.pk,
            "join_reason": "admitted",
            "full_name": "  Hoàng   Thị Lan ",
            "birth_date": "2005-09-10",
            "gender": "F",
            "ethnicity": "Tày",
            "national_id": "008305000077",
            "admitted_on": "2023-09-01",
            "joined_on": "2023-09-02",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã thêm đảng viên." in page
    assert "Người vào Đảng phải đủ 18 tuổi" in page
    member = Member.objects.get(national_id="008305000077")
    assert (member.full_name, member.organization, member.ethnicity) == (
        "Hoàng Thị Lan",
        world.n2,
        "Tày",
    )
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[member.pk])


def test_add_a_member_refuses_a_duplicate_and_a_cell_outside_the_scope(
    world: World, client: Any
) -> None:
    existing = add_member(world.n1, "Lê Văn Tám")
    client.force_login(world.north_manager)
    data = {
        "organization": world.n1.pk,
        "join_reason": "admitted",
        "full_name": "Lê Văn Chín",
        "birth_date": "1980-04-12",
        "gender": "M",
        "ethnicity": "Kinh",
        "national_id": existing.national_id,
        "admitted_on": "2010-01-01",
        "joined_on": "2010-01-01",
    }
    form = client.post(reverse("members:create"), data).context["form"]
    assert form.errors["national_id"][0].startswith(
        f"Số CCCD {existing.national_id} đã có trong danh sách đảng viên."
    )
    form = client.post(reverse("members:create"), {**data, "organization": world.s1.pk}).context[
        "form"
    ]
    assert "organization" in form.errors
    assert Member.objects.count() == 1


def test_record_an_exit_then_a_readmission(world: World, client: Any) -> None:
    member = add_member(world.n1, "Lê Văn Tám")
    client.force_login(world.north_manager)
    url = reverse("members:event", args=[member.pk])
    response = client.post(
        url,
        {"kind": "struck_off", "date": "2022-06-01", "decision_number": "05-QĐ/ĐU"},
        follow=True,
    )
    assert "Đã ghi sự kiện." in response.content.decode()
    assert names(client.get(reverse("members:list"), {"status": "exited"})) == ["Lê Văn Tám"]
    # a readmission needs the cell
    response = client.post(url, {"kind": "readmitted", "date": "2024-02-01", "organization": ""})
    assert response.context["form"].errors["organization"] == ["Bắt buộc."]
    response = client.post(
        url, {"kind": "readmitted", "date": "2024-02-01", "organization": world.n2.pk}, follow=True
    )
    page = response.content.decode()
    assert "Kết nạp lại" in page and "Đảng viên dự bị" in page
    assert Member.objects.get(pk=member.pk).organization == world.n2
    # a date in the future is refused next to the field
    response = client.post(url, {"kind": "recognized", "date": "2999-01-01"})
    assert response.context["form"].errors["date"] == ["Ngày trong tương lai."]


def test_official_transfer_across_subtrees_with_a_late_arrival(world: World, client: Any) -> None:
    today = timezone.localdate()
    member = add_member(world.n1, "Nguyễn Thị Đào", gender="F")
    client.force_login(world.north_manager)
    # the sending cell's office; the procedure took longer than 60 working days
    out = client.get(reverse("members:transfer_out", args=[member.pk]))
    assert {o.code for o in out.context["form"].fields["to_organization"].queryset} == {
        "N1",
        "N2",
        "S1",
    }
    letter = today - timedelta(days=90)
    response = client.post(
        reverse("members:transfer_out", args=[member.pk]),
        {
            "to_organization": world.s1.pk,
            "effective_on": (letter - timedelta(days=120)).isoformat(),
            "letter_date": letter.isoformat(),
            "letter_number": "GT-17",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã ghi chuyển sinh hoạt đảng chính thức." in page
    assert "Thủ tục chuyển sinh hoạt làm chậm" in page
    transfer = Transfer.objects.get(member=member)
    # the receiving side sees it as incoming and overdue; the sender as outgoing
    client.force_login(world.hq_admin)
    page = client.get(reverse("members:transfers")).content.decode()
    assert "quá hạn" in page and reverse("members:transfer_receive", args=[transfer.pk]) in page
    client.force_login(world.north_manager)
    response = client.get(reverse("members:transfers"))
    assert [p.transfer for p in response.context["outgoing"]] == [transfer]
    assert response.context["incoming"] == []
    assert reverse("members:transfer_receive", args=[transfer.pk]) not in response.content.decode()
    # the sender may not receive it (S1 lies outside its scope: answered as missing)
    receive = reverse("members:transfer_receive", args=[transfer.pk])
    assert client.post(receive, {"presented_on": today.isoformat()}).status_code == 404
    assert Transfer.objects.get(pk=transfer.pk).state == "in_transit"
    # late: the reason is required
    client.force_login(world.hq_admin)
    response = client.post(receive, {"presented_on": today.isoformat()})
    assert response.context["form"].errors["late_reason"] == ["Đảng viên nộp chậm: hãy ghi lý do."]
    response = client.post(
        receive, {"presented_on": today.isoformat(), "late_reason": "Ốm dài ngày"}, follow=True
    )
    page = response.content.decode()
    assert "Đã nhận đảng viên vào chi bộ." in page
    assert "Đảng viên nộp giấy giới thiệu chậm" in page
    assert Member.objects.get(pk=member.pk).organization == world.s1
    # the member now belongs to S1: the old cell's office no longer opens the record
    client.force_login(world.north_manager)
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 404


def test_temporary_transfer_and_return(world: World, client: Any) -> None:
    today = timezone.localdate()
    member = add_member(world.n1, "Lê Văn Tám")
    client.force_login(world.north_manager)
    url = reverse("members:transfer_temporary", args=[member.pk])
    data = {
        "outside": "Chi bộ Trường Chính trị tỉnh",
        "start": (today - timedelta(days=30)).isoformat(),
        "planned_end": (today + timedelta(days=30)).isoformat(),
        "letter_date": (today - timedelta(days=31)).isoformat(),
    }
    response = client.post(url, data)
    assert (
        response.context["form"]
        .errors["planned_end"][0]
        .startswith("Sinh hoạt tạm thời phải kéo dài từ 3 tháng đến dưới 1 năm.")
    )
    data["planned_end"] = (today + timedelta(days=150)).isoformat()
    assert client.post(url, data).status_code == 302
    transfer = Transfer.objects.get(member=member)
    # a temporary transfer is never "received": the member stays on the home roll
    receive = reverse("members:transfer_receive", args=[transfer.pk])
    assert client.get(receive).status_code == 404
    page = client.get(reverse("members:transfers")).content.decode()
    back = reverse("members:transfer_return", args=[transfer.pk])
    assert back in page
    response = client.post(back, {"returned_on": today.isoformat()}, follow=True)
    assert "Đã ghi trở lại sinh hoạt." in response.content.decode()
    assert Transfer.objects.get(pk=transfer.pk).state == "returned"
    assert Member.objects.get(pk=member.pk).organization == world.n1


# --- scope ---------------------------------------------------------------------------------


def test_a_cell_secretary_sees_only_the_cell(world: World, client: Any) -> None:
    own = add_member(world.n1, "Lê Văn Tám")
    sibling = add_member(world.n2, "Trần Văn Nam")
    other = add_member(world.s1, "Hà Văn Sơn")
    client.force_login(world.n1_clerk)
    assert names(client.get(reverse("members:list"))) == ["Lê Văn Tám"]
    assert names(client.get(reverse("members:list"), {"q": "nam"})) == []
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[sibling.pk])).status_code == 404
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[own.pk])).status_code == 403


MEMBER_PAGES = ["detail", "edit", "event", "transfer_out", "transfer_temporary"]
PERSONAS = ["anonymous", "outsider", "viewer", "hq_admin", "north_manager", "n1_clerk", "s1_clerk"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("detail", [302, 403, 200, 200, 200, 200, 404]),
        ("edit", [302, 403, 403, 200, 200, 403, 403]),
        ("event", [302, 403, 403, 200, 200, 403, 403]),
        ("transfer_out", [302, 403, 403, 200, 200, 403, 403]),
        ("transfer_temporary", [302, 403, 403, 200, 200, 403, 403]),
    ],
)
def test_member_page_matrix(world: World, client: Any, page: str, expected: list[int]) -> None:
    member = add_member(world.n1, "Lê Văn Tám")
    url = reverse(f"members:{page}", args=[member.pk])
    got = []
    for persona in PERSONAS:
        client.logout()
        user = world.persona(persona)
        if user is not None:
            client.force_login(user)
        got.append(client.get(url).status_code)
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


# --- as of a date, and the organization page -----------------------------------------------


def test_roster_as_of_a_date_follows_the_stints(world: World, client: Any) -> None:
    mover = add_member(world.n1, "Nguyễn Thị Đào", gender="F")
    add_member(world.n1, "Lê Văn Tám", admitted_on=date(2023, 1, 5), recognized=False)
    add_member(world.n2, "Trần Văn Nam")
    transfer, _ = services.transfer_out(
        actor=world.superuser,
        member=mover,
        to_organization=world.n2,
        effective_on=date(2024, 3, 1),
        letter_date=date(2024, 3, 4),
    )
    services.transfer_receive(
        actor=world.superuser, transfer=transfer, presented_on=date(2024, 3, 6)
    )
    client.force_login(world.north_manager)
    url = reverse("members:as_of")

    def roster(org: Organization, day: str) -> list[tuple[str, str]]:
        rows = client.get(url, {"org": org.pk, "ngay": day}).context["rows"]
        return [(stint.member.full_name, status.label) for stint, status in rows]

    assert roster(world.n1, "2023-06-01") == [
        ("Nguyễn Thị Đào", "Đảng viên chính thức"),
        ("Lê Văn Tám", "Đảng viên dự bị"),
    ]
    # between the letter and its presentation the member is on no roll
    assert roster(world.n1, "2024-03-05") == [("Lê Văn Tám", "Đảng viên dự bị")]
    assert roster(world.north, "2024-03-05") == [
        ("Trần Văn Nam", "Đảng viên chính thức"),
        ("Lê Văn Tám", "Đảng viên dự bị"),
    ]
    assert roster(world.n2, "2024-03-06") == [
        ("Nguyễn Thị Đào", "Đảng viên chính thức"),
        ("Trần Văn Nam", "Đảng viên chính thức"),
    ]
    response = client.get(url, {"org": world.north.pk, "ngay": "2024-03-06"})
    assert [(label, v.value) for label, v in response.context["counts"]] == [
        ("Số đảng viên", 3),
        ("Số đảng viên chính thức", 2),
        ("Số đảng viên dự bị", 1),
    ]
    # an organization outside the scope is not a valid choice; a future day is refused
    refused = client.get(url, {"org": world.s1.pk, "ngay": "2024-03-06"}).context["form"]
    assert "org" in refused.errors
    future = client.get(url, {"org": world.n1.pk, "ngay": "2999-01-01"}).context["form"]
    assert future.errors["ngay"] == ["Không thể xem danh sách của một ngày trong tương lai."]


def test_organization_page_links_to_its_members_with_the_count(world: World, client: Any) -> None:
    add_member(world.n1, "Lê Văn Tám")
    add_member(world.n2, "Trần Văn Nam", recognized=False)
    client.force_login(world.north_manager)
    page = client.get(reverse("orgs:detail", args=[world.north.pk])).content.decode()
    assert f"{reverse('members:list')}?organization={world.north.pk}" in page
    summary = reverse("members:org_summary", args=[world.north.pk])
    assert summary in page
    fragment = client.get(summary, HTTP_HX_REQUEST="true")
    counts = [(label, v.value) for label, v in fragment.context["counts"]]
    assert counts == [
        ("Số đảng viên", 2),
        ("Số đảng viên chính thức", 1),
        ("Số đảng viên dự bị", 1),
    ]
    assert "<html" not in fragment.content.decode()
    assert client.get(reverse("members:org_summary", args=[world.s1.pk])).status_code == 404
