"""Old import path, kept while callers move: complaints.jobs.portable."""

from complaints.jobs.portable import *  # noqa: F403
