"""Staff workspace (MOJ caseworking patterns, UX §5): home, queue, case page, actions, bulk
actions, CSV export, walk-in entry. Views validate, fetch through the scoped selectors, call one
service and render; another agency's complaint is a 404, never a 403."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import download_response
from common.exceptions import ApplicationError, NotAllowed, NotFound, StaleState
from complaints import actions, services
from complaints.access import (
    ALL_ROLES,
    actor_handles,
    actor_is_national_admin,
    actor_scope_paths,
    can_record_walk_in,
    membership_rows,
    walk_in_paths,
)
from complaints.models import (
    Agency,
    Attachment,
    CannedResponse,
    Category,
    Complaint,
    Escalation,
    Response,
    Role,
    Status,
)
from complaints.policy import deadline_for
from complaints.selectors.case import case_read
from complaints.selectors.queue import (
    COUNT_CAP,
    UNASSIGNED_STATUSES,
    actor_units,
    officers_for_node,
    officers_over,
    queue_filter,
    queue_page,
    queue_sort,
    saved_filters_for,
    staff_home_counts,
)
from complaints.selectors.scope import (
    complaint_get_by_tracking_number_for_actor,
    complaint_get_for_actor,
    complaint_list_for_actor,
)
from complaints.services.casework import saved_filter_delete, saved_filter_save
from complaints.views import forms_staff as f

TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


STATUS_CSS = {
    Status.NEEDS_INFO: "tag--action",
    Status.AWAITING_REPORTER: "tag--action",
    Status.CLOSED: "tag--green",
    Status.ARCHIVED: "tag--grey",
}


def when(moment, tz_name: str | None) -> dict[str, str] | None:
    """A moment in the agency's zone: "12 Agustus 2026, pukul 14.30 WITA" and its ISO form."""
    if moment is None:
        return None
    tz_name = tz_name or "Asia/Jakarta"
    local = moment.astimezone(ZoneInfo(tz_name))
    text = _("%(date)s, at %(time)s %(zone)s") % {
        "date": date_format(local, "j F Y"),
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
        return view(request, *args, **kwargs)

    return wrapper


def _get(actor, pk: int) -> Complaint:
    try:
        return complaint_get_for_actor(complaint_id=pk, actor=actor)
    except NotFound as exc:
        raise Http404 from exc


# ---------------------------------------------------------------------------------------------
# Home


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.user
    roles = {role for _path, role in membership_rows(actor)}
    if actor_is_national_admin(actor):
        roles |= set(ALL_ROLES)
    queue = reverse("staff:queue")
    unassigned = "&".join(f"status={s}" for s in UNASSIGNED_STATUSES)
    # Only the badges the actor's roles act on: an officer never verifies, a verifier is never
    # the assignee, and so on. Each link filters the queue exactly as its count does.
    views = [
        ("mine", _("My complaints"), f"{queue}?assignee=me", Role.OFFICER in roles),
        (
            "unassigned",
            _("Not yet assigned"),
            f"{queue}?assignee=none&{unassigned}",
            bool(roles & {Role.VERIFIER, Role.APPROVER, Role.OFFICER}),
        ),
        (
            "to_verify",
            _("Waiting for verification"),
            f"{queue}?status=submitted",
            Role.VERIFIER in roles,
        ),
        ("approval", _("Waiting for my approval"), f"{queue}?approval=on", Role.APPROVER in roles),
        ("due_soon", _("Due soon"), f"{queue}?clock=due_soon", True),
        ("overdue", _("Overdue"), f"{queue}?clock=overdue", True),
        ("escalated", _("Escalated"), f"{queue}?clock=escalated", True),
    ]
    counts = staff_home_counts(actor=actor, keys={k for k, _l, _u, show in views if show})
    units = [
        (path, name, pk)
        for pk, path, name in Agency.objects.filter(
            memberships__user=actor, memberships__role=Role.OFFICER
        )
        .values_list("pk", "path", "name")
        .distinct()
    ]
    return render(
        request,
        "complaints/staff/home.html",
        {
            "counts": counts,
            "views": [
                {
                    "key": k,
                    "label": label,
                    "url": url,
                    "count": min(counts.get(k, 0), COUNT_CAP),
                    "capped": counts.get(k, 0) > COUNT_CAP,
                }
                for k, label, url, show in views
                if show
            ],
            "unit_links": [
                {"name": name, "url": f"{queue}?unit={pk}"} for _path, name, pk in units
            ],
            "now": timezone.now(),
            "tz_label": TZ_LABELS.get(str(timezone.get_current_timezone()), ""),
            "nav": "home",
        },
    )


# ---------------------------------------------------------------------------------------------
# Queue


# Above this many agencies in scope (national admin, coordinators) the category list would be
# hundreds of options; it then lists the categories of the agency chosen in the agency/unit
# filter only, which keeps the queue page within its HTML budget (UX §6).
CATEGORY_LIST_MAX_AGENCIES = 20


def _filter_form(request: HttpRequest, data: QueryDict) -> f.QueueFilterForm:
    actor = request.user
    membership_rows(actor)
    cats = Category.objects.select_related("agency").order_by("agency__path", "ordering", "name")
    if not actor_is_national_admin(actor):
        q = Q(pk__in=[])
        for path in actor_scope_paths(actor):
            q |= Q(agency__path__startswith=path)
        cats = cats.filter(q)
    units = list(actor_units(actor))
    roots = {u.path.split("/", 1)[0] for u in units}
    narrowed = len(roots) > CATEGORY_LIST_MAX_AGENCIES
    if narrowed:
        by_pk = {str(u.pk): u for u in units}
        chosen = by_pk.get(data.get("unit", ""))
        if chosen is not None:
            cats = cats.filter(agency__path=chosen.path.split("/", 1)[0] + "/")
        else:
            wanted = data.get("category", "")
            cats = cats.filter(pk=int(wanted)) if wanted.isdigit() else cats.none()
    paths = [u.path for u in units if u.parent_id is None] or actor_scope_paths(actor)
    officers = list(officers_over(paths=paths))
    return f.QueueFilterForm(
        data, categories=list(cats), units=units, officers=officers, narrowed=narrowed
    )


def _querystring(data: QueryDict, **changes: Any) -> str:
    q = data.copy()
    for key, value in changes.items():
        if value is None:
            q.pop(key, None)
        else:
            q[key] = value
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else "?"


def _filter_tags(form: f.QueueFilterForm, data: QueryDict) -> list[dict[str, str]]:
    """Chosen filters as removable tags (MOJ filter a list)."""
    tags = []
    for name in ("q", "status", "kind", "clock", "category", "unit", "assignee", "channel"):
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        for value in data.getlist(name):
            if not value or name in form.errors:
                continue
            q = data.copy()
            q.setlist(name, [v for v in data.getlist(name) if v != value])
            q.pop("page", None)
            label = (
                value
                if name == "q"
                else choices.get(value)
                or choices.get(int(value) if value.isdigit() else value, value)
            )
            tags.append(
                {"field": str(field.label), "label": str(label), "url": f"?{q.urlencode()}"}
            )
    for name in ("privacy", "date_from", "date_to", "approval", "forwarded"):
        values = data.getlist(name)
        if not values or name in form.errors or values == [""]:
            continue
        q = data.copy()
        q.pop(name, None)
        q.pop("page", None)
        field = form.fields[name]
        if name == "privacy":
            choices = dict(field.choices)
            label = ", ".join(str(choices.get(v, v)) for v in values)
        elif name in ("approval", "forwarded"):
            label = _("Yes")
        else:
            label = values[0]
        tags.append({"field": str(field.label), "label": str(label), "url": f"?{q.urlencode()}"})
    return tags


SORT_COLUMNS = ["created", "status", "due"]


def _sort_headers(data: QueryDict, current: str) -> dict[str, dict[str, str]]:
    headers = {}
    for key in SORT_COLUMNS:
        if current == key:
            aria, next_sort = "ascending", f"-{key}"
        elif current == f"-{key}":
            aria, next_sort = "descending", key
        else:
            aria, next_sort = "none", key
        headers[key] = {"aria": aria, "url": _querystring(data, sort=next_sort, page=None)}
    return headers


def _page_links(data: QueryDict, page) -> list[dict[str, Any]]:
    last = page.num_pages + (1 if page.capped else 0)
    wanted = sorted({1, page.number - 1, page.number, page.number + 1, page.num_pages})
    links = []
    previous = 0
    for n in wanted:
        if n < 1 or n > last:
            continue
        if n - previous > 1:
            links.append({"ellipsis": True})
        links.append({"number": n, "url": _querystring(data, page=n), "current": n == page.number})
        previous = n
    return links


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, request.GET)


