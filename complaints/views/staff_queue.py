"""The staff queue: filters, sorting, pagination, saved views and the CSV export."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from common import refcache
from common.cells import cell_safe
from common.exceptions import ApplicationError, NotFound
from complaints import actions
from complaints.access import (
    actor_handles,
    actor_is_national_admin,
    actor_scope_paths,
    membership_rows,
)
from complaints.models import (
    Agency,
    Category,
    Complaint,
)
from complaints.policy import ClockState, Deadline, clock_zone, deadline_for
from complaints.selectors import reference
from complaints.selectors.queue import (
    COUNT_CAP,
    queue_filter,
    queue_page,
    queue_sort,
    saved_filters_for,
)
from complaints.services.casework import saved_filter_delete, saved_filter_save
from complaints.views import forms_staff as f
from complaints.views.staff_common import (
    STATUS_CSS,
    TZ_LABELS,
    bulk_actions_for,
    staff_required,
    when,
)

# Above this many agencies in scope (national admin, coordinators) the category list would be
# hundreds of options; it then lists the categories of the agency chosen in the agency/unit
# filter only, which keeps the queue page within its HTML budget (UX §6).
CATEGORY_LIST_MAX_AGENCIES = 20


# The columns a queue row reads (its cells, deadline, clock zone and calendar, the scope and
# role checks), read as plain rows: a page of fifty builds an unsaved complaint of the
# COMPLAINT_COLUMNS per row and one agency per place, not sixty columns and four joined
# models per row.
COMPLAINT_COLUMNS = (
    "id",
    "version",
    "tracking_number",
    "title",
    "status",
    "is_anonymous",
    "is_confidential",
    "scope_path",
    "current_clock",
    "current_due_at",
    "escalation_level",
    "resolution_escalation_level",
    "ceiling_escalation_level",
)
# The places, category and assignee are named from selectors.reference rather than joined:
# four joins cost the row query more planning than its fifty rows cost to read.
ROW_FIELDS = (*COMPLAINT_COLUMNS, "agency_id", "unit_id", "category_id", "assignee_id")


def _row_complaint(v: dict[str, Any], nodes: dict[int, Agency], probe: Complaint) -> Complaint:
    """`probe` (an unsaved complaint, one per page) given one queue row's values, with its
    agency and unit (from `nodes`, every agency by id) for the deadline's calendar and clock
    zone. Valid until the next row is read into it."""
    for name in COMPLAINT_COLUMNS:
        setattr(probe, name, v[name])
    for place in ("agency", "unit"):
        pk = v[f"{place}_id"]
        setattr(probe, place, nodes.get(pk) if pk is not None else None)
    return probe


def _filter_form(request: HttpRequest, data: QueryDict) -> f.QueueFilterForm:
    actor = request.user
    membership_rows(actor)
    # The choices are the same for everyone of the scope (selectors.reference).
    paths = None if actor_is_national_admin(actor) else tuple(actor_scope_paths(actor))
    units = reference.scope_units(actor, paths)
    roots = {u.path.split("/", 1)[0] for u in units}
    narrowed = len(roots) > CATEGORY_LIST_MAX_AGENCIES
    if narrowed:
        # Too many agencies to list every category: those of the chosen unit's agency, or
        # the chosen category alone.
        by_pk = {str(u.pk): u for u in units}
        chosen = by_pk.get(data.get("unit", ""))
        if chosen is not None:
            root = chosen.path.split("/", 1)[0] + "/"
            cats = [c for c in reference.scope_categories((root,)) if c.agency.path == root]
        else:
            wanted = data.get("category", "")
            cats = (
                list(Category.objects.select_related("agency").filter(pk=int(wanted)))
                if wanted.isdigit()
                else []
            )
    else:
        cats = reference.scope_categories(paths)
    officer_paths = tuple(u.path for u in units if u.parent_id is None) or tuple(
        actor_scope_paths(actor)
    )
    officers = reference.officers_below(officer_paths)
    return f.QueueFilterForm(
        data, categories=cats, units=units, officers=officers, narrowed=narrowed
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


def deadline_short(deadline: Deadline) -> str:
    """The deadline in one short cell (MOJ contextual date): "2 HK lagi", "lewat 3 HK"; the
    state stays in words where the number alone does not say it (escalated, the reporter's)."""
    days = deadline.days
    if days is None:
        return "—"
    if days < 0:
        text = _("%(n)s WD overdue") % {"n": -days}
    elif days == 0:
        text = pgettext("deadline cell", "today")
    else:
        text = _("%(n)s WD left") % {"n": days}
    if deadline.state == ClockState.ESCALATED:
        return _("escalated · %(text)s") % {"text": text}
    if deadline.state == ClockState.REPORTER:
        return _("reporter · %(text)s") % {"text": text}
    return text


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
    return queue_page_response(request, request.GET)


def queue_page_response(
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
    # Counted apart (selectors.queue.queue_page) when the scope index answers the count: the
    # default views, by status, assignee, category or unit. A text search, the deadline states
    # and the kind, channel and privacy flags are evaluated once, in the walk in page order
    # (measured at a million complaints: counting those apart costs more than it saves).
    count_apart = not any(filters.get(k) for k in ("q", "clock", "kind", "channel", "privacy"))
    page = queue_page(
        qs, number=filters.get("page") or 1, fields=ROW_FIELDS, count_apart=count_apart
    )
    if page.out_of_range:
        # Like page=0 or page=abc: an error on the page and the first page of the same view.
        form.add_error(
            "page",
            _("The page number must be %(n)s or less") % {"n": page.num_pages},
        )
        page = queue_page(qs, number=1, fields=ROW_FIELDS, count_apart=count_apart)
    calendars: dict = {}
    rows = []
    # Every cell is prepared here: 50 rows a page, and each template lookup or translation in
    # the loop costs more than the same work in Python.
    case_base = reverse("staff:case", args=[0])[: -len("0/")]
    bulk_actions = bulk_actions_for(actor)
    bulk_roles = frozenset().union(*(actions.ROLES[name] for name, _label in bulk_actions))
    labels = {
        "select": _("Select"),
        "triage": _("National triage"),
        "unassigned": _("Unassigned"),
    }
    nodes = reference.agencies_by_id()
    categories = reference.category_names()
    assignees = reference.staff_names({v["assignee_id"] for v in page.rows} - {None})
    statuses: dict[str, str] = {}
    # (handled, selectable) by place: the checks read only the complaint's scope path.
    places: dict[str, tuple[bool, bool]] = {}
    probe = Complaint()
    for v in page.rows:
        c = _row_complaint(v, nodes, probe)
        deadline = deadline_for(c, now, calendars)
        if c.status not in statuses:
            statuses[c.status] = f.staff_status_label(c.status)
        if c.scope_path not in places:
            places[c.scope_path] = (
                actor_handles(actor, c),
                bool(bulk_actions) and actions.holds_role_over(actor, c, bulk_roles),
            )
        handled, selectable = places[c.scope_path]
        number = c.display_tracking_number
        rows.append(
            {
                "pk": c.pk,
                # Forwarded-away complaints are read-only history; a row is selectable only
                # when one of the bulk actions on offer is allowed on it.
                "handled": handled,
                "selectable": selectable,
                "item": f"{c.pk}:{c.version}",
                "url": f"{case_base}{c.pk}/",
                "number": number,
                "select_label": f"{labels['select']} {number}",
                "title": c.title,
                "anonymous": c.is_anonymous,
                "confidential": c.is_confidential,
                "agency": str(c.agency) if c.agency else labels["triage"],
                "unit": c.unit.name if c.unit else "",
                "category": categories.get(v["category_id"]) or "—",
                "status": statuses[c.status],
                "status_css": STATUS_CSS.get(c.status, ""),
                "due": when(deadline.due_at, clock_zone(c)),
                "deadline": deadline,
                "deadline_short": deadline_short(deadline),
                "assignee": assignees.get(v["assignee_id"], "") if v["assignee_id"] else "",
                "unassigned": labels["unassigned"],
            }
        )
    offered = bulk_actions if any(r["selectable"] for r in rows) else []
    flag_labels = {"anonymous": _("Anonymous"), "confidential": _("Confidential")}
    for row in rows:
        row["html"] = _row_html(
            row, bulk=bool(offered), bulk_error=bool(bulk_error), labels=flag_labels
        )
    saved = saved_filters_for(actor=actor)
    # The filter's fields are the same HTML for everyone of the scope asking for the same
    # view: drawn once per process (common.refcache, cleared when a choice list changes).
    paths = None if actor_is_national_admin(actor) else tuple(actor_scope_paths(actor))
    filter_fields = refcache.reference(
        ("queue-filter-fields", translation.get_language(), paths, data.urlencode()),
        lambda: render_to_string("complaints/staff/_queue_filter_fields.html", {"form": form}),
    )
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
            "filter_fields": filter_fields,
            "errors": bool(form.errors or save_form.errors or bulk_error),
            "bulk_error": bulk_error,
            "page": page,
            "rows": rows,
            # One string for the table body: a template loop over fifty rows costs more than
            # joining them.
            "rows_html": mark_safe("\n".join(row["html"] for row in rows)),  # noqa: S308 - _row_html escapes
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
            "bulk_actions": offered,
            # Only forwarded-away rows on the page: say why nothing can be done with them.
            "read_only_list": bool(rows) and not any(r["handled"] for r in rows),
            "next": next_url or request.get_full_path(),
            "nav": "queue",
        },
        status=400 if (save_form.errors or bulk_error) else 200,
    )


