"""The demo is refused in production mode (no default accounts outside demo mode)."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.core.exceptions import DomainError
from dangvu.demo.services import load_demo
from dangvu.orgs.models import Organization


def test_demo_refuses_production_mode(db: None, settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DomainError):
        load_demo(password="mat-khau-demo-du-dai")
    assert not Organization.objects.exists()
