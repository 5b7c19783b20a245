from io import StringIO

import pytest
from django.core.management import call_command

from focal_points.models import BoardSnapshot
from tests.focal_points.helpers import make_world, open_complaint


@pytest.mark.django_db
def test_focal_refresh_builds_the_board_snapshot():
    world = make_world()
    open_complaint(world.a)
    out = StringIO()

    call_command("focal_refresh", stdout=out)

    snapshot = BoardSnapshot.objects.get()
    assert (snapshot.agency_id, snapshot.unit_id) == (world.a.pk, None)
    assert "Board cells: 1." in out.getvalue()
