"""The demo, loaded once per test module.

Loading it takes seconds, so each module that asks for ``demo`` loads it once, inside a
transaction rolled back when the module ends; each test reads it in a savepoint of its own
(the ``db`` fixture). A module that uses ``demo`` must not also test an empty database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from dangvu.demo.services import LoadResult, load_demo

PASSWORD = "mat-khau-demo-du-dai"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadResult]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo(password=PASSWORD)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
