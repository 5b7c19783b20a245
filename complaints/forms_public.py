"""Old import path, kept while callers move: complaints.views.forms_public."""

from complaints.views.forms_public import *  # noqa: F403
