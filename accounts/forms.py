"""Sign-in and sign-up forms (GOV.UK error wording, one field template)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import AccessibleFormMixin


def check_new_password(form: forms.Form, data: dict, user: User) -> None:
    """A chosen password (fields `password` and `password_again`): both the same, and
    accepted by the password validators for this user."""
    password = data.get("password")
    if password and data.get("password_again") and password != data["password_again"]:
        form.add_error("password_again", _("The passwords do not match"))
    elif password:
        try:
            password_validation.validate_password(password, user=user)
        except forms.ValidationError as exc:
            # One message at a time (GOV.UK): the length first, as the hint promises it.
            errors = sorted(exc.error_list, key=lambda e: e.code != "password_too_short")
            form.add_error("password", errors[0])


class SignInForm(AccessibleFormMixin, forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignUpForm(AccessibleFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label=_("Email address"),
        help_text=_("We send a link to this address to confirm it is yours."),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters. Do not use a password you use elsewhere."),
        error_messages={"required": _("Enter a password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        error_messages={"required": _("Enter the password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        name = (self.cleaned_data.get("full_name") or "").strip()
        if len(name) > 150:
            raise forms.ValidationError(
                _("Your name must be %(n)s characters or fewer") % {"n": 150}
            )
        return name

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("Enter an email address in the correct format, like name@example.com")
            ) from exc
        return email

    def clean(self):
        data = super().clean()
        candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
        check_new_password(self, data, candidate)
        return data


class ResendForm(AccessibleFormMixin, forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class PasswordResetRequestForm(ResendForm):
    """The address to send a password-reset link to."""


class NewPasswordForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 8 characters. Do not use a password you use elsewhere."),
        error_messages={"required": _("Enter a new password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        error_messages={"required": _("Enter the new password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        check_new_password(self, data, self.user)
        return data
