"""Focal-point pages: board, read-only complaint page, nudges, escalation acknowledgement,
corrective actions, scorecards and the directory. Views validate, call one selector or
service, and render."""

from __future__ import annotations

import csv
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import download_response
from common.exceptions import ApplicationError, NotAllowed, NotFound, StaleState
from complaints.access import (
    actor_is_national_admin,
    actor_roles_for,
    escalation_addressed_to,
    membership_rows,
)
from complaints.clock import WorkingCalendar
from complaints.models import Agency
from complaints.policy import escalation_ladder_roles
from complaints.selectors.case import clock_rows
from complaints.selectors.scope import complaint_events_for_actor, complaint_get_for_actor
from complaints.services.escalation import escalation_acknowledge
from focal_points import forms as focal_forms
from focal_points import selectors, services
from focal_points.models import CorrectiveActionEvidence
from focal_points.scorecards import Period, scorecard
from focal_points.templatetags.focal import clock_tz, sla_label
from reporting.views import render_dashboard, start_export

PAGE_SIZE = 50
# Escalations listed on the board; the rest are on their own page.
BOARD_ESCALATIONS = 20


def _login_redirect(request: HttpRequest) -> HttpResponse:
    try:
        login_url = reverse("accounts:login")
    except NoReverseMatch:
        login_url = reverse("admin:login")
    return redirect_to_login(request.get_full_path(), login_url)


