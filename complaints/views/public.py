"""Old import path, kept while callers move: the citizen pages are split by journey
(public_pages, public_filing, public_tracking, public_common)."""

from complaints.views.public_common import *  # noqa: F403
from complaints.views.public_filing import *  # noqa: F403
from complaints.views.public_pages import *  # noqa: F403
from complaints.views.public_tracking import *  # noqa: F403