def _queue_page(
    request: HttpRequest,
    data: QueryDict,
    *,
    save_form: f.SavedFilterForm | None = None,
    bulk_error: str = "",
    next_url: str = "",
) -> HttpResponse:
    """The queue for the view in `data`; a failed save of the view or an empty bulk selection
    re-renders it with the error on the page (GOV.UK error summary) rather than a banner."""
    actor = request.user
    now = timezone.now()
    form = _filter_form(request, data)
    filters = form.valid_filters()
    sort = queue_sort(filters)
    qs = queue_filter(actor=actor, filters=filters, now=now)
    page = queue_page(qs, number=filters.get("page") or 1)
    if page.out_of_range:
        # Like page=0 or page=abc: an error on the page and the first page of the same view.
        form.add_error(
            "page",
            _("The page number must be %(n)s or less") % {"n": page.num_pages},
        )
        page = queue_page(qs, number=1)
    calendars: dict = {}
    rows = []
    # Every cell is prepared here: 50 rows a page, and each template lookup or translation in
    # the loop costs more than the same work in Python.
    case_base = reverse("staff:case", args=[0])[: -len("0/")]
    bulk_actions = bulk_actions_for(actor)
    bulk_roles = frozenset().union(*(ACTIONS[name].roles for name, _label in bulk_actions))
    labels = {
        "select": _("Select"),
        "triage": _("National triage"),
        "unassigned": _("Unassigned"),
    }
    for c in page.rows:
        deadline = deadline_for(c, now, calendars)
        number = c.display_tracking_number
        rows.append(
            {
                "pk": c.pk,
                # Forwarded-away complaints are read-only history; a row is selectable only
                # when one of the bulk actions on offer is allowed on it.
                "handled": actor_handles(actor, c),
                "selectable": bool(bulk_actions) and actions.holds_role_over(actor, c, bulk_roles),
                "item": f"{c.pk}:{c.version}",
                "url": f"{case_base}{c.pk}/",
                "number": number,
                "select_label": f"{labels['select']} {number}",
                "title": c.title,
                "anonymous": c.is_anonymous,
                "confidential": c.is_confidential,
                "agency": str(c.agency) if c.agency else labels["triage"],
                "unit": c.unit.name if c.unit else "",
                "category": c.category.name if c.category else "—",
                "status": c.get_status_display(),
                "status_css": STATUS_CSS.get(c.status, ""),
                "due": when(deadline.due_at, c.agency.time_zone if c.agency else None),
                "deadline": deadline,
                "assignee": c.assignee.get_full_name() if c.assignee else "",
                "unassigned": labels["unassigned"],
            }
        )
    saved = saved_filters_for(actor=actor)
    current_query = data.copy()
    current_query.pop("page", None)
    tz = timezone.get_current_timezone()
    if save_form is None:
        save_form = f.SavedFilterForm(initial={"query": current_query.urlencode()})
    # Links are query strings relative to the queue; rendered as the answer to a POST (another
    # URL) they must name the queue.
    base = reverse("staff:queue")
    tags = [t | {"url": base + t["url"]} for t in _filter_tags(form, data)]
    headers = {k: h | {"url": base + h["url"]} for k, h in _sort_headers(data, sort).items()}
    page_links = [
        link | {"url": base + link["url"]} if "url" in link else link
        for link in _page_links(data, page)
    ]
    return render(
        request,
        "complaints/staff/queue.html",
        {
            "form": form,
            "errors": bool(form.errors or save_form.errors or bulk_error),
            "bulk_error": bulk_error,
            "page": page,
            "rows": rows,
            "anonymous_label": _("Anonymous"),
            "confidential_label": _("Confidential"),
            "count_cap": COUNT_CAP,
            "tags": tags,
            "headers": headers,
            "page_links": page_links,
            "previous_url": base + _querystring(data, page=page.number - 1),
            "next_url": base + _querystring(data, page=page.number + 1),
            "saved": saved,
            "save_form": save_form,
            "export_url": reverse("staff:export") + _querystring(current_query),
            "query": current_query.urlencode(),
            "now": now,
            "tz_label": TZ_LABELS.get(str(tz), ""),
            "bulk_actions": bulk_actions if any(r["selectable"] for r in rows) else [],
            # Only forwarded-away rows on the page: say why nothing can be done with them.
            "read_only_list": bool(rows) and not any(r["handled"] for r in rows),
            "next": next_url or request.get_full_path(),
            "nav": "queue",
        },
        status=400 if (save_form.errors or bulk_error) else 200,
    )


