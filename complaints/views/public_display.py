"""What a citizen reads about a complaint: the status tag and its one sentence (UX §4), the
deadlines in hari kerja and whether they were kept, and the public timeline in plain words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.clock import WorkingCalendar
from complaints.models import Complaint, ComplaintEvent, EventType, Kind, Status
from complaints.services.core import SYSTEM_ARCHIVE_REASONS

ACTION_STATUSES = (Status.NEEDS_INFO, Status.AWAITING_REPORTER)


def calendar(complaint: Complaint) -> WorkingCalendar:
    return WorkingCalendar.for_agency(complaint.unit or complaint.agency)


def local_day(moment: dt.datetime | None, cal: WorkingCalendar) -> str:
    if moment is None:
        return ""
    return date_format(cal.local_date(moment), "j F Y")


def days_left_text(due: dt.datetime, cal: WorkingCalendar, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    left = cal.working_days_left(now, due)
    if left > 0:
        return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}
    if now <= due:
        return _("due today")
    late = -left
    return ngettext("%(n)s working day late", "%(n)s working days late", late) % {"n": late}


def deadline_text(due: dt.datetime | None, cal: WorkingCalendar) -> str:
    """“12 Agustus 2026 (3 hari kerja lagi)”."""
    if due is None:
        return ""
    return f"{local_day(due, cal)} ({days_left_text(due, cal)})"


def archive_reason_text(reason: str) -> str:
    """An archive reason in the reader's language: the system's own reasons are stored as
    their English source and translated here; what staff typed is shown as written."""
    if reason in SYSTEM_ARCHIVE_REASONS:
        return _(reason)
    # "<a listed reason>: <what staff added>": the listed part in the reader's language.
    head, sep, rest = reason.partition(": ")
    if sep and head in SYSTEM_ARCHIVE_REASONS:
        return f"{_(head)}: {rest}"
    return reason


def excerpt(text: str, limit: int = 160) -> str:
    """The opening of a text, cut at a word boundary, with "…" when something was left out."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def kind_label(kind: str) -> str:
    return {
        Kind.COMPLAINT: _("Complaint"),
        Kind.INFORMATION_REQUEST: _("Information request"),
        Kind.SUGGESTION: _("Suggestion"),
    }.get(kind, kind)


@dataclass
class StatusView:
    label: str
    tag_class: str
    sentence: str
    needs_action: bool


def status_label(status: str) -> str:
    return {
        Status.SUBMITTED: _("Waiting to be checked"),
        Status.NEEDS_INFO: _("Information needed from you"),
        Status.VERIFIED: _("Accepted"),
        Status.ASSIGNED: _("Sent to the responsible unit"),
        Status.IN_PROGRESS: _("Being followed up"),
        Status.AWAITING_REPORTER: _("Answered"),
        Status.CLOSED: _("Closed"),
        Status.ARCHIVED: _("Not processed"),
    }.get(status, status)


def status_tag_class(status: str) -> str:
    if status in ACTION_STATUSES:
        return "tag--action"
    if status == Status.CLOSED:
        return "tag--grey"
    if status == Status.ARCHIVED:
        return "tag--grey"
    return ""


def status_view(complaint: Complaint, cal: WorkingCalendar | None = None) -> StatusView:
    cal = cal or calendar(complaint)
    status = complaint.status
    agency = complaint.agency.name if complaint.agency else _("the agency responsible")
    if complaint.data_request_open:
        sentence = _(
            "%(agency)s is following up your report and asks you for data; send it as soon as "
            "you can."
        ) % {"agency": agency}
    elif status == Status.SUBMITTED:
        sentence = _("An officer checks your report by %(date)s.") % {
            "date": local_day(complaint.verify_due_at, cal)
        }
    elif status == Status.NEEDS_INFO:
        sentence = _("Send the information before %(date)s; after that the report is archived.") % {
            "date": local_day(complaint.reporter_info_due_at, cal)
        }
    elif status == Status.VERIFIED:
        sentence = _("Your report has been accepted and passed to %(agency)s.") % {"agency": agency}
    elif status == Status.ASSIGNED:
        sentence = _("%(unit)s answers by %(date)s.") % {
            "unit": complaint.unit.name if complaint.unit else agency,
            "date": local_day(complaint.response_due_at, cal),
        }
    elif status == Status.IN_PROGRESS:
        sentence = _("%(agency)s is working on your report.") % {"agency": agency}
    elif status == Status.AWAITING_REPORTER:
        sentence = _(
            "Accept or object to the answer before %(date)s; without a reply, the report is closed."
        ) % {"date": local_day(complaint.reporter_reply_due_at, cal)}
    elif status == Status.CLOSED:
        sentence = _("The report was closed on %(date)s.") % {
            "date": local_day(complaint.closed_at, cal)
        }
        if complaint.rating is None:
            sentence += " " + _("Rate how it was handled.")
    else:
        reason = archive_reason_text(complaint.archive_reason)
        sentence = _("Reason: %(reason)s.") % {"reason": reason.rstrip(".")}
    return StatusView(
        label=status_label(status),
        tag_class=status_tag_class(status),
        sentence=sentence,
        needs_action=status in ACTION_STATUSES
        or complaint.data_request_open
        or (status == Status.CLOSED and complaint.rating is None),
    )


@dataclass
class DeadlineRow:
    step: str
    text: str
    kept: bool | None = None  # None: still running


