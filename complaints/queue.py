"""Old import path, kept while callers move: complaints.selectors.queue (the queue),
complaints.policy (clock states) and complaints.access (memberships and scope)."""

from complaints.access import *  # noqa: F403
from complaints.policy import *  # noqa: F403
from complaints.selectors.queue import *  # noqa: F403
