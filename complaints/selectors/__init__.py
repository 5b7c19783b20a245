"""Reads: `scope` (staff, scoped), `public` (citizens, followers, open data), `queue` (the staff
queue), `case` (one case for its viewer). The old `complaints.selectors` names are
re-exported here."""

from complaints.access import actor_scope_paths, actor_scope_q  # noqa: F401
from complaints.selectors.public import *  # noqa: F403
from complaints.selectors.scope import *  # noqa: F403
