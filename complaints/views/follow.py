"""Old import path, kept while callers move: complaints.views.public_follow."""

from complaints.views.public_follow import *  # noqa: F403
