"""What every staff page shares: the sign-in and membership check, dates in the agency's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.exceptions import NotFound
from complaints import actions
from complaints.access import (
    actor_is_national_admin,
    membership_rows,
)
from complaints.models import (
    Complaint,
    Status,
)
from complaints.selectors import reference
from complaints.selectors.scope import (
    complaint_get_for_actor,
)
from complaints.views import forms_staff as f

TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


STATUS_CSS = {
    Status.NEEDS_INFO: "tag--action",
    Status.AWAITING_REPORTER: "tag--action",
    Status.CLOSED: "tag--green",
    Status.ARCHIVED: "tag--grey",
}


@lru_cache(maxsize=4096)
def _long_date(day: dt.date, language: str | None) -> str:
    """ "12 Agustus 2026" in `language` (the active one, which date_format reads): a queue
    page shows fifty deadlines over a few dozen days."""
    return date_format(day, "j F Y")


def when(moment, tz_name: str | None) -> dict[str, str] | None:
    """A moment in the agency's zone: "12 Agustus 2026, pukul 14.30 WITA" and its ISO form."""
    if moment is None:
        return None
    tz_name = tz_name or "Asia/Jakarta"
    local = moment.astimezone(ZoneInfo(tz_name))
    text = _("%(date)s, at %(time)s %(zone)s") % {
        "date": _long_date(local.date(), get_language()),
        "time": local.strftime("%H.%M"),
        "zone": TZ_LABELS.get(tz_name, ""),
    }
    return {"iso": local.isoformat(), "text": text}


def staff_required(view: Callable) -> Callable:
    """Signed in and holding a membership (or national admin); anyone else gets a 404, so the
    workspace does not advertise itself."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            try:
                return redirect_to_login(request.get_full_path())
            except NoReverseMatch:  # the sign-in page belongs to the accounts app
                return redirect_to_login(request.get_full_path(), login_url="/admin/login/")
        if not membership_rows(user) and not actor_is_national_admin(user):
            raise Http404
        # The user itself rather than the authentication middleware's lazy wrapper (resolved
        # above): a queue page reads it a few hundred times (scope and roles of each row), and
        # the wrapper costs a call on every read.
        request.user = getattr(user, "_wrapped", user)
        return view(request, *args, **kwargs)

    return wrapper


def get_or_404(actor, pk: int) -> Complaint:
    try:
        return complaint_get_for_actor(complaint_id=pk, actor=actor)
    except NotFound as exc:
        raise Http404 from exc


def case_get_or_404(actor, pk: int) -> Complaint:
    """The complaint of a case page, its places and category from selectors.reference (the
    lists every staff page keeps) rather than joined: one join instead of four to plan."""
    try:
        c = complaint_get_for_actor(complaint_id=pk, actor=actor, joins=("assignee",))
    except NotFound as exc:
        raise Http404 from exc
    nodes = reference.agencies_by_id()
    for place in ("agency", "unit"):
        pk_of = getattr(c, f"{place}_id")
        if pk_of is not None and pk_of in nodes:
            setattr(c, place, nodes[pk_of])
    if c.category_id is not None and c.category_id in (cats := reference.categories_by_id()):
        c.category = cats[c.category_id]
    return c


def bulk_actions_for(actor) -> list[tuple[str, Any]]:
    """The bulk actions (name, label) that `actions.bulk_actions_for` allows the actor."""
    allowed = set(actions.bulk_actions_for(actor))
    return [(name, label) for name, label in f.BULK_ACTIONS if name in allowed]
