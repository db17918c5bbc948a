"""The ``dangvu`` console script: Django's commands, with two-word names typed as two words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dangvu.__main__ import _join_subcommand


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["dangvu", "demo", "load"], ["dangvu", "demo_load"]),
        (["dangvu", "migrate", "orgs"], ["dangvu", "migrate", "orgs"]),
        (["dangvu", "check", "--deploy"], ["dangvu", "check", "--deploy"]),
        (["dangvu", "demo"], ["dangvu", "demo"]),
    ],
)
def test_two_word_commands_are_joined_when_such_a_command_exists(
    argv: list[str], expected: list[str]
) -> None:
    assert _join_subcommand(argv) == expected


def test_the_module_runs_a_management_command(tmp_path: Path) -> None:
    env = {**os.environ, "DANGVU_VAR_DIR": str(tmp_path)}
    env.pop("DANGVU_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "dangvu", "demo", "load", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Nạp dữ liệu mẫu" in result.stdout
