"""Public (citizen) pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from complaints.notifications import tracking_link_read
from complaints.selectors import complaint_get_by_tracking_number


def track_signed(request: HttpRequest, token: str) -> HttpResponse:
    number = tracking_link_read(token)
    complaint = complaint_get_by_tracking_number(tracking_number=number) if number else None
    if complaint is None:
        raise Http404
    return HttpResponse(complaint.get_status_display())
