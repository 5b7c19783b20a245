"""Old import path, kept while callers move: complaints.selectors.case."""

from complaints.selectors.case import *  # noqa: F403
