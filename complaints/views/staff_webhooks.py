"""Webhook subscriptions of an agency's systems, managed by its focal point (staff pages)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from complaints.access import actor_is_national_admin, memberships_of
from complaints.models import Agency, Role, WebhookEvent, WebhookSubscription
from complaints.selectors.connectors import (
    webhook_deliveries,
    webhook_subscriptions_for_agency,
)
from complaints.services.connectors import (
    webhook_subscription_create,
    webhook_subscription_set_state,
)
from complaints.views.staff_common import staff_required

DELIVERY_LOG_LENGTH = 50


def _agencies(actor) -> list[Agency]:
    """The agencies whose webhooks the actor manages: where they are the focal point, or every
    top-level agency for a national administrator."""
    if actor_is_national_admin(actor):
        return list(Agency.objects.filter(parent__isnull=True, is_active=True).order_by("name"))
    return sorted(
        {m.agency for m in memberships_of(actor) if m.role == Role.FOCAL_POINT},
        key=lambda a: a.name,
    )


class SubscriptionForm(forms.Form):
    agency = forms.TypedChoiceField(
        label=gettext_lazy("Agency"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the agency")},
    )
    url = forms.URLField(
        label=gettext_lazy("Address of your system (URL)"),
        help_text=gettext_lazy("It receives a signed POST for each event you choose."),
        error_messages={
            "required": gettext_lazy("Enter the address of your system"),
            "invalid": gettext_lazy("Enter an address that starts with https://"),
        },
        assume_scheme="https",
        # A text input (inputmode url): the house style has no styling for type="url".
        widget=forms.TextInput(
            attrs={"inputmode": "url", "spellcheck": "false", "autocomplete": "url"}
        ),
    )
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=200)
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event")},
    )

    def __init__(self, *args, agencies: list[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk


@staff_required
def webhooks(request: HttpRequest) -> HttpResponse:
    agencies = _agencies(request.user)
    if not agencies:
        raise Http404
    form = SubscriptionForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = webhook_subscription_create(
                actor=request.user,
                agency_id=form.cleaned_data["agency"],
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            form.add_error("url", str(exc.message))
        else:
            messages.success(request, _("Done: the webhook is added."))
            return redirect("staff:webhook", pk=subscription.pk)
    subscriptions = webhook_subscriptions_for_agency(agency_ids=[a.pk for a in agencies])
    return render(
        request,
        "complaints/staff/webhooks.html",
        {"nav": "webhooks", "form": form, "subscriptions": subscriptions},
        status=400 if form.errors else 200,
    )


def _subscription_or_404(request: HttpRequest, pk: int) -> WebhookSubscription:
    agencies = _agencies(request.user)
    subscription = (
        webhook_subscriptions_for_agency(agency_ids=[a.pk for a in agencies]).filter(pk=pk).first()
    )
    if subscription is None:
        raise Http404
    return subscription


@staff_required
def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_or_404(request, pk)
    deliveries = webhook_deliveries(subscription_id=subscription.pk, limit=DELIVERY_LOG_LENGTH)
    labels = dict(WebhookEvent.choices)
    return render(
        request,
        "complaints/staff/webhook.html",
        {
            "nav": "webhooks",
            "subscription": subscription,
            "events": [labels.get(e, e) for e in subscription.event_types],
            "deliveries": deliveries,
        },
    )


@staff_required
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm before deleting (MOJ confirm an action): the log goes with it."""
    subscription = _subscription_or_404(request, pk)
    return render(
        request,
        "complaints/staff/webhook_delete.html",
        {"nav": "webhooks", "subscription": subscription},
    )


@require_POST
@staff_required
def webhook_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    subscription = _subscription_or_404(request, pk)
    if action not in ("pause", "resume", "delete"):
        raise Http404
    webhook_subscription_set_state(
        actor=request.user, subscription_id=subscription.pk, state=action
    )
    done = {
        "pause": _("Done: the webhook is paused."),
        "resume": _("Done: the webhook is resumed."),
        "delete": _("Done: the webhook is deleted."),
    }
    messages.success(request, done[action])
    if action == "delete":
        return redirect("staff:webhooks")
    return redirect("staff:webhook", pk=subscription.pk)
