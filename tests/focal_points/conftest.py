"""Fixtures of the focal-point tests (the ones shared with other packages are in
tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.focal_points.helpers import World


@pytest.fixture
def world(focal_world: World) -> World:
    """The focal-point tests' world: tests/conftest.py's `focal_world`."""
    return focal_world
