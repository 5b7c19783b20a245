"""Pages for people who follow someone else's report ("Ikuti laporan ini"): confirming the
email address, the read-only follower page and stopping. A follower sees the status, the
agency's public answers and a neutral timeline: never the reporter's identity, words or
actions, and never the reporter's buttons."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.downloads import download_response
from common.exceptions import NotFound
from common.language import respond_in_saved_language
from complaints.access import follow_confirm_read
from complaints.clock import WorkingCalendar
from complaints.models import Attachment, Complaint, ComplaintEvent, EventType, Status
from complaints.selectors.public import (
    complaint_follower_get,
    complaint_public_events,
    follower_get_any,
)
from complaints.services.filing import complaint_follow_confirm, complaint_unfollow
from complaints.views import public_display as display


def follower_status(complaint: Complaint, cal: WorkingCalendar) -> display.StatusView:
    """The status tag and sentence in words for someone who did not file the report."""
    status = complaint.status
    agency = complaint.agency.name if complaint.agency else _("the agency responsible")
    label = display.status_label(status)
    if status == Status.SUBMITTED:
        sentence = _("An officer checks the report by %(date)s.") % {
            "date": display.local_day(complaint.verify_due_at, cal)
        }
    elif status == Status.NEEDS_INFO:
        label = _("Waiting for information")
        sentence = _("The officer is waiting for more information from the reporter.")
    elif status == Status.VERIFIED:
        sentence = _("The report has been accepted and passed to %(agency)s.") % {"agency": agency}
    elif status == Status.ASSIGNED:
        sentence = _("%(unit)s answers by %(date)s.") % {
            "unit": complaint.unit.name if complaint.unit else agency,
            "date": display.local_day(complaint.response_due_at, cal),
        }
    elif status == Status.IN_PROGRESS:
        sentence = _("%(agency)s is working on the report.") % {"agency": agency}
    elif status == Status.AWAITING_REPORTER:
        sentence = _(
            "%(agency)s has answered. The reporter has until %(date)s to accept the answer "
            "or object to it."
        ) % {"agency": agency, "date": display.local_day(complaint.reporter_reply_due_at, cal)}
    elif status == Status.CLOSED:
        sentence = _("The report was closed on %(date)s.") % {
            "date": display.local_day(complaint.closed_at, cal)
        }
    else:
        reason = display.archive_reason_text(complaint.archive_reason)
        sentence = _("Reason: %(reason)s.") % {"reason": reason.rstrip(".")}
    tag = "" if status in display.ACTION_STATUSES else display.status_tag_class(status)
    return display.StatusView(label=label, tag_class=tag, sentence=sentence, needs_action=False)


def follower_timeline_item(
    event: ComplaintEvent, complaint: Complaint, cal: WorkingCalendar
) -> display.TimelineItem | None:
    """One public event in neutral words. Only the agency's answers carry their text and
    files; what the reporter wrote (information, objections, rating comments) stays out."""
    agency_name = complaint.agency.name if complaint.agency else ""
    data = event.data or {}
    body = ""
    is_answer = False
    attachments: list = []
    t = event.type
    if t == EventType.SUBMITTED:
        title = _("Report sent")
    elif t == EventType.VERIFIED:
        title = _("Report accepted")
    elif t == EventType.HELD_FOR_INFO:
        title = _("The officer asked the reporter for more information")
    elif t == EventType.INFO_SUPPLIED:
        title = _("The reporter sent more information")
    elif t == EventType.DATA_REQUESTED:
        title = _("The officer asked the reporter for data to follow up the report")
    elif t == EventType.DATA_SUPPLIED:
        title = _("The reporter sent the data that was asked for")
    elif t == EventType.ROUTED:
        title = _("Sent to %(unit)s") % {"unit": data.get("unit_name") or agency_name}
    elif t == EventType.FORWARDED:
        title = _("Passed to %(agency)s") % {"agency": event.forwarded_to_name}
    elif t == EventType.RESPONSE_PUBLISHED:
        title = _("Official answer from %(agency)s") % {"agency": event.actor_label or agency_name}
        body, is_answer = event.body, True
        attachments = [a for a in event.attachments.all() if a.is_public and a.response_id]
    elif t == EventType.ACCEPTED:
        title = _("The reporter accepted the answer")
    elif t == EventType.OBJECTED:
        title = _("The reporter objected to the answer")
    elif t == EventType.CLOSED:
        title = _("Report closed")
    elif t == EventType.ARCHIVED:
        title = _("Report not processed")
    elif t == EventType.MERGED:
        title = _("Joined with another report about the same matter")
    else:
        return None
    return display.TimelineItem(
        title=title,
        when=display.local_day(event.created_at, cal),
        time=event.created_at,
        body=body,
        is_answer=is_answer,
        attachments=attachments,
    )


def _follower_or_404(token: str):
    follower = complaint_follower_get(token=token)
    if follower is None:
        raise Http404
    return follower


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """The link in the confirmation email. A button confirms (a POST), so mail scanners that
    open links do not follow reports on anyone's behalf. Once confirmed, the link opens the
    follower page."""
    raw = follow_confirm_read(signed)
    if raw is None:
        raise Http404
    pending = follower_get_any(token=raw)
    language = pending.language if pending else None

    def respond() -> HttpResponse:
        if request.method == "POST":
            try:
                follower = complaint_follow_confirm(signed)
            except NotFound as exc:
                raise Http404 from exc
            messages.success(
                request,
                _(
                    "You now follow this report. We email you when it is answered and when it "
                    "closes."
                ),
            )
            return redirect("complaints:follow_page", token=follower.token)
        if pending is not None and pending.confirmed_at is not None:
            messages.info(request, _("You already follow this report."))
            return redirect("complaints:follow_page", token=pending.token)
        return render(request, "complaints/public/follow/confirm.html")

    return respond_in_saved_language(request, language, respond)


def follow_page(request: HttpRequest, token: str) -> HttpResponse:
    follower = _follower_or_404(token)
    return respond_in_saved_language(
        request, follower.language, lambda: _follow_page(request, follower)
    )


def _follow_page(request: HttpRequest, follower) -> HttpResponse:
    complaint = follower.complaint
    cal = display.calendar(complaint)
    events = complaint_public_events(complaint=complaint)
    items = (follower_timeline_item(e, complaint, cal) for e in events)
    response = render(
        request,
        "complaints/public/follow/page.html",
        {
            "complaint": complaint,
            "token": follower.token,
            "status": follower_status(complaint, cal),
            "timeline": [i for i in items if i is not None],
            "kind": display.kind_label(complaint.kind),
            "filed_on": display.local_day(complaint.submitted_at or complaint.created_at, cal),
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop following. The same answer whether or not the token exists, and a second click is
    harmless: once stopped (or for a token that never existed) the page says so instead of
    offering the button again."""
    follower = follower_get_any(token=token)

    def respond() -> HttpResponse:
        if request.method == "POST":
            complaint_unfollow(token)
            return render(request, "complaints/public/follow/stopped.html")
        if follower is None:
            return render(request, "complaints/public/follow/stopped.html")
        return render(request, "complaints/public/follow/stop.html")

    return respond_in_saved_language(request, follower.language if follower else None, respond)


def follow_attachment(request: HttpRequest, token: str, key: str) -> HttpResponse:
    """A file of the agency's published answer (never a file the reporter sent)."""
    follower = _follower_or_404(token)
    attachment = Attachment.objects.filter(
        key=key,
        complaint_id=follower.complaint.pk,
        is_public=True,
        response__isnull=False,
        event__type=EventType.RESPONSE_PUBLISHED,
    ).first()
    if attachment is None:
        raise Http404
    return download_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
