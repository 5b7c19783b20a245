"""Old import path, kept while callers move: complaints.outbox.queue and complaints.outbox.links."""

from complaints.access import (  # noqa: F401
    follow_confirm_read,
    follow_confirm_token,
    tracking_link_read,
    tracking_link_token,
)
from complaints.outbox.links import *  # noqa: F403
from complaints.outbox.queue import *  # noqa: F403
