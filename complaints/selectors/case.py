"""The read model of one case for its viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from complaints import actions
from complaints.access import (
    actor_handles,
    actor_is_national_admin,
    actor_roles_over,
    actor_scope_paths,
    escalation_addressed_to,
)
from complaints.clock import WorkingCalendar
from complaints.models import (
    OPEN_STATUSES,
    Attachment,
    Clock,
    Complaint,
    ComplaintEvent,
    EscalationReason,
    EventType,
    Response,
    Status,
)
from complaints.policy import (
    Deadline,
    deadline_for,
    due_soon_threshold,
    escalation_ladder_roles,
    working_days_text,
)
from complaints.selectors.queue import similar_words
from complaints.selectors.scope import complaint_events_for_actor


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
        # resumes with the working days it had left, or as late as it already was
        # (complaint_supply_info).
        clocks.append(
            {
                "key": "verify",
                "label": _("Verification"),
                "due": None,
                "state": (
                    ("tag--grey", _("Paused: %(days)s left") % {"days": _days(left)})
                    if (left := c.verify_remaining_days) >= 0
                    else ("tag--red", _("Paused, overdue by %(days)s") % {"days": _days(-left)})
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
            elif due <= due_soon_threshold(now, cal):
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
                "note": (
                    _("Capped at the 60-day ceiling: the tier's working days do not fit in it.")
                    if key == "resolution" and c.resolution_capped
                    else ""
                ),
            }
        )
    return clocks


def _days(n: int) -> str:
    return working_days_text(n)


def _calendar_days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


EVENT_GROUPS = {
    EventType.RESPONSE_PUBLISHED: ("answer", gettext_lazy("Public answer")),
    EventType.NOTE: ("note", gettext_lazy("Internal note")),
    EventType.ESCALATED: ("escalation", gettext_lazy("Escalation")),
    EventType.ESCALATION_ACKNOWLEDGED: ("escalation", gettext_lazy("Escalation")),
    EventType.FORWARDED: ("forward", gettext_lazy("Forward")),
    EventType.ROUTE_RETURNED: ("forward", gettext_lazy("Returned by the unit")),
    EventType.DATA_REQUESTED: ("reporter", gettext_lazy("Asked of the reporter")),
    EventType.DRAFT_SAVED: ("draft", gettext_lazy("Draft answer")),
    EventType.DRAFT_APPROVED: ("draft", gettext_lazy("Draft answer")),
    EventType.DRAFT_RETURNED: ("draft", gettext_lazy("Draft answer")),
    EventType.PRIVACY_CHANGED: ("privacy", gettext_lazy("Privacy")),
    EventType.RECLASSIFIED: ("status", gettext_lazy("Classification")),
    # Assigning never changes the status: "Status change" would mislabel it.
    EventType.ASSIGNED: ("status", gettext_lazy("Assignment")),
}


def register_timeline_group(event_type: str, group: str, label: Any) -> None:
    """Apps above complaints place the timeline entries they write in a group of the staff
    timeline (focal_points: a nudge, a corrective action)."""
    EVENT_GROUPS[event_type] = (group, label)


def event_author(event) -> str:
    label = event.actor_label
    if label == "reporter":
        return _("Reporter")
    if label == "system":
        return _("System")
    if label == "staff":
        return event.actor.get_full_name() if event.actor else _("Staff")
    if event.actor is not None:
        return event.actor.get_full_name()
    return label or _("System")


def timeline_entries(events) -> list[dict[str, Any]]:
    """The staff timeline: each event with its group, label, title and author."""
    items = []
    # get_type_display() would build (and translate) every label of the field for each event.
    type_labels = dict(ComplaintEvent._meta.get_field("type").flatchoices)
    for e in events:
        group, label = EVENT_GROUPS.get(e.type, ("status", _("Status change")))
        if e.type in (
            EventType.ACCEPTED,
            EventType.OBJECTED,
            EventType.INFO_SUPPLIED,
            EventType.DATA_SUPPLIED,
            EventType.RATED,
        ):
            group, label = ("reporter", _("From the reporter"))
        title = type_labels.get(e.type, e.type)
        if e.type == EventType.FORWARDED:
            title = _("Forwarded to %(agency)s") % {"agency": e.forwarded_to_name}
        elif e.type == EventType.ROUTED:
            title = _("Routed to %(unit)s") % {"unit": e.data.get("unit_name", "")}
        elif e.type == EventType.ASSIGNED:
            who = e.data.get("assignee_name")
            title = _("Assigned to %(name)s") % {"name": who} if who else _("Assignee cleared")
        elif e.type == EventType.TAKEN and e.from_status == e.to_status:
            label = _("Assignment")
        elif e.type == EventType.RECLASSIFIED and e.data.get("field") == "category":
            title = _("Category changed: %(old)s → %(new)s") % {
                "old": e.data.get("from_name") or _("none"),
                "new": e.data.get("to_name", ""),
            }
        elif e.type in (EventType.ARCHIVED, EventType.CLOSED) and e.data.get("breaches"):
            # The deadlines it had already missed stay on record after it ends.
            title = _("%(event)s after a missed deadline: %(clocks)s") % {
                "event": type_labels.get(e.type, e.type),
                "clocks": ", ".join(
                    str(Clock(b["clock"]).label) if b["clock"] in Clock.values else b["clock"]
                    for b in e.data["breaches"]
                ),
            }
        elif e.type == EventType.DATA_REQUESTED:
            title = _(
                "Data requested during follow-up. Not an answer: the deadlines keep running "
                "and nothing pauses."
            )
        elif e.type == EventType.DRAFT_SAVED and e.data.get("was_approved"):
            title = _("Approved draft changed: it needs approval again")
        elif e.type == EventType.ESCALATED:
            clock = e.data.get("clock", "")
            title = _("Escalated: %(clock)s, level %(level)s") % {
                "clock": Clock(clock).label if clock in Clock.values else clock,
                "level": e.data.get("level", ""),
            }
            if e.data.get("name") in EscalationReason.values:
                # Not a deadline: say what caused it (a second objection from the reporter).
                title = f"{title} ({EscalationReason(e.data['name']).label})"
        if str(title) == str(label):
            # "Internal note", "Nudge": the label already says it.
            title = ""
        items.append(
            {
                "event": e,
                "group": group,
                "label": label,
                "title": title,
                "author": event_author(e),
            }
        )
    return items


RELATED_CANDIDATES = 300


def related_complaints(c: Complaint, actor: User) -> list[Complaint]:
    """Possible duplicates: open complaints of the same agency and category, in the viewer's
    current scope, whose titles hold the three longest words of this one's. Only the newest
    RELATED_CANDIDATES open complaints of the category are compared (an index walk read in one
    query, compared here), so a category with tens of thousands of open complaints costs the
    same as a small one; duplicates are nearly always recent."""
    words = similar_words(c.title) if c.agency_id else []
    if not words:
        return []
    place = Q(category_id=c.category_id) if c.category_id else Q(agency_id=c.agency_id)
    fields = ("pk", "tracking_number", "title", "status", "is_anonymous", "created_at")
    candidates = (
        Complaint.objects.filter(place, status__in=sorted(OPEN_STATUSES))
        .order_by("-created_at")
        .values_list(*fields, "agency_id", "scope_path")[:RELATED_CANDIDATES]
    )
    # The scope of the queue: the complaints the viewer's agencies handle now.
    paths = None if actor_is_national_admin(actor) else tuple(actor_scope_paths(actor))
    found = []
    for *values, agency_id, scope_path in candidates:
        title = values[2].lower()
        if (
            values[0] != c.pk
            and agency_id == c.agency_id
            and (paths is None or scope_path.startswith(paths))
            and all(w in title for w in words)
        ):
            found.append(Complaint(**dict(zip(fields, values, strict=True))))
            if len(found) == 5:
                break
    return found


def escalations_for_viewer(c: Complaint, actor: User) -> list[dict[str, Any]]:
    """The unacknowledged escalations of this complaint addressed to the viewer (the roles of
    the ladder step, as its mail was sent) whose clock still runs: two queries when there are
    any, one otherwise."""
    if not actor_handles(actor, c):
        return []
    pending = [
        e
        for e in c.escalations.filter(acknowledged_at__isnull=True).order_by("created_at", "pk")
        if e.is_live  # the related manager hands each row this complaint: no query
    ]
    if not pending:
        return []
    ladder = escalation_ladder_roles(complaint=c)
    return [
        {
            "e": e,
            "clock": Clock(e.clock).label if e.clock in Clock.values else e.clock,
            "past_due": e.due_at <= e.created_at,
        }
        for e in pending
        if escalation_addressed_to(complaint=c, roles=ladder.get(e.level, set()), actor=actor)
    ]


@dataclass
class CaseView:
    """One case as its viewer may see it: everything the staff case page (and the API's case
    resource) renders, read through the scoped selectors, with the actions on offer."""

    complaint: Complaint
    roles: frozenset[str]
    timeline: list[dict[str, Any]]
    responses: list[Response]
    draft: Response | None
    attachments: list[Attachment]
    related: list[Complaint] | None  # None: not looked for (see case_read)
    escalations: list[dict[str, Any]]
    offered: list[str]
    deadline: Deadline
    clocks: list[dict[str, Any]]
    now: dt.datetime

    @property
    def read_only(self) -> bool:
        return not self.roles


def case_read(
    *,
    complaint: Complaint,
    actor: User,
    now: dt.datetime | None = None,
    with_timeline: bool = True,
    with_related: bool = True,
) -> CaseView:
    """The read model of a case for `actor`; `complaint` comes from a scoped selector
    (complaint_get_for_actor). The API leaves out the timeline (served by its own resource)
    and the possible duplicates. Those serve the merge decision: they are looked for only
    while the viewer may merge the complaint (before the work on it starts), and are None
    otherwise."""
    c = complaint
    now = now or timezone.now()
    roles = actor_roles_over(actor, c)
    responses = list(
        c.responses.select_related("author", "approved_by").prefetch_related("attachments")
    )
    draft = actions.current_draft(responses)
    offered = actions.offered(c, actor=actor, roles=roles, draft=draft)
    return CaseView(
        complaint=c,
        roles=roles,
        timeline=timeline_entries(complaint_events_for_actor(complaint=c, actor=actor))
        if with_timeline
        else [],
        responses=responses,
        draft=draft,
        attachments=list(c.attachments.select_related("uploaded_by").order_by("created_at", "id")),
        related=related_complaints(c, actor) if with_related and actions.MERGE in offered else None,
        escalations=escalations_for_viewer(c, actor),
        offered=offered,
        deadline=deadline_for(c, now, {}),
        clocks=clock_rows(c, now),
        now=now,
    )
