"""Old import path, kept while callers move: complaints.views.forms_staff."""

from complaints.views.forms_staff import *  # noqa: F403
