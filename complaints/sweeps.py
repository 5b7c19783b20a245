"""Old import path, kept while callers move: the sweeps are in complaints.jobs."""

from complaints.jobs.followups import *  # noqa: F403
from complaints.jobs.outbox import *  # noqa: F403
from complaints.jobs.plan import *  # noqa: F403
from complaints.jobs.sla import *  # noqa: F403
from complaints.policy import ESCALATED_CLOCKS, ESCALATED_STATUSES, TRACK_OF_CLOCK, TRACKS, Track  # noqa: F401
from complaints.services.escalation import complaint_escalate_step, escalation_mark_notified  # noqa: F401
