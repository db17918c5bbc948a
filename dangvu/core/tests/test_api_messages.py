"""The API answers bad input in Vietnamese: DRF's messages come from dangvu's own catalogue
(``dangvu/locale/vi``), which ``LOCALE_PATHS`` puts ahead of DRF's nearly empty one."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rest_framework
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled

from dangvu.core import api
from dangvu.core.testing import World

LOCALE = Path(settings.BASE_DIR) / "dangvu" / "locale" / "vi" / "LC_MESSAGES"
DRF_LOCALE = Path(rest_framework.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{[^{}]*\}")

REQUIRED = "Trường này là bắt buộc."


def _catalog(path: Path) -> dict[Any, str]:
    with path.open("rb") as mo:
        return dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]


def drf_msgids() -> set[str]:
    """Every msgid of DRF's catalogues (all languages, plural keys folded to their msgid)."""
    ids: set[str] = set()
    for mo in DRF_LOCALE.glob("*/LC_MESSAGES/django.mo"):
        ids.update(key[0] if isinstance(key, tuple) else key for key in _catalog(mo))
    ids.discard("")
    return ids


def english_fragments() -> set[str]:
    """The English words of DRF's sentences between their placeholders (two words or more)."""
    fragments: set[str] = set()
    for msgid in drf_msgids():
        if not msgid.isascii():
            continue
        for part in PLACEHOLDER.split(msgid):
            part = part.strip(' "-=:')
            if " " in part:
                fragments.add(part)
    return fragments