# Spreadsheet formula injection: one rule for every export (common.cells).
_csv_safe = cell_safe


def _e(value: Any) -> str:
    """HTML-escaped text of a value (what format_html does to each argument, without its
    lazy-string and SafeData checks: every value here is plain text)."""
    return html.escape(str(value))


def _row_html(row: dict[str, Any], *, bulk: bool, bulk_error: bool, labels: dict) -> str:
    """One queue row as HTML, built once here: 50 rows of a dozen template nodes each were
    most of the page's time (issue 19 profile), and format_html's per-argument checks most of
    what remained. Every value is escaped by _e."""
    cells = []
    if bulk:
        box = ""
        if row["selectable"]:
            pk = row["pk"]
            described = ' aria-describedby="items-error"' if bulk_error else ""
            box = (
                '<div class="choice choice--small"><input type="checkbox" name="items" '
                f'value="{_e(row["item"])}" id="item-{pk}" data-item{described}>'
                f'<label for="item-{pk}"><span class="visually-hidden">'
                f"{_e(row['select_label'])}</span></label></div>"
            )
        cells.append(f'<td class="queue-table__select">{box}</td>')
    flags = "".join(
        f'<span class="tag tag--grey tag--small">{_e(label)}</span> '
        for flag, label in (
            (row["anonymous"], labels["anonymous"]),
            (row["confidential"], labels["confidential"]),
        )
        if flag
    )
    title = _e(row["title"])
    cells.append(
        f'<th scope="row" class="queue-table__case"><a href="{_e(row["url"])}" data-open '
        f'title="{title}"><span class="tracking">{_e(row["number"])}</span> {flags}{title}</a></th>'
    )
    agency = _e(row["agency"])
    if row["unit"]:
        unit = _e(row["unit"])
        cells.append(
            f'<td title="{agency} · {unit}">{unit}'
            f'<span class="visually-hidden"> ({agency})</span></td>'
        )
    else:
        cells.append(f'<td title="{agency}">{agency}</td>')
    cells.append(f"<td>{_e(row['category'])}</td>")
    cells.append(
        f'<td><strong class="tag tag--small {_e(row["status_css"])}">'
        f"{_e(row['status'])}</strong></td>"
    )
    deadline = row["deadline"]
    tag = f'<strong class="tag tag--small {_e(deadline.css)}">{_e(row["deadline_short"])}</strong>'
    if row["due"]:
        due_text = _e(row["due"]["text"])
        deadline_text = _e(deadline.text)
        tag = (
            f'<time datetime="{_e(row["due"]["iso"])}" title="{due_text} · {deadline_text}">'
            f'{tag}</time><span class="visually-hidden">, {deadline_text}, {due_text}</span>'
        )
    cells.append(f"<td>{tag}</td>")
    if row["assignee"]:
        cells.append(f"<td>{_e(row['assignee'])}</td>")
    else:
        cells.append(f'<td><span class="hint">{_e(row["unassigned"])}</span></td>')
    return mark_safe(f"<tr data-row>{''.join(cells)}</tr>")  # noqa: S308 - every value escaped


def _iso_local(moment, c: Complaint) -> str:
    """ISO 8601 with the UTC offset, in the complaint's clock zone: 2026-08-12T14:30+08:00."""
    if moment is None:
        return ""
    tz = ZoneInfo(clock_zone(c))
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
        return queue_page_response(request, QueryDict(query), save_form=form, next_url=target)
    try:
        saved = saved_filter_save(
            actor=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
    except ApplicationError as exc:
        # On the name field, with what was typed kept (GOV.UK error pattern).
        form.add_error("name", str(exc.message))
        return queue_page_response(request, QueryDict(query), save_form=form, next_url=target)
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
