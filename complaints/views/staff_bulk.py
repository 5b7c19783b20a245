"""Bulk actions on a selection of the queue: each item through the same service as one by one."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError, NotFound
from complaints import actions, services
from complaints.access import (
    actor_is_national_admin,
    actor_scope_paths,
    membership_rows,
)
from complaints.selectors.queue import (
    actor_units,
    officers_over,
)
from complaints.selectors.scope import (
    complaint_list_for_actor,
)
from complaints.views import forms_staff as f
from complaints.views.staff_common import staff_required
from complaints.views.staff_queue import queue_page_response


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
            return queue_page_response(
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