def focal_required(view):
    """Signed-in focal points, coordinators and national admins; `request.focal_scope` is
    their scope. Other agency staff get 403; anyone else a 404, as in the staff workspace,
    so the oversight pages do not advertise themselves."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login_redirect(request)
        scope = selectors.focal_scope_for(actor=request.user)
        if scope.is_empty:
            if not membership_rows(request.user):
                raise Http404
            raise PermissionDenied
        request.focal_scope = scope
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Agency staff of any role: corrective actions and the directory check scope themselves.
    Anyone else gets a 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login_redirect(request)
        request.focal_scope = selectors.focal_scope_for(actor=request.user)
        if request.focal_scope.is_empty and not membership_rows(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ---------------------------------------------------------------------------------------------
# Board


@require_GET
@focal_required
def board(request: HttpRequest) -> HttpResponse:
    scope = request.focal_scope
    now = timezone.now()
    agency_id = _int(request.GET.get("agency"))
    if agency_id is not None and not scope.covers_agency(agency_id):
        raise Http404
    single = len(scope.agencies) == 1 and not scope.is_admin
    chosen = agency_id or (scope.agencies[0].pk if single else None)
    counts = selectors.board_counts(scope=scope, now=now, agency_id=agency_id)
    units = [r.unit for r in counts.rows if r.unit] if counts.by_unit else []
    categories = list(focal_forms.categories_for([chosen])) if chosen else []
    form = focal_forms.BoardFilterForm(
        request.GET or None, agencies=scope.agencies, units=units, categories=categories
    )
    filters: dict = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
    if agency_id:
        filters["agency"] = agency_id
    filters.setdefault("sort", "due")
    qs = selectors.board_complaint_list(scope=scope, filters=filters, now=now)
    total, capped = selectors.capped_count(qs)
    paginator = Paginator(range(total), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    complaints = list(qs[page.start_index() - 1 : page.end_index()]) if total else []
    for c in complaints:
        c.sla = sla_label(c, now=now, soon=counts.soon)
    escalations, escalations_total = selectors.escalations_awaiting(
        scope=scope, limit=BOARD_ESCALATIONS
    )
    return render(
        request,
        "focal_points/board.html",
        {
            "scope": scope,
            "board": counts,
            "form": form,
            "filters": filters,
            "complaints": complaints,
            "page": page,
            "total": total,
            "capped": capped,
            "escalations": escalations,
            "escalations_total": escalations_total,
            "agency_id": agency_id,
            "sort": filters.get("sort"),
            "now": now,
            "chosen_tags": _chosen_tags(form, filters),
        },
    )


def _chosen_tags(form, filters: dict) -> list[dict]:
    """Chosen filters as removable tags (MOJ filter a list)."""
    if not form.is_bound or not form.is_valid():
        return []
    tags = []
    for name, value in filters.items():
        if name in ("sort", "agency") or name not in form.fields:
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []))
        values = value if isinstance(value, list) else [value]
        for v in values:
            label = choices.get(v, choices.get(str(v), v))
            remaining = form.data.copy()
            if isinstance(value, list):
                remaining.setlist(name, [x for x in remaining.getlist(name) if x != str(v)])
            else:
                remaining.pop(name, None)
            remaining.pop("page", None)
            tags.append({"field": field.label, "label": label, "href": "?" + remaining.urlencode()})
    return tags


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# Read-only complaint page


@require_GET
@focal_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaint = complaint_get_for_actor(complaint_id=pk, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    events = complaint_events_for_actor(complaint=complaint, actor=request.user)
    # Only the steps addressed to the reader wait for their acknowledgement (the rule the
    # acknowledgement service checks, complaints.access.escalation_addressed_to).
    ladder = escalation_ladder_roles(complaint=complaint)
    escalations = [
        e
        for e in complaint.escalations.filter(acknowledged_at__isnull=True).order_by("created_at")
        if e.is_live
        and escalation_addressed_to(
            complaint=complaint, roles=ladder.get(e.level, set()), actor=request.user
        )
    ]
    actions = list(complaint.corrective_actions.select_related("issuer").order_by("due_at"))
    sla = (
        sla_label(complaint, now=now, soon=selectors.due_soon_threshold(now))
        if complaint.is_open
        else None
    )
    return render(
        request,
        "focal_points/complaint_detail.html",
        {
            "complaint": complaint,
            "events": events,
            "escalations": escalations,
            "actions": actions,
            "sla": sla,
            "clocks": clock_rows(complaint, now),
            "now": now,
            "tz": clock_tz(complaint),
        },
    )


# ---------------------------------------------------------------------------------------------
# Nudge and escalation acknowledgement


@require_http_methods(["GET", "POST"])
@focal_required
def nudge(request: HttpRequest) -> HttpResponse:
    """Confirm-an-action page for one or many complaints (MOJ pattern): GET lists the chosen
    complaints with the message form; POST records the nudges."""
    source = request.POST if request.method == "POST" else request.GET
    ids = [i for i in (_int(v) for v in source.getlist("complaint")) if i]
    back = _safe_next(request, reverse("focal:board"))
    if not ids:
        messages.error(request, _("Choose at least one complaint"))
        return redirect(back)
    complaints = list(
        selectors.board_complaint_list(scope=request.focal_scope, filters={}).filter(pk__in=ids)[
            : services.NUDGE_BATCH_MAX + 1
        ]
    )
    if len(complaints) != len(set(ids)):
        raise Http404
    form = focal_forms.NudgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.nudge_send(
                actor=request.user, complaint_ids=ids, message=form.cleaned_data["message"]
            )
        except NotFound as exc:
            raise Http404 from exc
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Done: the nudge is sent for %(n)s complaint and recorded on its timeline.",
                    "Done: the nudge is sent for %(n)s complaints and recorded on each timeline.",
                    len(sent),
                )
                % {"n": len(sent)},
            )
            return redirect(back)
    return render(
        request,
        "focal_points/nudge.html",
        {"form": form, "complaints": complaints, "back": back},
    )


@require_GET
@focal_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    """Every escalation awaiting the actor's acknowledgement, oldest first, 50 a page."""
    paginator = Paginator(selectors.escalations_awaiting_qs(scope=request.focal_scope), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "focal_points/escalation_list.html",
        {"page": page, "escalations": list(page.object_list), "total": paginator.count},
    )


