"""Fixtures shared by the complaints tests (the ones shared with other packages are in
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaints.clock import clear_calendar_cache
from tests.complaints.staff_world import World
from tests.complaints.sweep_support import make_org


@pytest.fixture
def world(staff_world: World) -> World:
    """The staff workspace tests' world: tests/conftest.py's `staff_world`."""
    return staff_world


@pytest.fixture
def fresh_calendar() -> Iterator[None]:
    """CalendarDay rows are cached for a few minutes; every test sees its own rows. Modules
    that need it say so with `pytestmark = pytest.mark.usefixtures("fresh_calendar")`."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def org(db) -> dict:
    """An agency with one unit and one holder of every role (sweep_support.make_org)."""
    return make_org()
