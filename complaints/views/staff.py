"""Old import path, kept while callers move: the staff pages are split by page
(staff_home, staff_queue, staff_case, staff_bulk, staff_walk_in, staff_common)."""

from complaints.views.staff_bulk import *  # noqa: F403
from complaints.views.staff_case import *  # noqa: F403
from complaints.views.staff_common import *  # noqa: F403
from complaints.views.staff_home import *  # noqa: F403
from complaints.views.staff_queue import *  # noqa: F403
from complaints.views.staff_walk_in import *  # noqa: F403
