"""Writes for focal-point oversight, one module per concern: designations and coordination
groups, nudges, corrective actions (issue, progress, reminders, overdue escalation, close),
the weekly digest, and the board snapshot (`rollups`).

`from focal_points import services` and `from focal_points.services import X` keep working
for every name the single module held."""

from focal_points.services.core import *  # noqa: F403
from focal_points.services.corrective_actions import *  # noqa: F403
from focal_points.services.designations import *  # noqa: F403
from focal_points.services.digests import *  # noqa: F403
from focal_points.services.nudges import *  # noqa: F403
from focal_points.services.rollups import *  # noqa: F403
