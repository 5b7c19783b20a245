"""Filing a complaint: the multi-step form kept in a server-side draft, the check page and
the receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common import ratelimit
from common.exceptions import ApplicationError, NotFound
from complaints.access import display_code
from complaints.models import Complaint
from complaints.policy import sla_policy_for
from complaints.selectors.public import (
    agency_count_public,
    agency_get_public,
    agency_search_public,
    category_get_public,
    category_list_public,
    complaint_for_receipt,
    complaint_similar_by_ids,
    complaint_similar_ids_for_filing,
)
from complaints.services.drafts import Draft
from complaints.services.filing import (
    RECEIPT_CODE_SECONDS,
    AlreadySubmitted,
    complaint_follow,
    complaint_submit,
    filing_receipt,
)
from complaints.views import public_display as display
from complaints.views.forms_public import (
    ANONYMOUS,
    CONFIDENTIAL,
    OTHER,
    UNKNOWN,
    AgencyForm,
    AgencySearchForm,
    AttachmentsForm,
    CategoryForm,
    CheckForm,
    ContactForm,
    FollowForm,
    KindForm,
    PrivacyForm,
    StoryForm,
    WhenWhereForm,
)
from complaints.views.public_common import (
    attachment_errors,
    authorise_tracking,
    current_language,
    refused,
)
from complaints.views.public_follow import follower_status

RECEIPT_SESSION_KEY = "filing_receipt"


FOLLOW_SENT_SESSION_KEY = "follow_sent"


STEPS = (
    "kind",
    "agency",
    "category",
    "story",
    "when",
    "similar",
    "attachments",
    "privacy",
    "contact",
)


STEP_URLS = {
    "kind": "complaints:file_kind",
    "agency": "complaints:file_agency",
    "category": "complaints:file_category",
    "story": "complaints:file_story",
    "when": "complaints:file_when",
    "similar": "complaints:file_similar",
    "attachments": "complaints:file_attachments",
    "privacy": "complaints:file_privacy",
    "contact": "complaints:file_contact",
}


def _categories(draft: Draft) -> list:
    """The chosen agency's categories, read once per request (every step asks whether the
    category step applies, some several times)."""
    agency_id = draft.get("agency_id")
    if not agency_id:
        return []
    key = f"categories:{agency_id}"
    if key not in draft.memo:
        draft.memo[key] = category_list_public(agency_id=agency_id)
    return draft.memo[key]


def _similar_ids(draft: Draft) -> list[int]:
    """The draft's similar reports, searched once per draft (again only when the agency,
    category, title or place change): later steps read the ids kept in the draft."""
    key = "|".join(
        str(draft.get(k) or "") for k in ("agency_id", "category_id", "title", "location")
    )
    kept = draft.data.get("similar")
    if isinstance(kept, dict) and kept.get("key") == key:
        return list(kept.get("ids") or [])
    ids = complaint_similar_ids_for_filing(
        agency_id=draft.get("agency_id"),
        category_id=draft.get("category_id"),
        title=draft.get("title", ""),
        place=draft.get("location", ""),
    )
    draft.data["similar"] = {"key": key, "ids": ids}
    draft.update()
    return draft.data["similar"]["ids"]


def _similar(draft: Draft) -> list[Complaint]:
    return complaint_similar_by_ids(ids=_similar_ids(draft))


def follow_ref(*, draft_id: str, complaint: Complaint) -> str:
    """A similar report's key in the filing step's form and URLs. Not the sequential id (DESIGN
    §2: none in public URLs) and not the tracking number, which these pages never show: with an
    access code it opens the other reporter's page. Derived from both the tracking number and
    the draft, so it means nothing outside this draft."""
    return salted_hmac(
        "complaints.file_follow", f"{draft_id}:{complaint.tracking_number}"
    ).hexdigest()[:20]


def _similar_chosen(
    draft: Draft, ref: str, matches: list[Complaint] | None = None
) -> tuple[Complaint | None, str]:
    """One of this draft's own similar matches, by its follow_ref; nothing else is accepted."""
    for match in _similar(draft) if matches is None else matches:
        match_ref = follow_ref(draft_id=draft.data["id"], complaint=match)
        if ref and constant_time_compare(match_ref, ref):
            return match, match_ref
    return None, ""