@dataclass
class Case:
    """One bad request and the exact answer it gets."""

    name: str
    persona: str
    method: str
    path: Callable[[World], str]
    status: int
    body: Any
    data: Callable[[World], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    content_type: str = "application/json"

    def send(self, world: World, client: Any) -> Any:
        user = world.persona(self.persona)
        if user is not None:
            client.force_login(user)
        kwargs: dict[str, Any] = dict(self.extra)
        if self.data is not None:
            kwargs["data"] = self.data(world)
            if self.method != "get":
                kwargs["content_type"] = self.content_type
        return getattr(client, self.method)(self.path(world), **kwargs)


def _orgs(world: World) -> str:
    return "/api/organizations/"


def _n1(world: World) -> str:
    return f"/api/organizations/{world.n1.pk}/"


def _org_payload(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "parent": world.north.pk,
        "code": "N9",
        "name": "Chi bộ mới",
        "kind": "cell",
        "valid_from": "2020-02-01",
        **changes,
    }


CASES = [
    Case(
        "anonymous",
        "anonymous",
        "get",
        _orgs,
        401,
        {"detail": "Chưa cung cấp thông tin xác thực."},
    ),
    Case(
        "wrong token",
        "anonymous",
        "get",
        _orgs,
        401,
        {"detail": "Token không hợp lệ."},
        extra={"HTTP_AUTHORIZATION": "Token " + "0" * 40},
    ),
    Case(
        "token header without a token",
        "anonymous",
        "get",
        _orgs,
        401,
        {"detail": "Header Token không hợp lệ. Chưa cung cấp thông tin xác thực."},
        extra={"HTTP_AUTHORIZATION": "Token"},
    ),
    Case(
        "token with a space",
        "anonymous",
        "get",
        _orgs,
        401,
        {"detail": "Header Token không hợp lệ. Chuỗi token không được chứa dấu cách."},
        extra={"HTTP_AUTHORIZATION": "Token abc def"},
    ),
    Case(
        # DRF's own vi catalogue says "Bạn không được cấp quyền…": this one is dangvu's.
        "no grant",
        "outsider",
        "get",
        _orgs,
        403,
        {"detail": "Bạn không có quyền thực hiện thao tác này."},
    ),
    Case(
        "page out of range",
        "hq_admin",
        "get",
        _orgs,
        404,
        {"detail": "Trang không hợp lệ."},
        data=lambda w: {"page": 999},
    ),
    Case(
        "bad choice, pk and date",
        "hq_admin",
        "post",
        _orgs,
        400,
        {
            "kind": ['"bogus" không phải là một lựa chọn hợp lệ.'],
            "parent": ["Sai kiểu dữ liệu. Cần khóa chính, nhận được str."],
            "valid_from": ["Ngày sai định dạng. Hãy dùng một trong các định dạng sau: YYYY-MM-DD."],
        },
        data=lambda w: _org_payload(w, kind="bogus", parent="abc", valid_from="31/12/2020"),
    ),
    Case(
        "missing fields",
        "hq_admin",
        "post",
        _orgs,
        400,
        {name: [REQUIRED] for name in ("code", "name", "kind", "valid_from", "parent")},
        data=lambda w: {},
    ),
    Case(
        "blank, too long, null and unknown pk",
        "hq_admin",
        "post",
        _orgs,
        400,
        {
            "code": ["Trường này không được bỏ trống."],
            "name": ["Trường này không được dài quá 255 ký tự."],
            "valid_from": ["Trường này không được nhận giá trị null."],
            "parent": ['Khóa chính "999999" không hợp lệ - đối tượng không tồn tại.'],
        },
        data=lambda w: _org_payload(w, code="", name="x" * 256, valid_from=None, parent=999999),
    ),
    Case(
        "not an integer",
        "north_manager",
        "put",
        _n1,
        400,
        {"version": ["Phải là một số nguyên hợp lệ."]},
        data=lambda w: {**_org_payload(w, code="N1"), "version": "một"},
    ),
    Case(
        # Also dangvu's wording: DRF's vi catalogue has "…không được chấp nhận."
        "method not allowed",
        "superuser",
        "delete",
        _n1,
        405,
        {"detail": 'Phương thức "DELETE" không được phép.'},
    ),
    Case(
        "unsupported media type",
        "hq_admin",
        "post",
        _orgs,
        415,
        {"detail": 'Kiểu dữ liệu "text/csv" của yêu cầu không được hỗ trợ.'},
        data=lambda w: "code,name\n",
        content_type="text/csv",
    ),
    Case(
        "not acceptable",
        "hq_admin",
        "get",
        _orgs,
        406,
        {"detail": "Không thể đáp ứng header Accept của yêu cầu."},
        extra={"HTTP_ACCEPT": "text/csv"},
    ),
    Case(
        "token with a wrong password",
        "anonymous",
        "post",
        lambda w: "/api/auth/token/",
        400,
        {"non_field_errors": ["Không thể đăng nhập bằng thông tin đã cung cấp."]},
        data=lambda w: {"username": "viewer", "password": "sai mật khẩu"},
    ),
    Case(
        "token without credentials",
        "anonymous",
        "post",
        lambda w: "/api/auth/token/",
        400,
        {"username": [REQUIRED], "password": [REQUIRED]},
        data=lambda w: {},
    ),
    Case(
        # django-filter hands these to Django's form fields, whose catalogue covers them.
        "audit filter",
        "hq_admin",
        "get",
        lambda w: "/api/audit/",
        400,
        {"since": ["Nhập một ngày hợp lệ."], "organization": ["Nhập một số."]},
        data=lambda w: {"since": "31/12/2020", "organization": "x"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_requests_are_answered_in_vietnamese(case: Case, world: World, client: Any) -> None:
    response = case.send(world, client)
    assert (response.status_code, response.json()) == (case.status, case.body)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_answer_contains_an_english_sentence_of_drf(world: World, client: Any) -> None:
    fragments = english_fragments()
    assert "is not a valid choice." in fragments  # the collection itself works
    leaks = []
    for case in CASES:
        client.logout()
        body = case.send(world, client).json()
        for text in _strings(body):
            leaks += [(case.name, text) for fragment in fragments if fragment in text]
    assert leaks == []


def test_every_drf_message_is_translated_with_its_placeholders() -> None:
    ours = _catalog(LOCALE / "django.mo")
    missing = sorted(drf_msgids() - set(ours))
    assert missing == []
    for msgid in drf_msgids():
        assert set(PLACEHOLDER.findall(ours[msgid])) == set(PLACEHOLDER.findall(msgid)), msgid


def test_project_catalogue_wins_over_drf() -> None:
    assert LOCALE.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]
    with translation.override("vi"):
        assert str(Throttled(wait=2.5).detail) == (
            "Yêu cầu đã bị giới hạn tần suất. Vui lòng thử lại sau 3 giây."
        )
        assert translation.gettext("Not found.") == "Không tìm thấy."
        # A gap of Django's own catalogue that forms show.
        assert translation.gettext("Null characters are not allowed.") == (
            "Không được dùng ký tự null."
        )


def _po_entries(path: Path) -> dict[Any, str]:
    """The entries of a .po file keyed as ``gettext`` keys its catalogue: the msgid, or
    ``(msgid, n)`` for each plural form (quoted strings may continue on the next lines)."""
    entries: dict[Any, str] = {}
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        msgid = current.get("msgid", "")
        if not msgid:
            return
        if "msgid_plural" in current:
            for name, value in current.items():
                if name.startswith("msgstr["):
                    entries[(msgid, int(name[7:-1]))] = value
        else:
            entries[msgid] = current.get("msgstr", "")

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid", "msgstr")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            flush()
            current, key = {}, ""
    return entries


def test_committed_mo_matches_the_po() -> None:
    """The compiled catalogue is the .po's, so installs need no gettext tools."""
    compiled = _catalog(LOCALE / "django.mo")
    written = _po_entries(LOCALE / "django.po")
    assert {k: v for k, v in compiled.items() if k} == written, (
        "django.mo is stale: rerun msgfmt (docs/development/style-guide.md, Translations)"
    )


def test_malformed_json_and_missing_csrf_are_explained_in_vietnamese(world: World) -> None:
    url = reverse("organization-list")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.hq_admin)
    response = browser.post(url, "{bad json", content_type="application/json")
    assert (response.status_code, response.json()) == (403, {"detail": api.CSRF_FAILED})
    assert api.CSRF_FAILED.startswith("Thiếu hoặc sai mã chống giả mạo (CSRF)")
    token = Token.objects.create(user=world.hq_admin)
    script = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = script.post(url, "{bad json", content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": api.UNREADABLE})
    assert api.UNREADABLE.startswith("Không đọc được dữ liệu gửi lên")
