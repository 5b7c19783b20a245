"""Writes. One service per transition of DESIGN §3: each locks the complaint, checks the
transition table (`complaints.actions`) and the actor's role and scope (`complaints.access`),
saves with update_fields, appends one event, recomputes the clocks and queues notifications
that leave the process only after commit.

`from complaints import services` keeps working for every service; the access and policy
names it used to hold are re-exported for old import paths."""

from complaints.access import *  # noqa: F403
from complaints.policy import (  # noqa: F401
    calendar_for,
    escalation_ladder_roles,
    escalation_step_roles,
    sla_policy_for,
)
from complaints.services.calendar import *  # noqa: F403
from complaints.services.casework import *  # noqa: F403
from complaints.services.core import *  # noqa: F403
from complaints.services.escalation import *  # noqa: F403
from complaints.services.filing import *  # noqa: F403
from complaints.services.followups import *  # noqa: F403
from complaints.services.intake import *  # noqa: F403
from complaints.services.policy import *  # noqa: F403
from complaints.services.reporter import *  # noqa: F403
from complaints.services.triage import *  # noqa: F403
