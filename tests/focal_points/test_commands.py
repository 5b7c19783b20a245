from io import StringIO

import pytest
from django.core.management import call_command

from focal_points.models import BoardSnapshot, ScorecardFact, ScorecardMonth
from tests.focal_points.helpers import make_world, open_complaint


@pytest.mark.django_db
def test_focal_refresh_builds_the_board_snapshot_and_scorecard_rollups():
    world = make_world()
    open_complaint(world.a)
    out = StringIO()

    call_command("focal_refresh", stdout=out)

    assert ScorecardFact.objects.count() == 1
    assert ScorecardMonth.objects.filter(received=1).exists()
    assert BoardSnapshot.objects.exists()
    assert "Scorecard facts refreshed: 1" in out.getvalue()
