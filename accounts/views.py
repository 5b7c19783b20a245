"""Sign-in (everyone: citizens and staff), sign-out, sign-up with email verification and
password reset by email. A reporter's own reports are a complaints page (my_complaints)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import (
    NewPasswordForm,
    PasswordResetRequestForm,
    ResendForm,
    SignInForm,
    SignUpForm,
)
from accounts.services import (
    password_reset_user,
    user_is_staff_member,
    user_password_reset,
    user_password_reset_request,
    user_register,
    user_resend_verification,
    user_sign_in,
    user_verify_email,
)
from common import ratelimit

STAFF_HOME = "/staf/"


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _language() -> str:
    return (translation.get_language() or "id")[:2]


def _clock_time(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H.%M} WIB"


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """/akun/, the account's start page: a reporter's own reports, or the staff workspace for
    staff (as after signing in). Visitors who are not signed in are asked to sign in first."""
    if user_is_staff_member(user=request.user):
        return redirect(STAFF_HOME)
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    unverified_email = ""
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            client = ratelimit.client_key(request)
            limit = ratelimit.login_limit()
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None,
                    _(
                        "There have been too many sign-in attempts. Wait 15 minutes, then try "
                        "again."
                    ),
                )
            else:
                result = user_sign_in(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    client=client,
                )
                if result.ok:
                    login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
                    if next_url:
                        return redirect(next_url)
                    if user_is_staff_member(user=result.user):
                        return redirect(STAFF_HOME)
                    return redirect(settings.LOGIN_REDIRECT_URL)
                ratelimit.hit(limit, client)
                if result.locked_until:
                    form.add_error(
                        None,
                        _(
                            "There have been too many failed attempts to sign in with this "
                            "email address. Try again after %(time)s."
                        )
                        % {"time": _clock_time(result.locked_until)},
                    )
                elif result.unverified:
                    unverified_email = result.user.email
                    form.add_error(
                        None,
                        _(
                            "Confirm your email address first: open the link in the email we "
                            "sent you when you created the account."
                        ),
                    )
                else:
                    form.add_error(
                        None,
                        _("The email address or the password does not match an account."),
                    )
    else:
        form = SignInForm()
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url or "", "unverified_email": unverified_email},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("complaints:home")


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            client = ratelimit.client_key(request)
            limit = ratelimit.signup_limit()
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None, _("Too many accounts were created from this connection. Try again later.")
                )
            else:
                ratelimit.hit(limit, client)
                user_register(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                    language=_language(),
                )
                request.session["signup_email"] = form.cleaned_data["email"]
                return redirect("accounts:signup_done")
    else:
        form = SignUpForm()
    return render(request, "accounts/signup.html", {"form": form})


def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")}
    )


def _email_link_form(
    request: HttpRequest,
    form_class,
    *,
    send,
    limit: ratelimit.Limit,
    session_key: str,
    done: str,
    template: str,
) -> HttpResponse:
    """An email address to send a link to (confirmation, password reset): rate-limited per
    client, and the next page is the same whether or not the address has an account. When the
    limit is reached nothing is sent, and the form says so instead of claiming it was."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            client = ratelimit.client_key(request)
            if ratelimit.is_limited(limit, client):
                form.add_error(
                    None,
                    _(
                        "You have asked for many emails in a short time. Wait an hour, then "
                        "try again."
                    ),
                )
            else:
                ratelimit.hit(limit, client)
                send(email=form.cleaned_data["email"], language=_language())
                request.session[session_key] = form.cleaned_data["email"]
                return redirect(done)
    else:
        form = form_class(initial={"email": request.GET.get("email", "")[:254]})
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    return _email_link_form(
        request,
        ResendForm,
        send=user_resend_verification,
        limit=ratelimit.resend_limit(),
        session_key="signup_email",
        done="accounts:signup_done",
        template="accounts/resend.html",
    )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    user = user_verify_email(token=token)
    return render(request, "accounts/verify.html", {"verified": user is not None}, status=200)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password."""
    return _email_link_form(
        request,
        PasswordResetRequestForm,
        send=user_password_reset_request,
        limit=ratelimit.password_reset_limit(),
        session_key="password_reset_email",
        done="accounts:password_reset_sent",
        template="accounts/password_reset.html",
    )


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_reset_sent.html",
        {"email": request.session.get("password_reset_email", "")},
    )


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    user = password_reset_user(uid=uid, token=token)
    if user is None:
        return render(request, "accounts/password_reset_confirm.html", {"valid": False})
    if request.method == "POST":
        form = NewPasswordForm(request.POST, user=user)
        if form.is_valid():
            if user_password_reset(uid=uid, token=token, password=form.cleaned_data["password"]):
                messages.success(request, _("Your password is changed. Sign in with it now."))
                return redirect("accounts:login")
            return render(request, "accounts/password_reset_confirm.html", {"valid": False})
    else:
        form = NewPasswordForm(user=user)
    return render(request, "accounts/password_reset_confirm.html", {"valid": True, "form": form})