def _applies(step: str, draft: Draft) -> bool:
    if step == "category":
        return bool(draft.get("agency_id")) and bool(_categories(draft))
    if step == "similar":
        return bool(draft.get("title")) and bool(_similar_ids(draft))
    return True


def _first_missing(draft: Draft) -> str | None:
    for step in STEPS:
        if step == "similar":
            continue  # a suggestion, never a required answer
        if not draft.is_done(step) and _applies(step, draft):
            return step
    return None


def _changing(request: HttpRequest) -> bool:
    return request.GET.get("ubah") == "1" or request.POST.get("ubah") == "1"


def _step_url(step: str, changing: bool = False) -> str:
    url = reverse(STEP_URLS[step])
    return f"{url}?ubah=1" if changing else url


def _next(request: HttpRequest, draft: Draft, step: str) -> HttpResponse:
    """After a valid answer: the next step that applies, or the check page when changing an
    answer from it (unless the change made another answer necessary)."""
    missing = _first_missing(draft)
    if _changing(request):
        return redirect(_step_url(missing, True) if missing else reverse("complaints:file_check"))
    for later in STEPS[STEPS.index(step) + 1 :]:
        if _applies(later, draft):
            return redirect(_step_url(later))
    return redirect("complaints:file_check")


def _back_url(request: HttpRequest, draft: Draft, step: str) -> str:
    if _changing(request):
        return reverse("complaints:file_check")
    for earlier in reversed(STEPS[: STEPS.index(step)]):
        if _applies(earlier, draft):
            return _step_url(earlier)
    return reverse("complaints:home")


def _guard(draft: Draft, step: str) -> HttpResponse | None:
    """A step opened before the earlier answers exist goes to the first missing one."""
    missing = _first_missing(draft)
    if missing and STEPS.index(missing) < STEPS.index(step):
        return redirect(_step_url(missing))
    return None


