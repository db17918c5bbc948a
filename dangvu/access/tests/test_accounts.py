"""Accounts: login, throttling, logout, password rules, password change, disabled accounts.

Logins go through the real login page (a POST), never ``client.login()``: django-axes'
backend needs the request, and the page is what users and attackers actually hit.
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvu.access.scope import SystemActor
from dangvu.access.services import user_create
from dangvu.audit.models import AuditEvent
from dangvu.core.exceptions import DomainError
from dangvu.core.testing import PASSWORD, World

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
PASSWORD_URL = "/accounts/password/"
HOME_URL = "/"

INVALID_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
REQUIRED = "Trường này là bắt buộc."
LOCKED_TITLE = "Tạm khóa đăng nhập"
LOCKED_TEXT = (
    "Tài khoản này đã nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau 30 phút, hoặc liên hệ "
    "quản trị hệ thống để được mở khóa."
)
OLD_PASSWORD_WRONG = "Mật khẩu cũ không chính xác. Hãy nhập lại lần nữa"
TOO_COMMON = "Mật khẩu này quá phổ biến, dễ bị đoán."
ALL_DIGITS = "Mật khẩu không được chỉ gồm chữ số."
TOO_SHORT_15 = "Mật khẩu quá ngắn: cần ít nhất 15 ký tự."

ARGON2_FIRST = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
NEW_PASSWORD = "mot-cau-rat-dai-de-nho-hon"  # 26 characters, not common, not like any username

SYSTEM = SystemActor("test")


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _session_key(client: Client) -> str | None:
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None else None


def _session_exists(key: str) -> bool:
    return import_module(django_settings.SESSION_ENGINE).SessionStore().exists(key)


def _is_login_redirect(response: Any, next_url: str = HOME_URL) -> bool:
    return response.status_code == 302 and response["Location"] == f"{LOGIN_URL}?next={next_url}"


def _password_of(length: int) -> str:
    """A password of exactly ``length`` characters that only the length rule can object to."""
    text = ("tre-xanh-bong-mat-" * 10)[:length]
    assert len(text) == length
    return text


# --- Login -----------------------------------------------------------------------------------


def test_login_page_is_in_vietnamese(db: None, client: Client) -> None:
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<title>Đăng nhập · dangvu</title>" in html
    assert "<h1>Đăng nhập dangvu</h1>" in html
    assert ">Tên đăng nhập <span" in html
    assert ">Mật khẩu <span" in html
    assert '<button type="submit" class="button">Đăng nhập</button>' in html
    assert response.headers["X-Frame-Options"] == "DENY"


def test_empty_login_says_fields_are_required_in_vietnamese(db: None, client: Client) -> None:
    response = client.post(LOGIN_URL, {"username": "", "password": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"username": [REQUIRED], "password": [REQUIRED]}
    assert response.content.decode().count(REQUIRED) == 2


def test_wrong_password_is_refused_with_a_vietnamese_message(world: World, client: Client) -> None:
    response = _login(client, "hq_admin", "not the password at all")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert INVALID_LOGIN in response.content.decode()
    assert SESSION_KEY not in client.session


def test_unknown_user_gets_the_same_message_as_a_wrong_password(
    world: World, client: Client
) -> None:
    response = _login(client, "nobody_here", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]


def test_right_password_logs_in_and_redirects_home(world: World, client: Client) -> None:
    response = _login(client, "hq_admin", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home") == HOME_URL
    assert client.session[SESSION_KEY] == str(world.hq_admin.pk)
    home = client.get(HOME_URL)
    assert home.status_code == 200
    assert home.wsgi_request.user == world.hq_admin


def test_login_changes_the_session_id(world: World, client: Client) -> None:
    """ASVS 7.2.4: a session id planted before login is not the one used after it."""
    planted = client.session  # creates a saved anonymous session and its cookie
    planted["planted"] = "yes"
    planted.save()
    before = planted.session_key
    assert _session_key(client) == before

    response = _login(client, "hq_admin", PASSWORD)

    assert response.status_code == 302
    after = _session_key(client)
    assert after is not None
    assert after != before
    assert not _session_exists(before)
    # The planted cookie gives nothing: replayed, it is an anonymous visitor.
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = before
    assert _is_login_redirect(attacker.get(HOME_URL))


def test_login_ignores_a_next_url_on_another_site(world: World, client: Client) -> None:
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"username": "hq_admin", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == HOME_URL


def test_login_follows_a_local_next_url(world: World, client: Client) -> None:
    response = client.post(
        LOGIN_URL, {"username": "hq_admin", "password": PASSWORD, "next": "/to-chuc/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/to-chuc/"


def test_logged_in_user_is_sent_home_from_the_login_page(world: World, client: Client) -> None:
    assert _login(client, "hq_admin", PASSWORD).status_code == 302
    response = client.get(LOGIN_URL)
    assert response.status_code == 302
    assert response["Location"] == HOME_URL


def test_anonymous_visitor_is_sent_to_the_login_page(db: None, client: Client) -> None:
    assert _is_login_redirect(client.get(HOME_URL))


# --- Throttling (django-axes) ----------------------------------------------------------------


def _fail_five_times(client: Client, username: str) -> list[int]:
    return [_login(client, username, f"wrong password {i}").status_code for i in range(5)]


def _assert_locked_out(response: Any) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert f"<h1>{LOCKED_TITLE}</h1>" in html
    assert LOCKED_TEXT in html


def test_sixth_attempt_is_refused_even_with_the_right_password(
    world: World, client: Client
) -> None:
    statuses = _fail_five_times(client, "hq_admin")
    # Four ordinary failures; the fifth reaches the limit and is already answered with the
    # lockout page (django-axes 8 answers 429 Too Many Requests).
    assert statuses == [200, 200, 200, 200, 429]

    response = _login(client, "hq_admin", PASSWORD)

    _assert_locked_out(response)
    assert SESSION_KEY not in client.session
    assert _is_login_redirect(client.get(HOME_URL))


def test_lockout_does_not_lock_out_other_users_or_other_addresses(
    world: World, client: Client
) -> None:
    _fail_five_times(client, "hq_admin")

    # Another username from the same address still logs in: no lockout DoS for everyone.
    other = Client()
    response = _login(other, "viewer", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME_URL

    # The lockout is for this username from this address (AXES_LOCKOUT_PARAMETERS), so the
    # real owner logging in from elsewhere is not locked out by an attacker.
    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    response = _login(elsewhere, "hq_admin", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME_URL


def test_lockout_is_not_bypassed_by_forwarded_for_or_user_agent(
    world: World, client: Client
) -> None:
    _fail_five_times(client, "hq_admin")
    spoofing = Client(HTTP_X_FORWARDED_FOR="10.9.8.7", HTTP_USER_AGENT="another browser")
    _assert_locked_out(_login(spoofing, "hq_admin", PASSWORD))


def test_lockout_ends_after_thirty_minutes(world: World, client: Client) -> None:
    _fail_five_times(client, "hq_admin")
    attempts = AccessAttempt.objects.filter(username="hq_admin")
    assert attempts.count() == 1

    attempts.update(attempt_time=timezone.now() - timedelta(minutes=29))
    _assert_locked_out(_login(client, "hq_admin", PASSWORD))

    attempts.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = _login(client, "hq_admin", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME_URL


def test_success_resets_the_failure_count(world: World, client: Client) -> None:
    assert _login(client, "hq_admin", "wrong once").status_code == 200
    assert _login(client, "hq_admin", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="hq_admin").exists()
    # A fresh count: four more failures leave the account usable.
    other = Client()
    assert [_login(other, "hq_admin", f"wrong {i}").status_code for i in range(4)] == [200] * 4
    assert _login(other, "hq_admin", PASSWORD).status_code == 302


def test_failed_attempts_do_not_store_the_tried_password(world: World, client: Client) -> None:
    _login(client, "hq_admin", "a-secret-that-was-almost-right")
    attempt = AccessAttempt.objects.get(username="hq_admin")
    assert attempt.failures_since_start == 1
    assert "a-secret-that-was-almost-right" not in attempt.post_data
    assert attempt.post_data == f"username={'*' * 20}\npassword={'*' * 20}"


# --- Logout ----------------------------------------------------------------------------------


def test_logout_refuses_get(world: World, client: Client) -> None:
    _login(client, "hq_admin", PASSWORD)
    assert client.get(LOGOUT_URL).status_code == 405
    assert client.get(HOME_URL).status_code == 200  # still logged in


def test_logout_ends_the_session_and_the_old_cookie_is_dead(world: World, client: Client) -> None:
    _login(client, "hq_admin", PASSWORD)
    old_key = _session_key(client)
    assert old_key is not None and _session_exists(old_key)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("login") == LOGIN_URL
    assert not _session_exists(old_key)
    assert _is_login_redirect(client.get(HOME_URL))
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = old_key
    assert _is_login_redirect(replay.get(HOME_URL))


# --- Password rules (through the service) ----------------------------------------------------


def _create(username: str, password: str) -> Any:
    return user_create(
        actor=SYSTEM, username=username, full_name="Nguyễn Văn An", password=password
    )


def test_password_of_fourteen_characters_is_refused(db: None) -> None:
    with pytest.raises(DomainError) as caught:
        _create("short_pw", _password_of(14))
    assert caught.value.message == TOO_SHORT_15
    assert caught.value.field_errors == {"password": TOO_SHORT_15}
    assert not get_user_model().objects.filter(username="short_pw").exists()
    assert not AuditEvent.objects.unscoped().filter(action="access.user.create").exists()


@pytest.mark.parametrize("length", [15, 64, 128])
def test_passwords_of_fifteen_to_128_characters_are_accepted(db: None, length: int) -> None:
    password = _password_of(length)
    user = _create(f"user{length}", password)
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.parametrize(
    "password", ["qwerty123456789", "manchesterunited", "password123456789", "Manchesterunited!!"]
)
def test_common_password_is_refused(db: None, password: str) -> None:
    assert len(password) >= 15
    with pytest.raises(DomainError) as caught:
        _create("common_pw", password)
    assert caught.value.message == TOO_COMMON
    assert not get_user_model().objects.filter(username="common_pw").exists()


def test_all_digit_password_is_refused(db: None) -> None:
    with pytest.raises(DomainError) as caught:
        _create("digits_pw", "3141592653589793")
    assert caught.value.message == ALL_DIGITS


def test_every_broken_rule_is_reported(db: None) -> None:
    with pytest.raises(DomainError) as caught:
        _create("digits_pw", "1234567891234567")  # common and all digits
    assert caught.value.message == f"{TOO_COMMON} {ALL_DIGITS}"


def test_password_like_the_username_is_refused(db: None) -> None:
    with pytest.raises(DomainError) as caught:
        _create("tranthibichngoc", "tranthibichngoc1")
    assert caught.value.message == "Mật khẩu quá giống với tên đăng nhập."


def test_new_password_is_hashed_with_argon2id(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ARGON2_FIRST
    password = _password_of(20)
    user = _create("argon_user", password)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert password not in user.password
    assert user.check_password(password)


def test_user_create_is_audited_without_the_password(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ARGON2_FIRST
    password = _password_of(32)
    user = _create("audited_user", password)

    event = AuditEvent.objects.unscoped().get(action="access.user.create")
    assert event.target_type == "auth.user"
    assert event.target_id == str(user.pk)
    assert event.actor_id is None
    assert event.actor_repr == "Hệ thống (test)"
    assert event.changes == {
        "username": [None, "audited_user"],
        "full_name": [None, "Nguyễn Văn An"],
    }
    stored = json.dumps([event.changes, event.data, event.reason, event.target_repr])
    assert password not in stored
    assert user.password not in stored
    assert "argon2" not in stored
    assert "password" not in stored


def test_duplicate_username_is_refused_in_vietnamese(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        _create("hq_admin", _password_of(20))
    assert caught.value.message == "Tên đăng nhập hq_admin đã có."
    assert caught.value.field_errors == {"username": "Tên đăng nhập đã có."}


# --- Password change -------------------------------------------------------------------------


def _logged_in(username: str) -> Client:
    client = Client()
    response = _login(client, username, PASSWORD)
    assert response.status_code == 302
    return client


def test_password_page_needs_a_login(db: None, client: Client) -> None:
    assert _is_login_redirect(client.get(PASSWORD_URL), PASSWORD_URL)


def test_password_page_is_in_vietnamese(world: World) -> None:
    client = _logged_in("hq_admin")
    response = client.get(PASSWORD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Đổi mật khẩu</h1>" in html
    assert ">Mật khẩu cũ <span" in html
    assert ">Mật khẩu mới <span" in html
    assert ">Xác nhận mật khẩu mới <span" in html


@pytest.mark.parametrize(
    ("old_password", "message"), [("", REQUIRED), ("not my old password", OLD_PASSWORD_WRONG)]
)
def test_password_change_requires_the_old_password(
    world: World, old_password: str, message: str
) -> None:
    client = _logged_in("hq_admin")
    hash_before = get_user_model().objects.get(pk=world.hq_admin.pk).password

    response = client.post(
        PASSWORD_URL,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"old_password": [message]}
    assert message in response.content.decode()
    user = get_user_model().objects.get(pk=world.hq_admin.pk)
    assert user.password == hash_before
    assert user.check_password(PASSWORD)


def test_password_change_refuses_a_common_new_password(world: World) -> None:
    client = _logged_in("hq_admin")
    response = client.post(
        PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "new_password1": "qwerty123456789",
            "new_password2": "qwerty123456789",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"new_password2": [TOO_COMMON]}
    assert get_user_model().objects.get(pk=world.hq_admin.pk).check_password(PASSWORD)


def test_password_change_ends_the_users_other_sessions(world: World) -> None:
    changer = _logged_in("hq_admin")
    other_device = _logged_in("hq_admin")
    bystander = _logged_in("viewer")
    assert other_device.get(HOME_URL).status_code == 200

    response = changer.post(
        PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain == [(HOME_URL, 302)]
    assert response.status_code == 200
    assert "Đã đổi mật khẩu." in response.content.decode()
    # The changer keeps their session; the other session of the same user is logged out.
    assert changer.get(HOME_URL).status_code == 200
    assert _is_login_redirect(other_device.get(HOME_URL))
    assert bystander.get(HOME_URL).status_code == 200
    # The old password no longer opens the account; the new one does.
    assert _login(Client(), "hq_admin", PASSWORD).status_code == 200
    assert _login(Client(), "hq_admin", NEW_PASSWORD).status_code == 302


# --- Disabled accounts -----------------------------------------------------------------------


def test_disabled_account_is_logged_out_on_its_next_request(world: World) -> None:
    client = _logged_in("hq_admin")
    assert client.get(HOME_URL).status_code == 200

    get_user_model().objects.filter(pk=world.hq_admin.pk).update(is_active=False)

    response = client.get(HOME_URL)
    assert _is_login_redirect(response)
    assert not response.wsgi_request.user.is_authenticated
    assert _is_login_redirect(client.get(PASSWORD_URL), PASSWORD_URL)
    assert client.get(reverse("api-root")).status_code == 401


def test_disabled_account_cannot_log_in(world: World, client: Client) -> None:
    get_user_model().objects.filter(pk=world.hq_admin.pk).update(is_active=False)
    response = _login(client, "hq_admin", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert SESSION_KEY not in client.session