def _csv_safe(value: Any) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is text, not a formula.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso_local(moment, c: Complaint) -> str:
    """ISO 8601 with the UTC offset, in the agency's zone: 2026-08-12T14:30+08:00."""
    if moment is None:
        return ""
    tz = ZoneInfo(c.agency.time_zone if c.agency else "Asia/Jakarta")
    return moment.astimezone(tz).isoformat(timespec="minutes")


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """CSV of the filtered queue: the same scope and filters as the page, streamed, with the
    identity of anonymous reporters masked by the selector."""
    actor = request.user
    form = _filter_form(request, request.GET)
    filters = form.valid_filters()
    if form.errors:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(reverse("staff:queue") + _querystring(request.GET))
    qs = queue_filter(actor=actor, filters=filters)
    now = timezone.now()
    hidden = _("Identity withheld")

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(
            [
                _("Tracking number"),
                _("Title"),
                _("Kind"),
                _("Status"),
                _("Agency"),
                _("Unit"),
                _("Category"),
                _("Channel"),
                # Rows of several zones (WIB/WITA/WIT): each moment in its agency's local
                # time with its UTC offset, machine-readable and unambiguous.
                _("Received (ISO 8601, agency local time)"),
                _("Deadline (ISO 8601, agency local time)"),
                _("Deadline state"),
                _("Assignee"),
                _("Reporter"),
                _("Reporter email"),
                _("Reporter phone"),
                _("Anonymous"),
                _("Confidential"),
            ]
        )
        calendars: dict = {}
        for c in qs.iterator(chunk_size=2000):
            deadline = deadline_for(c, now, calendars)
            masked = c.identity_masked
            yield writer.writerow(
                [
                    _csv_safe(v)
                    for v in (
                        c.display_tracking_number,
                        c.title,
                        c.get_kind_display(),
                        c.get_status_display(),
                        c.agency.name if c.agency else _("National triage"),
                        c.unit.name if c.unit else "",
                        c.category.name if c.category else "",
                        c.get_channel_display(),
                        _iso_local(c.created_at, c),
                        _iso_local(c.current_due_at, c),
                        deadline.text,
                        c.assignee.get_full_name() if c.assignee else "",
                        hidden if masked else c.reporter_name,
                        hidden if masked else c.reporter_email,
                        hidden if masked else c.reporter_phone,
                        _("Yes") if c.is_anonymous else _("No"),
                        _("Yes") if c.is_confidential else _("No"),
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="antrean-aduan-{stamp}.csv"'
    return response


@require_POST
@staff_required
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    form = f.SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    target = reverse("staff:queue") + (f"?{query}" if query else "")
    if not form.is_valid():
        return _queue_page(request, QueryDict(query), save_form=form, next_url=target)
    try:
        saved = saved_filter_save(
            actor=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
    except ApplicationError as exc:
        # On the name field, with what was typed kept (GOV.UK error pattern).
        form.add_error("name", str(exc.message))
        return _queue_page(request, QueryDict(query), save_form=form, next_url=target)
    messages.success(request, _("Done: the view “%(name)s” is saved.") % {"name": saved.name})
    return redirect(target)


@require_POST
@staff_required
def saved_filter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        saved_filter_delete(actor=request.user, saved_filter_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Done: the saved view is deleted."))
    return redirect("staff:queue")


# ---------------------------------------------------------------------------------------------
# Case page


@dataclass
class Action:
    """How the case page shows an action; who may take it is `complaints.actions`."""

    name: str
    label: str
    form: type
    primary_for: tuple[str, ...] = ()
    simple: bool = False  # a button without fields
    # Cannot be undone: the first POST shows what will happen (MOJ confirm an action), a
    # second one carrying "confirm" acts.
    confirm: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return actions.ROLES[self.name]


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "verify",
            gettext_lazy("Verify"),
            f.VerifyForm,
            (Status.SUBMITTED,),
        ),
        Action(
            "hold",
            gettext_lazy("Hold for information"),
            f.HoldForm,
        ),
        Action(
            "category",
            gettext_lazy("Change category"),
            f.CategoryForm,
        ),
        Action(
            "route",
            gettext_lazy("Route to a unit"),
            f.RouteForm,
            (Status.VERIFIED,),
        ),
        Action(
            "forward",
            gettext_lazy("Forward to another agency"),
            f.ForwardForm,
        ),
        Action(
            "take",
            gettext_lazy("Take this complaint"),
            f.TakeForm,
            (Status.ASSIGNED,),
            simple=True,
        ),
        Action(
            "assign",
            gettext_lazy("Assign"),
            f.AssignForm,
        ),
        Action(
            "draft",
            gettext_lazy("Draft an answer"),
            f.DraftForm,
            (Status.IN_PROGRESS,),
        ),
        Action(
            "approve",
            gettext_lazy("Approve the draft"),
            f.ResponseForm,
            simple=True,
        ),
        Action(
            "return",
            gettext_lazy("Return the draft"),
            f.ReturnForm,
        ),
        Action(
            "publish",
            gettext_lazy("Publish the answer"),
            f.ResponseForm,
            simple=True,
        ),
        Action(
            "resolve",
            gettext_lazy("Mark resolved"),
            f.ResolvedForm,
            simple=True,
        ),
        Action(
            "note",
            gettext_lazy("Add an internal note"),
            f.NoteForm,
        ),
        Action(
            "merge",
            gettext_lazy("Merge as a duplicate"),
            f.MergeForm,
            confirm=True,
        ),
        Action(
            "archive",
            gettext_lazy("Archive"),
            f.ArchiveForm,
            confirm=True,
        ),
    ]
}


def _form_kwargs(name: str, c: Complaint, actor) -> dict[str, Any]:
    """Choices of an action's form, loaded only for actions on offer."""
    if name in ("verify", "category"):
        cats = (
            list(
                Category.objects.filter(agency=c.agency_id, is_active=True).select_related("agency")
            )
            if c.agency_id
            else []
        )
        if name == "category":
            return {"categories": cats, "current": c.category_id}
        return {"categories": cats}
    if name == "route":
        units = (
            list(
                Agency.objects.filter(path__startswith=c.agency.path, is_active=True)
                .exclude(pk=c.agency_id)
                .order_by("path")
            )
            if c.agency
            else []
        )
        officers = list(officers_over(paths=[c.agency.path])) if c.agency else []
        return {"units": units, "officers": officers}
    if name == "forward":
        agencies = Agency.objects.filter(parent__isnull=True, is_active=True).order_by("name")
        if c.agency_id:
            agencies = agencies.exclude(pk=c.agency_id)
        return {"agencies": list(agencies)}
    if name == "assign":
        return {"officers": list(officers_for_node(path=c.scope_path))}
    if name == "draft":
        canned = (
            list(CannedResponse.objects.filter(agency=c.agency_id).order_by("title"))
            if c.agency_id
            else []
        )
        return {"canned": canned}
    return {}


def _action_form(name: str, c: Complaint, actor, data=None, initial=None):
    return ACTIONS[name].form(
        data, initial=initial, auto_id=f"{name}-%s", **_form_kwargs(name, c, actor)
    )


def _initial(name: str, c: Complaint, draft: Response | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": c.version}
    if name == "verify":
        initial |= {
            "title": c.title,
            "kind": c.kind,
            "category": c.category_id,
            "tier": c.tier,
            "is_anonymous": c.is_anonymous,
            "is_confidential": c.is_confidential,
        }
    elif name == "draft" and draft is not None:
        # The one pending answer is edited in place, an approved one too (it then needs
        # approval again).
        initial |= {
            "body": draft.body,
            "response": draft.pk,
            "response_version": services.response_version(draft),
        }
    elif name in ("approve", "publish", "return") and draft is not None:
        initial["response"] = draft.pk
        initial["response_version"] = services.response_version(draft)
    elif name == "assign":
        initial["assignee"] = str(c.assignee_id) if c.assignee_id else ""
    elif name == "category":
        initial["category"] = c.category_id
    return initial


def _typed_text(form) -> list[dict[str, str]]:
    """The text the user typed into a form the page no longer offers (someone else moved the
    complaint on meanwhile), shown read-only so that it can be copied rather than lost."""
    typed = []
    for bf in form.visible_fields():
        if not isinstance(bf.field.widget, forms.Textarea | forms.TextInput):
            continue
        value = str(form.data.get(bf.html_name) or "").strip()
        if value:
            typed.append({"id": f"typed-{bf.auto_id}", "label": str(bf.label), "value": value})
    return typed


def _case_context(
    request: HttpRequest,
    c: Complaint,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
) -> dict[str, Any]:
    actor = request.user
    view = case_read(complaint=c, actor=actor)
    offered, draft = view.offered, view.draft
    forms: dict[str, Any] = {}
    for name in offered:
        if bound and bound[0] == name:
            forms[name] = bound[1]
        else:
            forms[name] = _action_form(name, c, actor, initial=_initial(name, c, draft))
    # A draft waiting for this approver (or ready to publish) is the next step of the case.
    primary = next((n for n in ("approve", "publish") if n in offered), None)
    if primary is None:
        primary = next((n for n in offered if c.status in ACTIONS[n].primary_for), None)
    return {
        "c": c,
        "tz": c.agency.time_zone if c.agency else "Asia/Jakarta",
        "tz_label": TZ_LABELS.get((c.agency.time_zone if c.agency else "Asia/Jakarta"), "WIB"),
        "deadline": view.deadline,
        "clocks": view.clocks,
        "timeline": view.timeline,
        "responses": view.responses,
        "draft": draft,
        "attachments": view.attachments,
        "related": view.related,
        "escalations": view.escalations,
        "action_items": [
            {
                "action": ACTIONS[n],
                "form": forms[n],
                "primary": n == primary,
                "bound": bool(bound and bound[0] == n),
            }
            for n in offered
        ],
        "action_error": error,
        "typed_text": _typed_text(bound[1]) if bound and bound[0] not in offered else [],
        "errors": bool(error) or bool(bound and bound[1].errors),
        "read_only": view.read_only,
        "roles": view.roles,
        "now": view.now,
        "nav": "queue",
    }


@require_GET
@staff_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request.user, pk)
    return render(request, "complaints/staff/case.html", _case_context(request, c))


def _run_action(name: str, form, c: Complaint, actor) -> str:
    """Call the one service behind an action; returns the success message."""
    d = form.cleaned_data
    version = d.get("version")
    if name == "verify":
        services.complaint_verify(
            complaint_id=c.pk,
            actor=actor,
            expected_version=version,
            title=d["title"],
            kind=d["kind"],
            category=d["category"],
            tier=d["tier"],
            is_anonymous=d["is_anonymous"],
            is_confidential=d["is_confidential"],
        )
        return _("Done: the complaint is verified.")
    if name == "category":
        services.complaint_set_category(
            complaint_id=c.pk, actor=actor, category=d["category"], expected_version=version
        )
        return _("Done: the category is now %(category)s.") % {"category": d["category"].name}
    if name == "hold":
        services.complaint_hold_for_info(
            complaint_id=c.pk, actor=actor, message=d["message"], expected_version=version
        )
        return _("Done: the reporter is asked for information.")
    if name == "archive":
        services.complaint_archive(
            complaint_id=c.pk, actor=actor, reason=form.reason_text(), expected_version=version
        )
        return _("Done: the complaint is archived.")
    if name == "route":
        services.complaint_route(
            complaint_id=c.pk,
            actor=actor,
            unit=d["unit"],
            assignee=d["assignee"],
            expected_version=version,
        )
        return _("Done: the complaint is routed to %(unit)s.") % {"unit": d["unit"].name}
    if name == "forward":
        services.complaint_forward(
            complaint_id=c.pk,
            actor=actor,
            agency=d["agency"],
            reason=d["reason"],
            expected_version=version,
        )
        return _("Done: the complaint is forwarded to %(agency)s.") % {"agency": d["agency"].name}
    if name == "take":
        services.complaint_take(complaint_id=c.pk, actor=actor, expected_version=version)
        return _("Done: you are handling this complaint.")
    if name == "assign":
        assignee = form.assignee_user()
        services.complaint_assign(
            complaint_id=c.pk, actor=actor, assignee=assignee, expected_version=version
        )
        if assignee is None:
            return _("Done: the assignee is cleared.")
        return _("Done: the complaint is assigned to %(name)s.") % {
            "name": assignee.get_full_name()
        }
    if name == "note":
        services.complaint_note(complaint_id=c.pk, actor=actor, body=d["body"])
        return _("Done: the note is added.")
    if name == "draft":
        services.response_draft(
            complaint_id=c.pk,
            actor=actor,
            body=d["body"],
            response_id=d.get("response"),
            expected_response_version=d.get("response_version"),
        )
        return _("Done: the draft answer is saved.")
    if name == "approve":
        _check_response(c, d["response"])
        services.response_approve(
            response_id=d["response"],
            actor=actor,
            expected_response_version=d.get("response_version"),
        )
        return _("Done: the draft is approved.")
    if name == "return":
        _check_response(c, d["response"])
        services.response_return(response_id=d["response"], actor=actor, reason=d["reason"])
        return _("Done: the draft is returned to its author.")
    if name == "publish":
        _check_response(c, d["response"])
        services.response_publish(
            response_id=d["response"],
            actor=actor,
            expected_version=version,
            expected_response_version=d.get("response_version"),
        )
        return _("Done: the answer is published to the reporter.")
    if name == "resolve":
        services.complaint_mark_resolved(complaint_id=c.pk, actor=actor)
        return _("Done: the complaint is marked resolved.")
    if name == "merge":
        target = complaint_get_by_tracking_number_for_actor(tracking_number=d["into"], actor=actor)
        services.complaint_merge(
            complaint_id=c.pk, into_id=target.pk, actor=actor, expected_version=version
        )
        return _("Done: the complaint is merged into %(number)s.") % {
            "number": target.display_tracking_number
        }
    raise Http404  # pragma: no cover - names come from ACTIONS


def _confirmable(action: str, form, c: Complaint, actor) -> Complaint | None:
    """Before an irreversible action is offered for confirmation (and again when it is
    confirmed): the actor's role, the complaint unchanged since the page was loaded, and for a
    merge the target complaint (returned). Raises as the service would, so the case page shows
    the same errors; the service still checks everything under its lock."""
    if not actions.may(actor, c, action):
        raise NotAllowed(_("Your role does not allow this action on this complaint."))
    # The services' own stale check and wording, before the page (the service checks it again
    # under its lock when the action is confirmed).
    services.check_version(c, form.cleaned_data["version"])
    if action != "merge":
        return None
    target = complaint_get_by_tracking_number_for_actor(
        tracking_number=form.cleaned_data["into"], actor=actor
    )
    if target.pk == c.pk:
        raise ApplicationError(_("A complaint cannot be merged into itself."))
    if not target.is_open:
        raise ApplicationError(_("Merge into a complaint that is still open."))
    return target


def _confirm_page(
    request: HttpRequest, action: str, form, c: Complaint, target: Complaint | None
) -> HttpResponse:
    """What an archive or merge will do, with what was typed carried in hidden fields: "Back"
    returns it to the case page's form, the warning button acts."""
    if action == "merge":
        number = target.display_tracking_number
        reason = _("Duplicate of %(number)s") % {"number": number}
        question = _("Merge this complaint into %(number)s?") % {"number": number}
        warning = _(
            "This complaint is archived as a duplicate and its reporter is told which "
            "complaint carries on. This cannot be undone."
        )
        button = _("Merge this complaint")
    else:
        reason = form.reason_text()
        question = _("Archive this complaint?")
        warning = _("The reporter is told the reason. An archived complaint cannot be reopened.")
        button = _("Archive this complaint")
    return render(
        request,
        "complaints/staff/case_confirm.html",
        {
            "c": c,
            "action": ACTIONS[action],
            "form": form,
            "target": target,
            "reason": reason,
            "question": question,
            "warning": warning,
            "button": button,
            "nav": "queue",
        },
    )


def _check_response(c: Complaint, response_id: int) -> None:
    # A response id from another complaint must not act through this page.
    if not Response.objects.filter(pk=response_id, complaint=c).exists():
        raise NotFound(_("Draft not found."))


def _case_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The case page answering an action POST without a redirect (errors, stale writes, canned
    answer). htmx swaps it in place; the header keeps the address bar on the case page rather
    than the action URL, which only accepts POST."""
    response = render(request, "complaints/staff/case.html", context, status=status)
    if request.headers.get("HX-Request") == "true":
        response["HX-Push-Url"] = "false"
    return response


@require_POST
@staff_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = request.user
    c = _get(actor, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = _action_form(action, c, actor, data=request.POST)
    if action == "draft" and "use_canned" in request.POST:
        # Without JavaScript: put the chosen canned answer into the text box, save nothing.
        if form.is_valid() and form.canned_body():
            data = request.POST.copy()
            data["body"] = form.canned_body()
            form = _action_form(action, c, actor, data=data)
            form.is_valid()
        context = _case_context(request, c, bound=(action, form))
        context["errors"] = bool(form.errors)
        return _case_page(request, context)
    if spec.confirm and "change" in request.POST:
        # "Back" from the confirmation: the case page with what was typed, nothing done.
        return _case_page(request, _case_context(request, c, bound=(action, form)))
    if action == "draft" and form.is_valid() and not form.cleaned_data["body"].strip():
        if form.canned_body():
            form.cleaned_data["body"] = form.canned_body()
        else:
            form.add_error("body", _("Write the answer or choose a canned answer"))
    if not form.is_valid():
        return _case_page(
            request,
            _case_context(request, c, bound=(action, form)),
            status=400,
        )
    try:
        if spec.confirm:
            target = _confirmable(action, form, c, actor)
            if "confirm" not in request.POST:
                return _confirm_page(request, action, form, c, target)
        message = _run_action(action, form, c, actor)
    except StaleState as exc:
        c = _get(actor, pk)
        data = request.POST.copy()
        data["version"] = str(c.version)
        if action in ("draft", "approve", "publish", "return"):
            # The page now shows the current draft; a second submit acts on what it shows.
            draft = actions.current_draft(list(c.responses.all()))
            if draft is not None:
                data["response"] = str(draft.pk)
                data["response_version"] = str(services.response_version(draft))
        fresh = _action_form(action, c, actor, data=data)
        fresh.is_valid()
        return _case_page(
            request,
            _case_context(request, c, bound=(action, fresh), error=str(exc.message)),
            status=409,
        )
    except NotFound as exc:
        if action == "merge":
            form.add_error("into", _("No complaint with that tracking number is in your scope"))
            return _case_page(
                request,
                _case_context(request, c, bound=(action, form)),
                status=400,
            )
        raise Http404 from exc
    except ApplicationError as exc:
        c = _get(actor, pk)
        return _case_page(
            request,
            _case_context(request, c, bound=(action, form), error=str(exc.message)),
            status=400,
        )
    messages.success(request, message)
    try:
        return redirect("staff:case", pk=_get(actor, pk).pk)
    except Http404:
        # Forwarded away without history access, or merged: back to the queue.
        return redirect("staff:queue")


@require_POST
@staff_required
def escalation_ack(request: HttpRequest, pk: int, escalation_pk: int) -> HttpResponse:
    """ "Terima eskalasi" for the verifiers, approvers and officers a ladder step is addressed
    to (the focal-point steps are acknowledged on the focal board as well)."""
    actor = request.user
    c = _get(actor, pk)
    if not Escalation.objects.filter(pk=escalation_pk, complaint=c).exists():
        raise Http404
    try:
        services.escalation_acknowledge(escalation_id=escalation_pk, actor=actor)
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        message = str(exc.message)
        done = (
            Escalation.objects.filter(pk=escalation_pk, acknowledged_at__isnull=False)
            .select_related("acknowledged_by")
            .first()
        )
        if done is not None:
            # A stale write: say who acknowledged it; the page shows the current list.
            message = _("%(who)s acknowledged this escalation already.") % {
                "who": done.acknowledged_by.get_full_name()
                if done.acknowledged_by
                else _("someone else")
            }
        c = _get(actor, pk)
        return _case_page(
            request,
            _case_context(request, c, error=message),
            status=409 if done is not None else 400,
        )
    messages.success(request, _("Done: the escalation is acknowledged."))
    return redirect("staff:case", pk=c.pk)


@require_GET
@staff_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Files only through this view, for staff in scope, always as a download."""
    try:
        attachment = Attachment.objects.get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    _get(request.user, attachment.complaint_id)
    return download_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )


# ---------------------------------------------------------------------------------------------
# Bulk actions


def bulk_actions_for(actor) -> list[tuple[str, Any]]:
    """The bulk actions (name, label) that `actions.bulk_actions_for` allows the actor."""
    allowed = set(actions.bulk_actions_for(actor))
    return [(name, label) for name, label in f.BULK_ACTIONS if name in allowed]


def _bulk_forms(action: str, actor, data=None):
    membership_rows(actor)
    if action == "assign":
        return f.BulkAssignForm(
            data,
            officers=list(
                officers_over(
                    paths=actor_scope_paths(actor) if not actor_is_national_admin(actor) else [""]
                )
            ),
        )
    if action == "route":
        units = [u for u in actor_units(actor) if u.parent_id is not None]
        return f.BulkRouteForm(data, units=units)
    if action == "archive":
        return f.BulkArchiveForm(data)
    return f.BulkVerifyForm(data)


def _bulk_one(action: str, form, pk: int, version: int, actor) -> str:
    if action == "verify":
        services.complaint_verify(complaint_id=pk, actor=actor, expected_version=version)
        return _("Verified")
    if action == "assign":
        assignee = form.assignee_user()
        services.complaint_assign(
            complaint_id=pk, actor=actor, assignee=assignee, expected_version=version
        )
        if assignee is None:
            return _("Assignee cleared")
        return _("Assigned to %(name)s") % {"name": assignee.get_full_name()}
    if action == "route":
        unit = form.cleaned_data["unit"]
        services.complaint_route(complaint_id=pk, actor=actor, unit=unit, expected_version=version)
        return _("Routed to %(unit)s") % {"unit": unit.name}
    services.complaint_archive(
        complaint_id=pk, actor=actor, reason=form.reason_text(), expected_version=version
    )
    return _("Archived")


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    """MOJ multi select: every item goes through the same service as one by one; the result
    page lists each item's outcome. Verify runs at once; assign, route and archive first ask
    for their choice (archive with a required reason)."""
    actor = request.user
    next_url = request.POST.get("next") or reverse("staff:queue")
    if not next_url.startswith("/staf/"):
        next_url = reverse("staff:queue")
    selection = f.BulkSelectionForm(request.POST)
    if not selection.is_valid():
        if "items" in selection.errors:
            # A form error of the queue page: shown there in the error summary and beside the
            # checkboxes, with the same view (its query string is in `next`).
            return _queue_page(
                request,
                QueryDict(next_url.partition("?")[2]),
                bulk_error=str(selection.errors["items"][0]),
                next_url=next_url,
            )
        else:
            messages.error(request, _("Choose an action for the selected complaints"))
        return redirect(next_url)
    action = selection.cleaned_data["action"]
    items = selection.cleaned_data["items"]
    chosen = {
        c.pk: c
        for c in complaint_list_for_actor(actor=actor).filter(pk__in=[pk for pk, _v in items])
    }
    form = _bulk_forms(action, actor, request.POST if "confirm" in request.POST else None)
    refusals = {pk: actions.bulk_refusal(action, c, actor) for pk, c in chosen.items()}
    needs_input = action != "verify"
    if needs_input and ("confirm" not in request.POST or not form.is_valid()):
        return render(
            request,
            "complaints/staff/bulk_confirm.html",
            {
                "action": action,
                "action_label": dict(f.BULK_ACTIONS)[action],
                "form": form,
                "items": items,
                "chosen": [
                    {"c": chosen[pk], "refusal": refusals[pk]} for pk, _v in items if pk in chosen
                ],
                "next": next_url,
                "errors": bool(form.errors),
                "nav": "queue",
            },
            status=400 if form.errors else 200,
        )
    results = []
    for pk, version in items:
        c = chosen.get(pk)
        try:
            if c is None:
                raise NotFound(_("Complaint not found."))
            if refusals[pk]:
                raise ApplicationError(refusals[pk])
            outcome, ok = _bulk_one(action, form, pk, version, actor), True
        except ApplicationError as exc:
            outcome, ok = str(exc.message), False
        results.append({"pk": pk, "complaint": c, "outcome": outcome, "ok": ok})
    return render(
        request,
        "complaints/staff/bulk_result.html",
        {
            "action_label": dict(f.BULK_ACTIONS)[action],
            "results": results,
            "ok_count": sum(1 for r in results if r["ok"]),
            "next": next_url,
            "nav": "queue",
        },
    )


# ---------------------------------------------------------------------------------------------
# Walk-in and phone complaints


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


@require_GET
@staff_required
def shortcuts(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/staff/shortcuts.html", {"nav": "shortcuts"})
