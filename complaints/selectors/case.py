"""The read model of one case for its viewer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.clock import WorkingCalendar
from complaints.models import Complaint, Status
from complaints.policy import working_days_text


def clock_rows(c: Complaint, now: dt.datetime) -> list[dict[str, Any]]:
    """Every deadline of a complaint for a case page: its label, due moment, and either its
    state as a tag (running: days left, due soon, overdue; paused) or when it finished."""
    cal = WorkingCalendar.for_agency(c.unit or c.agency)
    running = {
        "verify": c.status == Status.SUBMITTED,
        "response": c.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS),
        "resolution": c.is_open and c.verified_at is not None and c.resolved_at is None,
        "reporter_reply": c.status == Status.AWAITING_REPORTER,
        "reporter_info": c.status == Status.NEEDS_INFO,
        "hard_ceiling": c.is_open and c.hard_ceiling_at is not None,
    }
    fields = [
        ("verify", _("Verification"), c.verify_due_at),
        ("response", _("First response"), c.response_due_at),
        ("resolution", _("Resolution"), c.resolution_due_at),
        ("reporter_reply", _("Reporter reply"), c.reporter_reply_due_at),
        ("reporter_info", _("Reporter information"), c.reporter_info_due_at),
        ("hard_ceiling", _("Hard ceiling (60 calendar days)"), c.hard_ceiling_at),
    ]
    # When a stopped clock stopped: its step done (or the complaint finished). The response
    # clock may have restarted (forward, objection); it then runs again and shows its state.
    ended = c.archived_at if c.status == Status.ARCHIVED else c.closed_at
    finished = {
        "verify": c.verified_at or ended,
        "response": c.first_response_at or ended,
        "resolution": c.resolved_at or ended,
        "reporter_reply": ended,
        "reporter_info": ended,
        "hard_ceiling": ended,
    }
    clocks = []
    if c.status == Status.NEEDS_INFO and c.verify_remaining_days is not None:
        # Tunda: the verification clock has no deadline while it waits for the reporter; it
        # resumes with the working days it had left (complaint_supply_info).
        clocks.append(
            {
                "key": "verify",
                "label": _("Verification"),
                "due": None,
                "state": (
                    "tag--grey",
                    _("Paused: %(days)s left") % {"days": _days(c.verify_remaining_days)},
                ),
                "finished": None,
                "current": False,
            }
        )
    for key, label, due in fields:
        if due is None:
            continue
        state = None
        if running[key] and key == "hard_ceiling":
            # The ceiling is counted in calendar days (DESIGN §4), in the agency's zone.
            days = (cal.local_date(due) - cal.local_date(now)).days
            if due < now:
                text = _("Overdue by %(days)s") % {"days": _calendar_days(max(1, -days))}
                state = ("tag--red", text)
            elif days <= 1:
                text = _("Due soon · %(days)s left") % {"days": _calendar_days(days)}
                state = ("tag--amber", text)
            else:
                state = ("tag--grey", _("%(days)s left") % {"days": _calendar_days(days)})
        elif running[key]:
            days = cal.working_days_left(now, due)
            if due < now:
                state = ("tag--red", _("Overdue by %(days)s") % {"days": _days(-days)})
            elif days <= 1:
                state = ("tag--amber", _("Due soon · %(days)s left") % {"days": _days(days)})
            else:
                state = ("tag--grey", _("%(days)s left") % {"days": _days(days)})
        clocks.append(
            {
                "key": key,
                "label": label,
                "due": due,
                "state": state,
                "finished": None if running[key] else finished[key],
                "current": key == c.current_clock,
            }
        )
    return clocks


def _days(n: int) -> str:
    return working_days_text(n)


def _calendar_days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
