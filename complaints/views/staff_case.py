"""The staff case page: the case read model (selectors.case) with the actions on offer as
forms, each action one service call; irreversible ones ask for confirmation first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.downloads import download_response
from common.exceptions import ApplicationError, NotAllowed, NotFound, StaleState
from complaints import actions, services
from complaints.models import (
    Attachment,
    Complaint,
    Escalation,
    Response,
    Status,
)
from complaints.policy import clock_zone
from complaints.selectors import reference
from complaints.selectors.case import case_read
from complaints.selectors.queue import queue_neighbours
from complaints.selectors.scope import (
    complaint_get_by_tracking_number_for_actor,
)
from complaints.views import forms_staff as f
from complaints.views.staff_common import (
    TZ_LABELS,
    case_get_or_404,
    get_or_404,
    staff_required,
)


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
            "return_to_agency",
            gettext_lazy("Return to the agency (not this unit's)"),
            f.ReturnToAgencyForm,
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
            "request_data",
            gettext_lazy("Ask the reporter for data"),
            f.RequestDataForm,
        ),
        Action(
            "draft",
            gettext_lazy("Draft an answer"),
            f.DraftForm,
            (Status.IN_PROGRESS,),
        ),
        Action(
            "approve_publish",
            gettext_lazy("Approve and publish"),
            f.ResponseForm,
            simple=True,
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
    """Choices of an action's form, loaded only for actions on offer (selectors.reference:
    the same lists for every complaint of the agency)."""
    if name in ("verify", "category"):
        cats = reference.agency_categories(c.agency_id) if c.agency_id else []
        if name == "category":
            return {"categories": cats, "current": c.category_id}
        return {"categories": cats}
    if name == "route":
        if not c.agency:
            return {"units": [], "officers": []}
        return {
            "units": reference.units_below(c.agency),
            "officers": reference.officers_below((c.agency.path,)),
        }
    if name == "forward":
        agencies = [a for a in reference.top_agencies() if a.pk != c.agency_id]
        return {"agencies": agencies, "triage": c.agency_id is not None}
    if name == "archive":
        return {"verified": c.verified_at is not None}
    if name == "assign":
        return {"officers": reference.officers_covering(c.scope_path)}
    if name == "draft":
        return {"canned": reference.canned_responses(c.agency_id) if c.agency_id else []}
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
    elif name in ("approve_publish", "approve", "publish", "return") and draft is not None:
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


# Shown as buttons on every page: no fields to fill, nothing to preview.
ALWAYS_SHOWN = frozenset({"take", "resolve"})


def _case_context(
    request: HttpRequest,
    c: Complaint,
    *,
    bound: tuple[str, Any] | None = None,
    error: str = "",
) -> dict[str, Any]:
    """The case page: the complaint first, then the actions the viewer may take. The next
    step's form is drawn in full and the field-less buttons too; every other action is a link
    that opens its form on demand (`?open=<action>`), drawn by the same page. A form sent
    with errors comes back open."""
    actor = request.user
    view = case_read(complaint=c, actor=actor)
    offered, draft = view.offered, view.draft
    # A draft waiting for this approver (or ready to publish) is the next step of the case.
    primary = next((n for n in ("approve_publish", "approve", "publish") if n in offered), None)
    if primary is None:
        primary = next((n for n in offered if c.status in ACTIONS[n].primary_for), None)
    opened = request.GET.get("open", "") if request.method == "GET" else ""
    items = []
    for name in offered:
        is_bound = bool(bound and bound[0] == name)
        shown = is_bound or name in (primary, opened) or name in ALWAYS_SHOWN
        if is_bound:
            form = bound[1]
        elif shown:
            form = _action_form(name, c, actor, initial=_initial(name, c, draft))
        else:
            form = None
        items.append(
            {
                "action": ACTIONS[name],
                "form": form,
                "primary": name == primary,
                "bound": is_bound,
                # Listed under "more actions": a link, or its form once opened.
                "more": name != primary and name not in ALWAYS_SHOWN,
                "opened": shown and name not in ALWAYS_SHOWN and name != primary,
            }
        )
    return {
        "c": c,
        "status_label": f.staff_status_label(c.status),
        "tz": clock_zone(c),
        "tz_label": TZ_LABELS.get(clock_zone(c), "WIB"),
        "deadline": view.deadline,
        "clocks": view.clocks,
        "timeline": view.timeline,
        "responses": view.responses,
        "draft": draft,
        "attachments": view.attachments,
        "related": view.related,
        "escalations": view.escalations,
        "action_items": items,
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
    c = case_get_or_404(request.user, pk)
    return render(request, "complaints/staff/case.html", _case_context(request, c))


@require_GET
@staff_required
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """ "Next / previous complaint in my queue", worked out when asked for (two queries of ids
    that the case page itself does not pay): the complaint after (or before) this one in the
    viewer's own queue, or the queue itself with a message when there is none."""
    c = get_or_404(request.user, pk)
    previous_case, next_case = queue_neighbours(actor=request.user, complaint_id=c.pk)
    target = next_case if step == "next" else previous_case
    if target is None:
        if step == "next":
            messages.info(request, _("There is no next complaint in your queue."))
        else:
            messages.info(request, _("There is no previous complaint in your queue."))
        return redirect("staff:queue")
    return redirect("staff:case", target)


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
    if name == "request_data":
        services.complaint_request_data(
            complaint_id=c.pk, actor=actor, message=d["message"], expected_version=version
        )
        return _("Done: the reporter is asked for the data. The deadlines keep running.")
    if name == "return_to_agency":
        services.complaint_return_to_agency(
            complaint_id=c.pk, actor=actor, reason=d["reason"], expected_version=version
        )
        return _("Done: the complaint is back with the agency's verifiers.")
    if name == "forward":
        services.complaint_forward(
            complaint_id=c.pk,
            actor=actor,
            agency=d["agency"],
            reason=d["reason"],
            expected_version=version,
        )
        if d["agency"] is None:
            return _("Done: the complaint is with the national triage desk.")
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
        if actions.needs_approval(c):
            return _("Done: the draft answer is saved. It now waits for an approver's approval.")
        return _("Done: the draft answer is saved. Publish it when it is ready.")
    if name == "approve":
        _check_response(c, d["response"])
        services.response_approve(
            response_id=d["response"],
            actor=actor,
            expected_response_version=d.get("response_version"),
        )
        return _("Done: the draft is approved.")
    if name == "approve_publish":
        _check_response(c, d["response"])
        services.response_approve_publish(
            response_id=d["response"],
            actor=actor,
            expected_version=version,
            expected_response_version=d.get("response_version"),
        )
        return _("Done: the draft is approved and published to the reporter.")
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
    c = get_or_404(actor, pk)
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
        c = get_or_404(actor, pk)
        data = request.POST.copy()
        data["version"] = str(c.version)
        if action in ("draft", "approve_publish", "approve", "publish", "return"):
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
        c = get_or_404(actor, pk)
        return _case_page(
            request,
            _case_context(request, c, bound=(action, form), error=str(exc.message)),
            status=400,
        )
    messages.success(request, message)
    try:
        return redirect("staff:case", pk=get_or_404(actor, pk).pk)
    except Http404:
        # Forwarded away without history access, or merged: back to the queue.
        return redirect("staff:queue")


@require_POST
@staff_required
def escalation_ack(request: HttpRequest, pk: int, escalation_pk: int) -> HttpResponse:
    """ "Konfirmasi eskalasi" for the verifiers, approvers and officers a ladder step is addressed
    to (the focal-point steps are acknowledged on the focal board as well)."""
    actor = request.user
    c = get_or_404(actor, pk)
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
        c = get_or_404(actor, pk)
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
    get_or_404(request.user, attachment.complaint_id)
    return download_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
