"""Django's password validators with messages written the way UX.md asks (say what to do,
in the label's words). The checks themselves are Django's."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def validate(self, password, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self) -> str:
        return ngettext(
            "The password must be %(n)s character or more",
            "The password must be %(n)s characters or more",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return self.get_error_message()


class _PlainMessage:
    """Django's check, our message: the first base class validates, `message` is what the
    person reads."""

    message = ""

    def validate(self, password, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(self.get_error_message(), code=exc.code) from exc

    def get_error_message(self) -> str:
        return str(self.message)


class CommonPasswordValidator(_PlainMessage, django_validation.CommonPasswordValidator):
    message = _("Choose a password that is not easy to guess")


class NumericPasswordValidator(_PlainMessage, django_validation.NumericPasswordValidator):
    message = _("The password must contain letters or symbols, not only numbers")


class UserAttributeSimilarityValidator(
    _PlainMessage, django_validation.UserAttributeSimilarityValidator
):
    message = _("Choose a password that is not like your name or email address")
