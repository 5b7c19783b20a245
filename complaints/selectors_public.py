"""Old import path, kept while callers move: complaints.selectors.public."""

from complaints.selectors.public import *  # noqa: F403
