"""Old import path, kept while callers move: complaints.services.drafts."""

from complaints.services.drafts import *  # noqa: F403
