"""The citizen portal's own pages: start, help, privacy notice, feedback on the service, errors."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common import ratelimit
from complaints.policy import sla_policy_for
from complaints.services.filing import (
    service_feedback_create,
)
from complaints.views.forms_public import (
    ServiceFeedbackForm,
    TrackForm,
    safe_return_path,
)
from complaints.views.public_common import current_language, refused

FEEDBACK_SESSION_KEY = "service_feedback_from"


def home(request: HttpRequest) -> HttpResponse:
    cached = cache.get("public:home:policy")
    if cached is None:
        policy = sla_policy_for(agency=None)
        cached = {
            "verify_days": policy.verify_days,
            "response_days": policy.first_response_days,
            "reply_days": policy.reporter_reply_days,
        }
        cache.set("public:home:policy", cached, 300)
    return render(
        request,
        "complaints/public/home.html",
        # The totals come from reporting's template tag (complaints never imports reporting).
        {"policy": cached, "track_form": TrackForm()},
    )


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/help.html")


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/privacy.html")


@require_http_methods(["GET", "POST"])
def service_feedback(request: HttpRequest) -> HttpResponse:
    """ "Feedback on this service": how satisfied, and an optional comment. Anonymous: the
    page only keeps the (same-site) path the visitor came from."""
    if request.method == "POST":
        form = ServiceFeedbackForm(request.POST)
        if form.honeypot_filled():
            return refused(request)
        if form.is_valid():
            client = ratelimit.client_key(request)
            limit = ratelimit.feedback_limit()
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None,
                    _(
                        "You have sent feedback many times in a short time. Wait an hour, then "
                        "try again."
                    ),
                )
            else:
                ratelimit.hit(limit, client)
                service_feedback_create(
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    page=form.cleaned_data["page"],
                    language=current_language(),
                )
                request.session[FEEDBACK_SESSION_KEY] = form.cleaned_data["page"]
                return redirect("complaints:service_feedback_done")
        came_from = safe_return_path(request.POST.get("page", ""))
    else:
        came_from = safe_return_path(request.GET.get("from", ""))
        form = ServiceFeedbackForm(initial={"page": came_from})
    return render(
        request,
        "complaints/public/feedback/form.html",
        {"form": form, "back_url": came_from or reverse("complaints:home")},
    )


def service_feedback_done(request: HttpRequest) -> HttpResponse:
    came_from = safe_return_path(request.session.get(FEEDBACK_SESSION_KEY, ""))
    return render(request, "complaints/public/feedback/done.html", {"came_from": came_from})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    return HttpResponse(
        render_to_string("500.html", {"LANGUAGE_CODE": translation.get_language()}), status=500
    )