def _step_page(
    request: HttpRequest, draft: Draft, step: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    context.setdefault("back_url", _back_url(request, draft, step))
    context.setdefault("changing", _changing(request))
    return render(request, f"complaints/public/file/{template}", context)


def file_start(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if not draft.is_empty and (receipt := _sent_receipt(draft.submit_token)):
        # "Make another report" after a stale save brought the sent draft back: start afresh.
        _mark_sent(request, draft.submit_token, receipt)
    return redirect("complaints:file_kind")


@require_http_methods(["GET", "POST"])
def file_kind(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if request.method == "POST":
        form = KindForm(request.POST)
        if form.is_valid():
            draft.update("kind", kind=form.cleaned_data["kind"])
            return _next(request, draft, "kind")
    else:
        form = KindForm(initial={"kind": draft.get("kind")})
    return _step_page(request, draft, "kind", "kind.html", {"form": form})


@require_http_methods(["GET", "POST"])
def file_agency(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "agency"):
        return response
    # Unbound, so that text typed before a language switch (common.carry) replaces the address's.
    search = AgencySearchForm(initial={"q": request.GET.get("q", "")})
    query = str(search.initial.get("q") or "").strip()[:100]
    if request.method == "POST":
        query = request.POST.get("q", "").strip()[:100]
        if "search" in request.POST:
            # The search box is part of the page's form (the language switch keeps it): a
            # search goes back to the page's address for it.
            params = {"q": query} if query else {}
            if _changing(request):
                params["ubah"] = "1"
            return redirect(f"{request.path}?{urlencode(params)}" if params else request.path)
    searched = bool(query)
    agencies = agency_search_public(query=query) if searched else []
    if not searched and agency_count_public() <= 12:
        agencies = agency_search_public(query="")
    chosen = agency_get_public(agency_id=draft.get("agency_id"))
    if request.method == "POST":
        posted = agency_get_public(agency_id=request.POST.get("agency"))
        choices = _unique([*agencies, chosen, posted])
        form = AgencyForm(request.POST, agencies=choices)
        if form.is_valid():
            value = form.cleaned_data["agency"]
            agency_id = None if value == UNKNOWN else int(value)
            if agency_id != draft.get("agency_id") or not draft.is_done("agency"):
                draft.forget("category", "similar", keys=("category_id",))
            draft.update("agency", agency_id=agency_id, agency_unknown=value == UNKNOWN)
            return _next(request, draft, "agency")
    else:
        initial = UNKNOWN if draft.get("agency_unknown") else draft.get("agency_id")
        form = AgencyForm(
            initial={"agency": str(initial) if initial else None},
            agencies=_unique([chosen, *agencies]),
        )
    return _step_page(
        request,
        draft,
        "agency",
        "agency.html",
        {"form": form, "search": search, "query": query, "searched": searched},
    )


def _unique(agencies) -> list:
    seen, out = set(), []
    for a in agencies:
        if a is not None and a.pk not in seen:
            seen.add(a.pk)
            out.append(a)
    return out


@require_http_methods(["GET", "POST"])
def file_category(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "category"):
        return response
    categories = _categories(draft)
    if not categories:
        return _next(request, draft, "category")
    agency = agency_get_public(agency_id=draft.get("agency_id"))
    if request.method == "POST":
        form = CategoryForm(request.POST, categories=categories, language=current_language())
        if form.is_valid():
            value = form.cleaned_data["category"]
            category = (
                None
                if value == OTHER
                else category_get_public(agency_id=draft.get("agency_id"), category_id=value)
            )
            if category is not None and category.out_of_scope_guidance.strip():
                # The FixMyStreet stopper: guidance instead of a report nobody can act on.
                return _step_page(
                    request,
                    draft,
                    "category",
                    "out_of_scope.html",
                    {
                        "category": category,
                        "agency": agency,
                        "back_url": request.get_full_path(),
                    },
                )
            draft.update("category", category_id=category.pk if category else None)
            return _next(request, draft, "category")
    else:
        current = draft.get("category_id")
        initial = str(current) if current else (OTHER if draft.is_done("category") else None)
        form = CategoryForm(
            initial={"category": initial}, categories=categories, language=current_language()
        )
    return _step_page(request, draft, "category", "category.html", {"form": form, "agency": agency})


@require_http_methods(["GET", "POST"])
def file_story(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "story"):
        return response
    if request.method == "POST":
        form = StoryForm(request.POST)
        if form.honeypot_filled():
            return refused(request)
        if form.is_valid():
            draft.update("story", title=form.cleaned_data["title"], body=form.cleaned_data["body"])
            return _next(request, draft, "story")
    else:
        form = StoryForm(initial={"title": draft.get("title"), "body": draft.get("body")})
    return _step_page(request, draft, "story", "story.html", {"form": form})


@require_http_methods(["GET", "POST"])
def file_when(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "when"):
        return response
    if request.method == "POST":
        form = WhenWhereForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            date = data["incident_date"]
            draft.update(
                "when",
                incident_day=data["incident_day"].strip(),
                incident_month=data["incident_month"].strip(),
                incident_year=data["incident_year"].strip(),
                incident_date=date.isoformat() if date else None,
                location=data["location"],
                latitude=str(data["latitude"]) if data["latitude"] is not None else "",
                longitude=str(data["longitude"]) if data["longitude"] is not None else "",
            )
            return _next(request, draft, "when")
    else:
        form = WhenWhereForm(
            initial={
                key: draft.get(key, "")
                for key in (
                    "incident_day",
                    "incident_month",
                    "incident_year",
                    "location",
                    "latitude",
                    "longitude",
                )
            }
        )
    return _step_page(request, draft, "when", "when.html", {"form": form})


@require_http_methods(["GET", "POST"])
def file_similar(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "similar"):
        return response
    if request.method == "POST":
        # "Continue with my own report" needs none of the matches read.
        follow = request.POST.get("follow", "")
        chosen, ref = _similar_chosen(draft, follow) if follow else (None, "")
        if chosen is not None:
            return redirect("complaints:file_follow", ref=ref)
        draft.update("similar")
        return _next(request, draft, "similar")
    matches = _similar(draft)
    if not matches:
        draft.update("similar")
        return _next(request, draft, "similar")
    rows = []
    for match in matches:
        cal = display.calendar(match)
        rows.append(
            {
                "complaint": match,
                "ref": follow_ref(draft_id=draft.data["id"], complaint=match),
                "status": follower_status(match, cal),
                "filed_on": display.local_day(match.submitted_at or match.created_at, cal),
                "place": ", ".join(p for p in (match.location_text, match.region) if p),
                # Only non-confidential reports are offered here (the selector), and the
                # excerpt is the account's opening, never the reporter's identity fields.
                "excerpt": display.excerpt(getattr(match, "body_head", "")),
            }
        )
    return _step_page(request, draft, "similar", "similar.html", {"matches": rows})


@require_http_methods(["GET", "POST"])
def file_follow(request: HttpRequest, ref: str) -> HttpResponse:
    """ "Ikuti laporan ini": an email address follows one of the similar reports. The draft is
    kept, so the reporter can still send their own report."""
    draft = Draft(request.session)
    if response := _guard(draft, "similar"):
        return response
    match, ref = _similar_chosen(draft, ref)
    if match is None:
        return redirect("complaints:file_similar")
    cal = display.calendar(match)
    context: dict[str, Any] = {
        "match": match,
        "status": follower_status(match, cal),
        "filed_on": display.local_day(match.submitted_at or match.created_at, cal),
        "back_url": reverse("complaints:file_similar"),
    }
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            client = ratelimit.client_key(request)
            limit = ratelimit.follow_limit()
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None,
                    _(
                        "You have asked to follow many reports in a short time. Wait an hour, "
                        "then try again. Your answers are saved."
                    ),
                )
            else:
                ratelimit.hit(limit, client)
                try:
                    complaint_follow(
                        complaint_id=match.pk,
                        email=form.cleaned_data["email"],
                        language=current_language(),
                    )
                except NotFound:
                    return redirect("complaints:file_similar")
                except ApplicationError as exc:
                    form.add_error(None, str(exc.message))
                else:
                    # Redirect, so that a reload does not ask for another confirmation email.
                    request.session[FOLLOW_SENT_SESSION_KEY] = {
                        "ref": ref,
                        "email": form.cleaned_data["email"],
                    }
                    return redirect("complaints:file_followed", ref=ref)
    else:
        email = draft.get("email") or (request.user.email if request.user.is_authenticated else "")
        form = FollowForm(initial={"email": email})
    context["form"] = form
    return render(request, "complaints/public/file/follow.html", context)


def file_followed(request: HttpRequest, ref: str) -> HttpResponse:
    """ "Check your email" after asking to follow a similar report."""
    sent = request.session.get(FOLLOW_SENT_SESSION_KEY)
    if not isinstance(sent, dict) or sent.get("ref") != ref:
        return redirect("complaints:file_similar")
    draft = Draft(request.session)
    match, _ref = _similar_chosen(draft, ref)
    if match is None:
        return redirect("complaints:file_similar")
    cal = display.calendar(match)
    return render(
        request,
        "complaints/public/file/followed.html",
        {
            "match": match,
            "status": follower_status(match, cal),
            "filed_on": display.local_day(match.submitted_at or match.created_at, cal),
            "back_url": reverse("complaints:file_similar"),
            "email": sent.get("email", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def file_attachments(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "attachments"):
        return response
    limit = settings.ADUAN_ATTACHMENTS_MAX_COUNT
    if request.method == "POST":
        form = AttachmentsForm(request.POST, request.FILES)
        if form.is_valid():
            files = form.cleaned_data["files"]
            uploading = request.POST.get("action") == "upload"
            if len(draft.uploads) + len(files) > limit:
                form.add_error("files", _("You can attach up to %(n)s files") % {"n": limit})
            elif uploading and not files:
                form.add_error("files", _("Choose a file to upload"))
            else:
                cleaned = attachment_errors(form, files, request=request, draft_id=draft.data["id"])
                if not form.errors:
                    for clean in cleaned:
                        draft.add_upload(clean)
                    if uploading:
                        messages.success(
                            request,
                            _("File uploaded: %(names)s")
                            % {"names": ", ".join(c.original_name for c in cleaned)},
                        )
                        return redirect(request.get_full_path())
                    draft.update("attachments")
                    return _next(request, draft, "attachments")
    else:
        form = AttachmentsForm()
    return _step_page(
        request,
        draft,
        "attachments",
        "attachments.html",
        {"form": form, "uploads": draft.uploads, "limit": limit},
    )


@require_POST
def file_attachment_remove(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    entry = next((u for u in draft.uploads if u["key"] == request.POST.get("key")), None)
    if entry and draft.remove_upload(entry["key"]):
        messages.success(request, _("File removed: %(name)s") % {"name": entry["name"]})
    return redirect(_step_url("attachments", _changing(request)))


@require_http_methods(["GET", "POST"])
def file_privacy(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "privacy"):
        return response
    if request.method == "POST":
        form = PrivacyForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["privacy"]
            draft.update(
                "privacy", anonymous=ANONYMOUS in chosen, confidential=CONFIDENTIAL in chosen
            )
            if draft.is_done("contact") and not draft.get("anonymous") and not draft.get("name"):
                # A report that is no longer anonymous needs a name: ask again.
                draft.forget("contact")
            return _next(request, draft, "privacy")
    else:
        chosen = [
            v
            for v, on in (
                (ANONYMOUS, draft.get("anonymous")),
                (CONFIDENTIAL, draft.get("confidential")),
            )
            if on
        ]
        form = PrivacyForm(initial={"privacy": chosen})
    return _step_page(request, draft, "privacy", "privacy.html", {"form": form})


@require_http_methods(["GET", "POST"])
def file_contact(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if response := _guard(draft, "contact"):
        return response
    anonymous = bool(draft.get("anonymous"))
    if request.method == "POST":
        form = ContactForm(request.POST, anonymous=anonymous)
        if form.is_valid():
            data = form.cleaned_data
            draft.update("contact", name=data["name"], email=data["email"], phone=data["phone"])
            return _next(request, draft, "contact")
    else:
        initial = {k: draft.get(k, "") for k in ("name", "email", "phone")}
        if not draft.is_done("contact") and request.user.is_authenticated:
            initial = {"name": request.user.full_name, "email": request.user.email, "phone": ""}
        form = ContactForm(initial=initial, anonymous=anonymous)
    return _step_page(
        request, draft, "contact", "contact.html", {"form": form, "anonymous": anonymous}
    )


def _summary(draft: Draft) -> dict[str, Any]:
    agency = agency_get_public(agency_id=draft.get("agency_id"))
    category = (
        category_get_public(agency_id=agency.pk, category_id=draft.get("category_id"))
        if agency
        else None
    )
    date = None
    if draft.get("incident_date"):
        date = dt.date.fromisoformat(draft.get("incident_date"))
    category_label = ""
    if category is not None:
        category_label = (
            (category.name_en or category.name) if current_language() == "en" else category.name
        )
    return {
        "kind": display.kind_label(draft.get("kind", "")),
        "agency": agency,
        "agency_obj": agency,
        "category": category,
        "category_label": category_label,
        "category_applies": bool(agency) and bool(_categories(draft)),
        "title": draft.get("title", ""),
        "body": draft.get("body", ""),
        "incident_date": date,
        "location": draft.get("location", ""),
        "latitude": draft.get("latitude", ""),
        "longitude": draft.get("longitude", ""),
        "uploads": draft.uploads,
        "anonymous": bool(draft.get("anonymous")),
        "confidential": bool(draft.get("confidential")),
        "name": draft.get("name", ""),
        "email": draft.get("email", ""),
        "phone": draft.get("phone", ""),
    }


@require_http_methods(["GET", "POST"])
def file_check(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    posted = request.POST.get("token", "") if request.method == "POST" else ""
    # The posted token (a double tap, a replayed form) and the draft's own (a stale copy of a
    # sent draft brought back by an out-of-date session save) both lead to the receipt.
    for token in dict.fromkeys([posted, "" if draft.is_empty else draft.submit_token]):
        if token and (done := _submitted(request, token)) is not None:
            return done
    missing = _first_missing(draft)
    if missing:
        return redirect(_step_url(missing))
    summary = _summary(draft)
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.honeypot_filled():
            return refused(request)
        if form.is_valid():
            if form.cleaned_data["token"] != draft.submit_token:
                # An old tab or a replayed form: show the current answers again.
                messages.info(request, _("Check your answers, then send the report."))
                return redirect("complaints:file_check")
            result = _file(request, draft, summary, form)
            if result is not None:
                return result
    else:
        form = CheckForm(initial={"token": draft.submit_token})
    return render(
        request,
        "complaints/public/file/check.html",
        {
            "form": form,
            "s": summary,
            "back_url": _step_url("contact"),
            "no_contact": not summary["email"] and not summary["phone"],
        },
    )


def _submit_key(token: str) -> str:
    """The digest of a draft's one-time token kept on the submitted event (the token itself
    stays private to the reporter's browser)."""
    return hashlib.sha256(f"filing-draft:{token}".encode()).hexdigest()


def _sent_receipt(token: str) -> dict[str, Any] | None:
    """The receipt of the complaint this token filed, or None when it has filed nothing."""
    return filing_receipt(submit_key=_submit_key(token))


def _submitted(request: HttpRequest, token: str) -> HttpResponse | None:
    """A token already used (a double tap, a reload of the POST, a stale copy of the sent
    draft) goes to its receipt; None when the token has not filed anything."""
    receipt = _sent_receipt(token)
    if receipt is None:
        return None
    _mark_sent(request, token, receipt)
    return redirect("complaints:file_receipt")


def _mark_sent(request: HttpRequest, token: str, receipt: dict[str, Any]) -> None:
    """Make this session look exactly as the filing request left its own: draft gone, receipt
    kept, complaint authorised. Both requests of a double tap save the session, in either
    order, so the loser must write the winner's state rather than its stale copy."""
    draft = Draft(request.session)
    if draft.submit_token == token:
        draft.clear()
    current = request.session.get(RECEIPT_SESSION_KEY)
    if not (isinstance(current, dict) and current.get("number") == receipt["number"]):
        request.session[RECEIPT_SESSION_KEY] = receipt
    authorise_tracking(request, receipt["number"])


def _file(request: HttpRequest, draft: Draft, s: dict[str, Any], form) -> HttpResponse | None:
    client = ratelimit.client_key(request)
    limit = ratelimit.filing_limit()
    if ratelimit.is_limited(limit, client):
        form.add_error(
            None,
            _(
                "You have sent many reports in a short time. Wait an hour, then send this "
                "report. Your answers are saved."
            ),
        )
        return None
    token = draft.submit_token
    user = request.user if request.user.is_authenticated else None
    try:
        complaint, code = complaint_submit(
            actor=user,
            kind=draft.get("kind"),
            title=s["title"],
            body=s["body"],
            agency=s["agency_obj"],
            category=s["category"],
            incident_date=s["incident_date"],
            location_text=s["location"],
            latitude=s["latitude"] or None,
            longitude=s["longitude"] or None,
            reporter_name=s["name"],
            reporter_email=s["email"],
            reporter_phone=s["phone"],
            is_anonymous=s["anonymous"],
            is_confidential=s["confidential"],
            attachments=draft.upload_files(),
            language=current_language(),
            submit_key=_submit_key(token),
        )
    except AlreadySubmitted as exc:
        # A double tap or a replayed form: the service found the draft filed (waiting, in the
        # database, for a racing request to finish) and hands over that filing's receipt.
        _mark_sent(request, token, exc.receipt)
        return redirect("complaints:file_receipt")
    except ApplicationError as exc:
        form.add_error(None, str(exc.message))
        return None
    ratelimit.hit(limit, client)
    receipt = {"number": complaint.tracking_number, "code": code, "at": time.time()}
    _mark_sent(request, token, receipt)
    return redirect("complaints:file_receipt")


def file_receipt(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not isinstance(receipt, dict):
        return redirect("complaints:home")
    complaint = complaint_for_receipt(tracking_number=receipt["number"])
    if complaint is None:
        raise Http404
    show_code = time.time() - float(receipt.get("at", 0)) < RECEIPT_CODE_SECONDS
    cal = display.calendar(complaint)
    policy = sla_policy_for(agency=complaint.agency, category=complaint.category)
    answer_by = (
        cal.add_working_days(complaint.verify_due_at, policy.first_response_days)
        if complaint.verify_due_at
        else None
    )
    return render(
        request,
        "complaints/public/file/receipt.html",
        {
            "complaint": complaint,
            "code": display_code(receipt["code"]) if show_code else "",
            "verify_by": display.deadline_text(complaint.verify_due_at, cal),
            "answer_by": display.deadline_text(answer_by, cal),
            "policy": policy,
            "email": complaint.reporter_email,
            "code_minutes": RECEIPT_CODE_SECONDS // 60,
        },
    )
