"""The ``DANGVU_*`` readers fail loudly, and so does the settings module that uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangvu.core.env import env_bool, env_int, env_list, env_str

REPO = Path(__file__).resolve().parents[3]
NAME = "DANGVU_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def _clean_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


# --- env_bool --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["true", "TRUE", "True", "1", "yes", "YES", "Yes", "on", "ON", " true "]
)
def test_env_bool_true(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["false", "FALSE", "False", "0", "no", "NO", "off", "Off"])
def test_env_bool_false(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_is_the_default(
    monkeypatch: pytest.MonkeyPatch, default: bool
) -> None:
    assert env_bool(NAME, default) is default
    monkeypatch.setenv(NAME, "")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("value", ["maybe", "2", "tru", "y", "enabled", "-1"])
def test_env_bool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool(NAME, False)
    assert str(caught.value) == f"{NAME} must be true or false, not {value!r}"


# --- env_int ---------------------------------------------------------------------------------


def test_env_int_reads_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "42")
    assert env_int(NAME, 7) == 42
    monkeypatch.setenv(NAME, "-3")
    assert env_int(NAME, 7) == -3


def test_env_int_unset_is_the_default() -> None:
    assert env_int(NAME, 7) == 7
    assert env_int(NAME, 7, minimum=100) == 7


@pytest.mark.parametrize("value", ["ten", "1.5", "10 minutes", "0x10"])
def test_env_int_refuses_what_is_not_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_int(NAME, 7)
    assert str(caught.value) == f"{NAME} must be a whole number, not {value!r}"


def test_env_int_refuses_values_below_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "59")
    with pytest.raises(ImproperlyConfigured) as caught:
        env_int(NAME, 3600, minimum=60)
    assert str(caught.value) == f"{NAME} must be at least 60, not 59"
    monkeypatch.setenv(NAME, "60")
    assert env_int(NAME, 3600, minimum=60) == 60


# --- env_list --------------------------------------------------------------------------------


def test_env_list_splits_and_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, " dangvu.example.vn , 10.0.0.5,,  localhost ,")
    assert env_list(NAME, ["default"]) == ["dangvu.example.vn", "10.0.0.5", "localhost"]


def test_env_list_unset_is_a_copy_of_the_default() -> None:
    default = ["a", "b"]
    result = env_list(NAME, default)
    assert result == ["a", "b"]
    result.append("c")
    assert default == ["a", "b"]


# --- env_str and <NAME>_FILE -----------------------------------------------------------------


def test_env_str_reads_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_str(NAME) is None
    assert env_str(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "")
    assert env_str(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "value")
    assert env_str(NAME, "fallback") == "value"


def test_env_str_reads_the_file_named_by_name_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-the-file-Đảng\n", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-the-variable")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))
    assert env_str(NAME) == "from-the-file-Đảng"  # the file wins, stripped


def test_typed_readers_read_name_file_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    number = tmp_path / "number"
    number.write_text("17\n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(number))
    assert env_int(NAME, 1) == 17


def test_env_str_fails_loudly_for_a_missing_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "does-not-exist"
    monkeypatch.setenv(NAME, "would-be-used-otherwise")
    monkeypatch.setenv(f"{NAME}_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured) as caught:
        env_str(NAME)
    assert str(caught.value).startswith(f"{NAME}_FILE: cannot read {missing}: ")


def test_env_str_fails_loudly_for_an_unreadable_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A directory cannot be read as a file, even by root (unlike a chmod 000 file).
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path))
    with pytest.raises(ImproperlyConfigured) as caught:
        env_str(NAME, "default")
    assert str(caught.value).startswith(f"{NAME}_FILE: cannot read {tmp_path}: ")
    assert "Is a directory" in str(caught.value)


# --- The settings module, imported in a fresh process ----------------------------------------

SETUP = (
    "import django, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dangvu.settings'); "
    "django.setup()"
)


def _setup_django(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run ``django.setup()`` with only ``variables`` among the ``DANGVU_*`` variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DANGVU_VAR_DIR"] = str(tmp_path)
    env.update(variables)
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", SETUP],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_settings_load_in_local_mode(tmp_path: Path) -> None:
    """The control for the failures below: the same command succeeds with a sane environment."""
    result = _setup_django(tmp_path)
    assert result.returncode == 0, result.stderr
    key = tmp_path / "secret_key"
    assert len(key.read_text(encoding="utf-8").strip()) >= 32
    assert key.stat().st_mode & 0o077 == 0  # the generated key is readable by its owner only


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    result = _setup_django(tmp_path, DANGVU_PRODUCTION="true")
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_SECRET_KEY is required when DANGVU_PRODUCTION is true"
    )
    assert not (tmp_path / "secret_key").exists()  # no silent fallback to a generated key


def test_production_starts_with_a_secret_key(tmp_path: Path) -> None:
    result = _setup_django(
        tmp_path,
        DANGVU_PRODUCTION="true",
        DANGVU_SECRET_KEY="k" * 16 + "0123456789abcdef0123",
        DANGVU_ALLOWED_HOSTS="dangvu.example.vn",
    )
    assert result.returncode == 0, result.stderr


def test_bad_boolean_stops_the_start_naming_the_variable(tmp_path: Path) -> None:
    result = _setup_django(tmp_path, DANGVU_DEBUG="maybe")
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_DEBUG must be true or false, not 'maybe'"
    )


def test_debug_is_refused_in_production(tmp_path: Path) -> None:
    result = _setup_django(
        tmp_path,
        DANGVU_PRODUCTION="true",
        DANGVU_DEBUG="true",
        DANGVU_SECRET_KEY="k" * 40,
    )
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_DEBUG must be false when DANGVU_PRODUCTION is true"
    )


@pytest.mark.parametrize("key", ["too-short", "django-insecure-" + "x" * 40])
def test_weak_secret_key_is_refused(tmp_path: Path, key: str) -> None:
    result = _setup_django(tmp_path, DANGVU_SECRET_KEY=key)
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_SECRET_KEY must be a random value of at least 32 characters"
    )


def test_unreadable_secret_key_file_stops_the_start(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-secret"
    result = _setup_django(tmp_path, DANGVU_SECRET_KEY_FILE=str(missing))
    assert result.returncode == 1
    assert _last_line(result.stderr).startswith(
        "django.core.exceptions.ImproperlyConfigured: "
        f"DANGVU_SECRET_KEY_FILE: cannot read {missing}: "
    )


def test_mysql_database_url_is_refused(tmp_path: Path) -> None:
    result = _setup_django(tmp_path, DANGVU_DATABASE_URL="mysql://x")
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_DATABASE_URL must be sqlite:/// or postgres://"
    )


def test_unknown_database_scheme_is_refused(tmp_path: Path) -> None:
    result = _setup_django(tmp_path, DANGVU_DATABASE_URL="nosuchdb://x")
    assert result.returncode == 1
    assert _last_line(result.stderr).startswith(
        "django.core.exceptions.ImproperlyConfigured: DANGVU_DATABASE_URL is not a database URL: "
    )


def test_bad_session_age_is_refused(tmp_path: Path) -> None:
    result = _setup_django(tmp_path, DANGVU_SESSION_AGE="30")
    assert result.returncode == 1
    assert _last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DANGVU_SESSION_AGE must be at least 60, not 30"
    )