@require_POST
@focal_required
def escalation_ack(request: HttpRequest, pk: int) -> HttpResponse:
    back = _safe_next(request, reverse("focal:board"))
    try:
        escalation_acknowledge(escalation_id=pk, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: the escalation is acknowledged."))
    return redirect(back)


# ---------------------------------------------------------------------------------------------
# Corrective actions


@require_GET
@staff_required
def corrective_action_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or "open"
    if state not in ("open", "overdue", "closed", "all"):
        state = "open"
    now = timezone.now()
    qs = selectors.corrective_action_list(
        actor=request.user,
        filters={"state": state, "agency": _int(request.GET.get("agency"))},
        now=now,
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "focal_points/corrective_action_list.html",
        {
            "page": page,
            "actions": page.object_list,
            "state": state,
            "now": now,
            "can_issue": not request.focal_scope.is_empty,
        },
    )


@require_http_methods(["GET", "POST"])
@focal_required
def corrective_action_new(request: HttpRequest) -> HttpResponse:
    complaint = None
    complaint_id = _int(request.POST.get("complaint") or request.GET.get("complaint"))
    if complaint_id:
        try:
            complaint = complaint_get_for_actor(complaint_id=complaint_id, actor=request.user)
        except NotFound as exc:
            raise Http404 from exc
    agencies = None if complaint else request.focal_scope.agencies
    today = timezone.localdate()
    form = focal_forms.CorrectiveActionForm(
        request.POST if request.method == "POST" else None, agencies=agencies, today=today
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = complaint.agency if complaint else Agency.objects.get(pk=data["agency"])
        calendar = WorkingCalendar.for_agency(agency)
        due_at = calendar.end_of_day(data["due_on"]) if data.get("due_on") else None
        if data.get("due_on") and not calendar.is_working_day(data["due_on"]):
            # A deadline ends a working day (DESIGN §4): a Saturday or a holiday is refused,
            # not moved, so that the issuer picks the day.
            form.add_error(
                "due_on",
                _("The due date must be a working day at %(agency)s: %(date)s is not one")
                % {"agency": agency.name, "date": date_format(data["due_on"], "j F Y")},
            )
        else:
            try:
                action = services.corrective_action_issue(
                    actor=request.user,
                    title=data["title"],
                    required_change=data["required_change"],
                    agency=None if complaint else agency,
                    complaint_id=complaint.pk if complaint else None,
                    due_at=due_at,
                )
            except NotFound as exc:
                raise Http404 from exc
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Done: the corrective action is issued."))
                return redirect("focal:corrective_action_detail", pk=action.pk)
    default_due = None
    if complaint or len(request.focal_scope.agencies) == 1:
        agency = complaint.agency if complaint else request.focal_scope.agencies[0]
        default_due = WorkingCalendar.for_agency(agency).add_working_days(
            timezone.now(), services.CORRECTIVE_ACTION_DEFAULT_DAYS
        )
    return render(
        request,
        "focal_points/corrective_action_form.html",
        {"form": form, "complaint": complaint, "default_due": default_due},
    )


def _action_or_404(request: HttpRequest, pk: int):
    try:
        return selectors.corrective_action_get(actor=request.user, action_id=pk)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@staff_required
def corrective_action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    return _render_action(request, action)


def _render_action(request, action, progress_form=None, close_form=None, status=200):

    user = request.user
    roles = actor_roles_for(actor=user, scope_path=action.agency.path)
    can_report = action.is_open and (
        actor_is_national_admin(user) or bool(roles & services.AGENCY_ROLES)
    )
    can_close = action.is_open and action.issuer_id == user.pk
    return render(
        request,
        "focal_points/corrective_action_detail.html",
        {
            "action": action,
            "updates": list(action.updates.all()),
            "events": list(action.events.all()),
            "progress_form": progress_form or focal_forms.ProgressForm(),
            "close_form": close_form or focal_forms.CloseForm(initial={"version": action.version}),
            "can_report": can_report,
            "can_close": can_close,
            "now": timezone.now(),
        },
        status=status,
    )


@require_POST
@staff_required
def corrective_action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    form = focal_forms.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.corrective_action_report_progress(
                actor=request.user,
                action_id=action.pk,
                body=form.cleaned_data["body"],
                evidence=form.cleaned_data["evidence"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            form.add_error("evidence" if form.cleaned_data["evidence"] else "body", exc.message)
        else:
            messages.success(request, _("Done: the progress is reported."))
            return redirect("focal:corrective_action_detail", pk=action.pk)
    return _render_action(request, action, progress_form=form, status=400)


@require_POST
@staff_required
def corrective_action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    form = focal_forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.corrective_action_close(
                actor=request.user,
                action_id=action.pk,
                accepted=form.cleaned_data["outcome"] == "accepted",
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except StaleState as exc:
            action = _action_or_404(request, pk)
            form = focal_forms.CloseForm(initial={"version": action.version, **form.cleaned_data})
            messages.error(request, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Done: the corrective action is closed."))
            return redirect("focal:corrective_action_detail", pk=action.pk)
    return _render_action(request, action, close_form=form, status=400)


@require_GET
@staff_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is served only here, after the same visibility check as its corrective
    action, always as a download."""
    try:
        item = CorrectiveActionEvidence.objects.select_related("update").get(pk=pk)
    except CorrectiveActionEvidence.DoesNotExist as exc:
        raise Http404 from exc
    _action_or_404(request, item.update.action_id)
    return download_response(item.file, name=item.original_name, content_type=item.content_type)


# ---------------------------------------------------------------------------------------------
# Scorecards


def _scorecard_for(request: HttpRequest):
    scope = request.focal_scope
    form = focal_forms.PeriodForm(request.GET or None)
    # An invalid period shows its errors (values kept) over this month's figures.
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    period = Period.resolve(
        data.get("period"),
        today=timezone.localdate(),
        start=data.get("start"),
        end=data.get("end"),
    )
    agency_id = _int(request.GET.get("agency"))
    if agency_id is not None and not scope.covers_agency(agency_id):
        raise Http404
    card = scorecard(scope=scope, period=period, agency_id=agency_id, sort=request.GET.get("sort"))
    if not form.is_bound:
        form = focal_forms.PeriodForm(initial={"period": period.key})
    return form, card, agency_id


@require_GET
@focal_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """reporting's dashboard over what the focal point or coordinator oversees (the
    agencies of their designations or coordination groups, and units overseen alone)."""
    return render_dashboard(
        request,
        scope_paths=_statistics_paths(request.focal_scope),
        base_template="focal_points/base.html",
        nav="statistics",
        export_url=reverse("focal:statistics_export"),
    )


@require_POST
@focal_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    """The complaint list behind the statistics page as a file: the page's own scope (the
    coordination groups' agencies, not every membership the user holds)."""
    return start_export(request, scope_paths=_statistics_paths(request.focal_scope))


def _statistics_paths(scope: selectors.FocalScope) -> tuple[str, ...] | None:
    """The agency paths the statistics page and its export cover; None is everything."""
    if scope.is_admin:
        return None
    return tuple(sorted({a.path for a in scope.agencies} | set(scope.unit_paths)))


@require_GET
@focal_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    form, card, agency_id = _scorecard_for(request)
    return render(
        request,
        "focal_points/scorecard.html",
        {"form": form, "card": card, "sort": card.sort, "agency_id": agency_id},
    )


# The CSV's columns: key and header, in the page's words (the first column is "Agency" or
# "Unit", as on the page; set when written). Headers are translated when written; the
# working-day thresholds come from the SLA policy, as on the page (card.thresholds).
CSV_COLUMNS = [
    ("name", gettext_lazy("Agency")),
    ("received", gettext_lazy("Received")),
    ("verified_within_pct", gettext_lazy("Verified within %(verify)s working days (%%)")),
    (
        "responded_within_pct",
        gettext_lazy("First response within %(response)s working days (%%)"),
    ),
    ("resolved_within_pct", gettext_lazy("Resolved within tier (%%)")),
    ("verify_median", gettext_lazy("Days to verify, median")),
    ("verify_p90", gettext_lazy("Days to verify, p90")),
    ("response_median", gettext_lazy("Days to first response, median")),
    ("response_p90", gettext_lazy("Days to first response, p90")),
    ("close_median", gettext_lazy("Days to close, median")),
    ("close_p90", gettext_lazy("Days to close, p90")),
    ("reopen_pct", gettext_lazy("Reopened (%%)")),
    ("mean_rating", gettext_lazy("Mean rating")),
    ("overdue_now", gettext_lazy("Overdue now")),
    ("nudges", gettext_lazy("Nudges")),
    ("ca_open", gettext_lazy("Corrective actions open")),
    ("ca_overdue", gettext_lazy("Corrective actions overdue")),
]


def _csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would run as a formula, so
    such cells get a leading apostrophe (empty cells stay empty)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@require_GET
@focal_required
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    form, card, _agency_id = _scorecard_for(request)
    if form.errors:
        # The page shows what to correct; a file would silently be for another period.
        return redirect(reverse("focal:scorecard") + "?" + request.GET.urlencode())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kartu-kinerja-{card.period.start}-{card.period.end}.csv"'
    )
    writer = csv.writer(response)
    first = _("Unit") if card.by_unit else _("Agency")
    writer.writerow([first] + [str(label) % card.thresholds for _key, label in CSV_COLUMNS[1:]])
    for row in [*card.rows, card.total]:
        if row.is_total:
            name = _("All")
        elif card.by_unit and row.unit is None:
            name = _("Agency level (not yet routed)")
        else:
            name = row.name or (card.agency.name if card.agency else "")
        values = [name] + [row.value(key) for key, _label in CSV_COLUMNS[1:]]
        writer.writerow([_csv_cell(v) for v in values])
    return response


# ---------------------------------------------------------------------------------------------
# Directory


@require_GET
@staff_required
def directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (actor_is_national_admin(user) or user.memberships.exists()):
        raise PermissionDenied
    editable = selectors.directory_editable_agency_ids(actor=user)
    entries = list(selectors.directory_entries(include_inactive=editable is None))
    groups: list[dict] = []
    for entry in entries:
        entry.can_edit = editable is None or entry.agency_id in editable
        if not groups or groups[-1]["agency"].pk != entry.agency_id:
            groups.append({"agency": entry.agency, "entries": []})
        groups[-1]["entries"].append(entry)
    return render(
        request,
        "focal_points/directory.html",
        {"groups": groups, "can_add": editable is None or bool(editable)},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def directory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.directory_entries(include_inactive=True).filter(pk=pk).first()
    if entry is None or not services.directory_entry_can_edit(
        actor=request.user, agency=entry.agency
    ):
        raise Http404
    form = focal_forms.DirectoryEntryForm(
        request.POST if request.method == "POST" else None,
        initial={
            "position": entry.position,
            "phone": entry.phone,
            "email": entry.email,
            "is_active": entry.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_entry_update(
                actor=request.user, focal_point_id=entry.pk, **form.cleaned_data
            )
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Done: the directory entry is saved."))
            return redirect("focal:directory")
    return render(request, "focal_points/directory_edit.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@staff_required
def directory_add(request: HttpRequest) -> HttpResponse:
    editable = selectors.directory_editable_agency_ids(actor=request.user)
    agencies_qs = Agency.objects.filter(is_active=True).order_by("path")
    if editable is not None:
        if not editable:
            raise PermissionDenied
        agencies_qs = agencies_qs.filter(pk__in=editable)
    agencies = list(agencies_qs)
    form = focal_forms.DirectoryAddForm(
        request.POST if request.method == "POST" else None, agencies=agencies
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.pk == data["agency"])
        try:
            services.directory_entry_add(
                actor=request.user,
                agency=agency,
                email=data["user_email"],
                position=data["position"],
                phone=data["phone"],
                contact_email=data["email"],
            )
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Done: the focal point is added to the directory."))
            return redirect("focal:directory")
    return render(request, "focal_points/directory_add.html", {"form": form})
