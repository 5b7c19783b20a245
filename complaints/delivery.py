"""Old import path, kept while callers move: complaints.outbox.delivery."""

from complaints.outbox.delivery import *  # noqa: F403
from complaints.services.escalation import (  # noqa: F401
    ACKNOWLEDGED_BEFORE_DELIVERY,
    DIGEST_LISTED,
    escalation_ids,
)
