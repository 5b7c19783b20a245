"""The "API tokens" page of the staff workspace: make a token (shown once), see the tokens with
their last use, revoke one. Agency systems use a machine account's token, made in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import user_is_staff_member
from accounts.tokens import (
    DEFAULT_LIFETIME_DAYS,
    LIFETIME_CHOICES,
    api_token_create,
    api_token_revoke,
    api_tokens_of,
)
from common.exceptions import ApplicationError, NotFound
from common.forms import AccessibleFormMixin


class TokenForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("Say what uses it, for example: call-centre system."),
        error_messages={
            "required": gettext_lazy("Enter a name for the token"),
            "max_length": gettext_lazy("The name must be 100 characters or fewer"),
        },
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        initial=DEFAULT_LIFETIME_DAYS,
        choices=[(d, gettext_lazy("%(n)s days") % {"n": d}) for d in LIFETIME_CHOICES],
        error_messages={"invalid_choice": gettext_lazy("Choose how long the token is valid")},
    )


def _staff_only(request: HttpRequest) -> None:
    # The workspace does not advertise itself: anyone else gets a 404 (staff_required).
    if not user_is_staff_member(user=request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plain = api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            # Shown on this answer only: it is not stored, so no reload can show it again.
            created = {"token": token, "plain": plain}
            form = TokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": list(api_tokens_of(user=request.user)),
            "nav": "api_tokens",
            "show_workspace": False,
        },
        status=400 if form.errors else 200,
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    try:
        token = api_token_revoke(token_id=pk, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Done: the token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
