"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from dangvu.core.testing import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Argon2 costs ~50 ms per hash by design; tests that check the hasher ask for it."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
