"""What the citizen pages share: the language a complaint is filed in, the refusal page, upload
errors, and the session's list of complaints the browser may open."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from common import ratelimit
from common.exceptions import ApplicationError
from complaints.uploads import sanitize_upload


def current_language() -> str:
    return (translation.get_language() or "id")[:2]


def _upload_refusal(request: HttpRequest, files, draft_id: str | None) -> str | None:
    """Why these files are refused unread, or None. Every file is counted before it is
    decoded (decoding is the cost), per client and per filing draft; a client already over
    the filing limit cannot upload into a draft it cannot file."""
    client = ratelimit.client_key(request)
    size = sum(upload.size or 0 for upload in files)
    budgets = [
        (ratelimit.upload_limit(), client, len(files)),
        (ratelimit.upload_bytes_limit(), client, size),
    ]
    if draft_id is not None:
        if ratelimit.is_limited(ratelimit.filing_limit(), client):
            return _(
                "You have sent many reports in a short time. Wait an hour, then add files "
                "to this report. Your answers are saved."
            )
        budgets.append((ratelimit.draft_upload_limit(), draft_id, len(files)))
    if any(ratelimit.would_exceed(limit, ident, n) for limit, ident, n in budgets):
        return _("You have uploaded many files in a short time. Wait an hour, then try again.")
    for limit, ident, n in budgets:
        ratelimit.hit(limit, ident, n)
    return None


def attachment_errors(form, files, *, request: HttpRequest, draft_id: str | None = None) -> list:
    """Check every file by its content before anything is stored; errors go on the field.
    `draft_id` names the filing draft the files go into (the per-draft budget)."""
    if files and (refusal := _upload_refusal(request, files, draft_id)):
        form.add_error("files", refusal)
        return []
    cleaned = []
    for upload in files:
        try:
            cleaned.append(sanitize_upload(upload))
        except ApplicationError as exc:
            form.add_error("files", str(exc.message))
    return cleaned


def refused(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/refused.html", status=400)


TRACKED_SESSION_KEY = "tracked_complaints"
# The access-code stamp (complaints.access.tracking_stamp) each number was opened with.
TRACKED_STAMPS_SESSION_KEY = "tracked_stamps"


def authorise_tracking(request: HttpRequest, number: str, stamp: str | None = None) -> None:
    """Let this browser open the report. `stamp` is the report's tracking stamp when known
    (a code or a link was just checked); otherwise the first visit records it."""
    tracked = [n for n in request.session.get(TRACKED_SESSION_KEY, []) if n != number]
    request.session[TRACKED_SESSION_KEY] = [number, *tracked][:50]
    stamps = {
        n: s for n, s in request.session.get(TRACKED_STAMPS_SESSION_KEY, {}).items() if n != number
    }
    if stamp is not None:
        stamps[number] = stamp
    request.session[TRACKED_STAMPS_SESSION_KEY] = {
        n: s for n, s in stamps.items() if n in request.session[TRACKED_SESSION_KEY]
    }


def tracking_still_authorised(request: HttpRequest, number: str, stamp: str) -> bool:
    """Whether this browser was let in with the report's current access code. A browser let
    in before the reporter made a new code is shut out (and forgets the number)."""
    if number not in request.session.get(TRACKED_SESSION_KEY, []):
        return False
    stamps = request.session.get(TRACKED_STAMPS_SESSION_KEY, {})
    recorded = stamps.get(number)
    if recorded is None:
        request.session[TRACKED_STAMPS_SESSION_KEY] = {**stamps, number: stamp}
        return True
    if recorded == stamp:
        return True
    request.session[TRACKED_SESSION_KEY] = [
        n for n in request.session[TRACKED_SESSION_KEY] if n != number
    ]
    request.session[TRACKED_STAMPS_SESSION_KEY] = {n: s for n, s in stamps.items() if n != number}
    return False
