"""Following one's own complaint: tracking number and access code (or a signed link), the
case as the reporter sees it, supplying information, accepting or objecting, rating."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common import ratelimit
from common.downloads import download_response
from common.exceptions import ApplicationError, TransitionNotAllowed
from common.language import respond_in_saved_language
from complaints.access import display_code, normalize_code, tracking_stamp
from complaints.models import Attachment, Complaint, EventType, Status
from complaints.selectors.public import (
    complaint_get_by_tracking_link,
    complaint_get_by_tracking_number,
    complaint_get_for_reporter,
    complaint_latest_public_event,
    complaint_list_for_reporter,
    complaint_public_events,
)
from complaints.services.reporter import (
    complaint_access_code_renew,
    complaint_rate,
    complaint_reporter_accept,
    complaint_reporter_object,
    complaint_supply_data,
    complaint_supply_info,
)
from complaints.views import public_display as display
from complaints.views.forms_public import (
    OBJECT,
    RateForm,
    RespondForm,
    SupplyInfoForm,
    TrackForm,
)
from complaints.views.public_common import (
    attachment_errors,
    authorise_tracking,
    tracking_still_authorised,
)


def _reporter_complaint(request: HttpRequest, number: str) -> Complaint | None:
    """The complaint when this browser is authorised for it (access code or signed link in
    this session, or the signed-in reporter's own), else None. Callers answer both cases the
    same way, so nothing says whether the number exists."""
    number = normalize_code(number)
    complaint = complaint_get_by_tracking_number(tracking_number=number) if number else None
    if complaint is None:
        return None
    if tracking_still_authorised(request, number, tracking_stamp(complaint)):
        return complaint
    user = request.user
    if user.is_authenticated and complaint.reporter_id == user.pk:
        return complaint
    return None


def _not_authorised(number: str) -> HttpResponse:
    """To the tracking form with the number filled in: the same answer whether or not the
    number exists."""
    url = reverse("complaints:track")
    return redirect(f"{url}?{urlencode({'nomor': normalize_code(number)[:20]})}")


def _reporter(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            client = ratelimit.client_key(request)
            limit = ratelimit.tracking_limit()
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None,
                    _("You have tried too many codes. Wait 15 minutes, then try again."),
                )
            else:
                complaint = complaint_get_for_reporter(
                    tracking_number=form.cleaned_data["tracking_number"],
                    access_code=form.cleaned_data["access_code"],
                )
                if complaint is None:
                    ratelimit.hit(limit, client)
                    # One message for any wrong pair, on the number; both fields are marked.
                    form.add_error(
                        "tracking_number",
                        _(
                            "The tracking number and access code do not match a report. Check "
                            "them against your receipt or email."
                        ),
                    )
                    form.fields["access_code"].widget.attrs["aria-invalid"] = "true"
                else:
                    authorise_tracking(
                        request, complaint.tracking_number, tracking_stamp(complaint)
                    )
                    return redirect("complaints:track_detail", number=complaint.tracking_number)
        asked_for_code = False
    else:
        number = normalize_code(request.GET.get("nomor", ""))[:20]
        form = TrackForm(initial={"tracking_number": display_code(number)})
        asked_for_code = bool(number)
    return render(
        request,
        "complaints/public/track/track.html",
        {"form": form, "asked_for_code": asked_for_code},
    )


def track_signed(request: HttpRequest, token: str) -> HttpResponse:
    complaint = complaint_get_by_tracking_link(token=token)
    if complaint is None:
        raise Http404
    authorise_tracking(request, complaint.tracking_number, tracking_stamp(complaint))
    answer = request.GET.get("jawab")
    if answer in ("terima", "sanggah") and complaint.status == Status.AWAITING_REPORTER:
        url = reverse("complaints:track_respond", kwargs={"number": complaint.tracking_number})
        target = f"{url}?{urlencode({'jawab': answer})}"
    else:
        target = reverse("complaints:track_detail", kwargs={"number": complaint.tracking_number})
    # The report's own language when this browser has not chosen one (the link is in an
    # email written in it).
    return respond_in_saved_language(request, complaint.language, lambda: redirect(target))


def track_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        return _not_authorised(number)
    cal = display.calendar(complaint)
    events = list(complaint_public_events(complaint=complaint))
    return render(
        request,
        "complaints/public/track/detail.html",
        {
            "complaint": complaint,
            "status": display.status_view(complaint, cal),
            "deadlines": display.deadline_rows(complaint, cal),
            "timeline": display.timeline(events, complaint, cal),
            "kind": display.kind_label(complaint.kind),
            "filed_on": display.local_day(complaint.submitted_at or complaint.created_at, cal),
            "incident_date": complaint.incident_date,
        },
    )


@require_http_methods(["GET", "POST"])
def track_supply_info(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        return _not_authorised(number)
    # Information asked before verification (needs_info, the clock paused) or data asked
    # during follow-up (nothing paused): one page, the service that fits the step.
    during_followup = complaint.data_request_open
    if complaint.status != Status.NEEDS_INFO and not during_followup:
        return redirect("complaints:track_detail", number=complaint.tracking_number)
    supply = complaint_supply_data if during_followup else complaint_supply_info
    request_event = complaint_latest_public_event(
        complaint=complaint,
        type=EventType.DATA_REQUESTED if during_followup else EventType.HELD_FOR_INFO,
    )
    if request.method == "POST":
        form = SupplyInfoForm(request.POST, request.FILES)
        if form.is_valid():
            files = form.cleaned_data["files"]
            attachment_errors(form, files, request=request)
            if not form.errors:
                try:
                    supply(
                        complaint_id=complaint.pk,
                        body=form.cleaned_data["body"],
                        attachments=files,
                        actor=_reporter(request),
                    )
                except TransitionNotAllowed:
                    return _changed(request, complaint)
                except ApplicationError as exc:
                    form.add_error(None, str(exc.message))
                else:
                    messages.success(
                        request,
                        _("Your information has been sent. The officer will check your report."),
                    )
                    return redirect("complaints:track_detail", number=complaint.tracking_number)
    else:
        form = SupplyInfoForm()
    cal = display.calendar(complaint)
    return render(
        request,
        "complaints/public/track/supply_info.html",
        {
            "form": form,
            "complaint": complaint,
            "request_event": request_event,
            "during_followup": during_followup,
            "due": None
            if during_followup
            else display.deadline_text(complaint.reporter_info_due_at, cal),
        },
    )


def _changed(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    complaint.refresh_from_db(fields=["status"])
    messages.info(
        request,
        _("Your report has changed in the meantime. It is now: %(status)s.")
        % {"status": display.status_label(complaint.status)},
    )
    return redirect("complaints:track_detail", number=complaint.tracking_number)


@require_http_methods(["GET", "POST"])
def track_respond(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        return _not_authorised(number)
    if complaint.status != Status.AWAITING_REPORTER:
        return redirect("complaints:track_detail", number=complaint.tracking_number)
    answer_event = complaint_latest_public_event(
        complaint=complaint, type=EventType.RESPONSE_PUBLISHED
    )
    if request.method == "POST":
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["answer"] == OBJECT:
                    complaint_reporter_object(
                        complaint_id=complaint.pk,
                        reason=form.cleaned_data["reason"],
                        actor=_reporter(request),
                    )
                    messages.success(
                        request,
                        _(
                            "Your objection has been sent. The agency will look at your "
                            "report again."
                        ),
                    )
                else:
                    complaint_reporter_accept(complaint_id=complaint.pk, actor=_reporter(request))
                    messages.success(
                        request, _("Thank you. Your report is closed. You can now rate it.")
                    )
            except TransitionNotAllowed:
                return _changed(request, complaint)
            return redirect("complaints:track_detail", number=complaint.tracking_number)
    else:
        preset = {"terima": "accept", "sanggah": "object"}.get(request.GET.get("jawab", ""))
        form = RespondForm(initial={"answer": preset})
    cal = display.calendar(complaint)
    answer = display.timeline_item(answer_event, complaint, cal) if answer_event else None
    return render(
        request,
        "complaints/public/track/respond.html",
        {
            "form": form,
            "complaint": complaint,
            "answer": answer,
            "due": display.deadline_text(complaint.reporter_reply_due_at, cal),
        },
    )


@require_http_methods(["GET", "POST"])
def track_rate(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        return _not_authorised(number)
    if not complaint.can_rate():
        return redirect("complaints:track_detail", number=complaint.tracking_number)
    if request.method == "POST":
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                complaint_rate(
                    complaint_id=complaint.pk,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    actor=_reporter(request),
                )
            except ApplicationError:
                return _changed(request, complaint)
            messages.success(request, _("Thank you for your rating."))
            return redirect("complaints:track_detail", number=complaint.tracking_number)
    else:
        form = RateForm()
    cal = display.calendar(complaint)
    return render(
        request,
        "complaints/public/track/rate.html",
        {
            "form": form,
            "complaint": complaint,
            "status": _without_rating_prompt(display.status_view(complaint, cal)),
            "kind": display.kind_label(complaint.kind),
        },
    )


def _without_rating_prompt(status: display.StatusView) -> display.StatusView:
    """The rating page is the prompt: its summary does not ask for a rating again."""
    prompt = " " + _("Rate how it was handled.")
    if status.sentence.endswith(prompt):
        return dataclasses.replace(status, sentence=status.sentence[: -len(prompt)])
    return status


def track_attachment(request: HttpRequest, number: str, key: str) -> HttpResponse:
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        raise Http404
    attachment = Attachment.objects.filter(key=key, complaint=complaint, is_public=True).first()
    if attachment is None:
        raise Http404
    return download_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    """A signed-in reporter's own reports, most recently sent first; the day each was sent is
    the agency's local day (WIB for reports still waiting for an agency)."""
    rows = [
        {
            "complaint": c,
            "label": display.status_label(c.status),
            "tag_class": display.status_tag_class(c.status),
            "needs_action": c.status in display.ACTION_STATUSES,
            # A date, not a datetime: the template's date filter would move a datetime back
            # into the site's zone.
            "sent_on": (c.submitted_at or c.created_at)
            .astimezone(ZoneInfo(c.agency.time_zone if c.agency else "Asia/Jakarta"))
            .date(),
        }
        for c in complaint_list_for_reporter(user=request.user)[:200]
    ]
    return render(request, "complaints/public/my_complaints.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def track_new_code(request: HttpRequest, number: str) -> HttpResponse:
    """The reporter revokes the access code and every signed link: a new code, shown once."""
    complaint = _reporter_complaint(request, number)
    if complaint is None:
        return _not_authorised(number)
    code = None
    if request.method == "POST":
        code = complaint_access_code_renew(complaint_id=complaint.pk, actor=_reporter(request))
        complaint.refresh_from_db(fields=["access_code_hash"])
        # This browser stays in; every other one let in with the old code or a link is out.
        authorise_tracking(request, complaint.tracking_number, tracking_stamp(complaint))
    return render(
        request,
        "complaints/public/track/new_code.html",
        {"complaint": complaint, "code": display_code(code) if code else None},
    )