def _kept_text(done_at: dt.datetime, due: dt.datetime | None, cal: WorkingCalendar) -> tuple:
    when = local_day(done_at, cal)
    if due is None:
        return _("Done on %(date)s") % {"date": when}, None
    if done_at <= due:
        return _("Done on %(date)s, on time") % {"date": when}, True
    return (
        _("Done on %(date)s, after the deadline of %(due)s")
        % {"date": when, "due": local_day(due, cal)},
        False,
    )


def deadline_rows(complaint: Complaint, cal: WorkingCalendar | None = None) -> list[DeadlineRow]:
    """Each step's deadline and whether it was kept, in working days."""
    cal = cal or calendar(complaint)
    c = complaint
    rows: list[DeadlineRow] = []
    check = _("Checking your report")
    if c.status == Status.SUBMITTED and c.verify_due_at:
        rows.append(DeadlineRow(check, _("By %(d)s") % {"d": deadline_text(c.verify_due_at, cal)}))
    elif c.status == Status.NEEDS_INFO:
        rows.append(DeadlineRow(check, _("Paused until you send the information")))
    elif c.verified_at:
        text, kept = _kept_text(c.verified_at, c.verify_due_at, cal)
        rows.append(DeadlineRow(check, text, kept))
    if c.status == Status.NEEDS_INFO and c.reporter_info_due_at:
        rows.append(
            DeadlineRow(
                _("Your information"),
                _("By %(d)s") % {"d": deadline_text(c.reporter_info_due_at, cal)},
            )
        )
    answer = _("The agency's answer")
    if c.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS) and c.response_due_at:
        rows.append(
            DeadlineRow(answer, _("By %(d)s") % {"d": deadline_text(c.response_due_at, cal)})
        )
    elif c.first_response_at:
        text, kept = _kept_text(c.first_response_at, c.response_due_at, cal)
        rows.append(DeadlineRow(answer, text, kept))
    if c.resolution_capped and c.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS):
        # The tier's working days do not fit in the 60-day ceiling: say when it really ends.
        rows.append(
            DeadlineRow(
                _("Follow-up completed"),
                _("By %(d)s, the 60-day limit") % {"d": deadline_text(c.resolution_due_at, cal)},
            )
        )
    if c.status == Status.AWAITING_REPORTER and c.reporter_reply_due_at:
        rows.append(
            DeadlineRow(
                _("Your reply to the answer"),
                _("By %(d)s") % {"d": deadline_text(c.reporter_reply_due_at, cal)},
            )
        )
    return rows


@dataclass
class TimelineItem:
    title: str
    when: str
    body: str = ""
    by_reporter: bool = False
    is_answer: bool = False
    attachments: list = field(default_factory=list)
    time: dt.datetime | None = None


def rating_label(rating: int | None) -> str:
    labels = {
        5: _("Very satisfied"),
        4: _("Satisfied"),
        3: _("Neither satisfied nor dissatisfied"),
        2: _("Dissatisfied"),
        1: _("Very dissatisfied"),
    }
    return labels.get(rating or 0, "")


def timeline_item(
    event: ComplaintEvent, complaint: Complaint, cal: WorkingCalendar
) -> TimelineItem | None:
    data = event.data or {}
    agency_name = complaint.agency.name if complaint.agency else ""
    body = ""
    by_reporter = False
    is_answer = False
    t = event.type
    if t == EventType.SUBMITTED:
        title = _("Report sent")
    elif t == EventType.VERIFIED:
        title = _("Report accepted")
    elif t == EventType.HELD_FOR_INFO:
        title = _("The officer asked you for more information")
        body = event.body
    elif t == EventType.INFO_SUPPLIED:
        title = _("From you: more information")
        body, by_reporter = event.body, True
    elif t == EventType.DATA_REQUESTED:
        title = _(
            "The officer asked you for data to follow up your report. This is not the answer; "
            "the agency's deadline keeps running."
        )
        body = event.body
    elif t == EventType.DATA_SUPPLIED:
        title = _("From you: the data that was asked for")
        body, by_reporter = event.body, True
    elif t == EventType.ARCHIVED:
        title = _("Report not processed")
        body = archive_reason_text(event.body)
    elif t == EventType.ROUTED:
        title = _("Sent to %(unit)s") % {"unit": data.get("unit_name") or agency_name}
    elif t == EventType.FORWARDED:
        title = _("Passed to %(agency)s: %(reason)s") % {
            "agency": event.forwarded_to_name,
            "reason": event.body,
        }
    elif t == EventType.RESPONSE_PUBLISHED:
        title = _("Official answer from %(agency)s") % {"agency": event.actor_label or agency_name}
        body, is_answer = event.body, True
    elif t == EventType.ACCEPTED:
        title = _("From you: the answer settles the report")
        by_reporter = True
    elif t == EventType.OBJECTED:
        title = _("From you: objection to the answer")
        body, by_reporter = event.body, True
    elif t == EventType.RATED:
        title = _("From you: rating “%(label)s”") % {"label": rating_label(data.get("rating"))}
        body, by_reporter = event.body, True
    elif t == EventType.CLOSED:
        title = _("Report closed")
    elif t == EventType.MERGED:
        title = _("Joined with another report about the same matter")
    else:
        return None
    return TimelineItem(
        title=title,
        when=local_day(event.created_at, cal),
        time=event.created_at,
        body=body,
        by_reporter=by_reporter,
        is_answer=is_answer,
        attachments=[a for a in event.attachments.all() if a.is_public],
    )


def timeline(events, complaint: Complaint, cal: WorkingCalendar) -> list[TimelineItem]:
    items = (timeline_item(e, complaint, cal) for e in events)
    return [i for i in items if i is not None]
