"""Production settings pass Django's deployment checklist, and pages are not cached."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.urls import reverse

from dangvu.core.testing import World


def test_check_deploy_reports_nothing_in_production_mode(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env |= {
        "DANGVU_VAR_DIR": str(tmp_path),
        "DANGVU_PRODUCTION": "true",
        "DANGVU_SECRET_KEY": secrets.token_urlsafe(50),
        "DANGVU_ALLOWED_HOSTS": "dangvu.example.vn",
    }
    result = subprocess.run(
        [sys.executable, "-m", "dangvu", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_authenticated_pages_are_never_stored(world: World, client: Any) -> None:
    client.force_login(world.hq_admin)
    response = client.get(reverse("orgs:detail", args=[world.n1.pk]))
    assert "no-store" in response["Cache-Control"]
    api = client.get(reverse("organization-list"))
    assert "no-store" in api["Cache-Control"]


def test_security_headers(world: World, client: Any) -> None:
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
