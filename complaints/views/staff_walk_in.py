"""Walk-in and phone complaints entered by staff for a reporter."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.exceptions import ApplicationError
from complaints import services
from complaints.access import (
    can_record_walk_in,
    walk_in_paths,
)
from complaints.models import (
    Agency,
    Category,
)
from complaints.views import forms_staff as f
from complaints.views.staff_common import staff_required


@require_http_methods(["GET", "POST"])
@staff_required
def new_complaint(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not can_record_walk_in(actor):
        raise Http404
    paths = walk_in_paths(actor)
    agencies = Agency.objects.filter(parent__isnull=True, is_active=True).order_by("name")
    if paths is not None:
        agencies = agencies.filter(path__in=paths)
    agencies = list(agencies)
    categories = list(
        Category.objects.filter(agency__in=agencies, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "ordering", "name")
    )
    if not agencies:
        raise Http404
    form = f.WalkInForm(request.POST or None, agencies=agencies, categories=categories)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c, code = services.complaint_submit(
                actor=actor,
                kind=d["kind"],
                title=d["title"],
                body=d["body"],
                agency=d["agency"],
                category=d["category"],
                incident_date=d["incident_date"],
                location_text=d["location_text"],
                channel=d["channel"],
                reporter_name=d["reporter_name"],
                reporter_email=d["reporter_email"],
                reporter_phone=d["reporter_phone"],
                is_anonymous=d["is_anonymous"],
                is_confidential=d["is_confidential"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "Done: the complaint is recorded. Give the reporter the tracking number "
                    "%(number)s and the access code %(code)s; the code is shown only once."
                )
                % {"number": c.display_tracking_number, "code": services.display_code(code)},
            )
            return redirect("staff:case", pk=c.pk)
    return render(
        request,
        "complaints/staff/new_complaint.html",
        {"form": form, "nav": "new"},
        status=400 if form.errors else 200,
    )
