"""Make an API token for a user or a machine account from the shell (the token is printed
once), e.g. for an agency system: `manage.py api_token sistem@bpom.example "SIMPEL" --days 365
--machine`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.tokens import DEFAULT_LIFETIME_DAYS, api_token_create
from common.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Make an API token (printed once) for the user with this email address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("name")
        parser.add_argument("--days", type=int, default=DEFAULT_LIFETIME_DAYS)
        parser.add_argument(
            "--machine",
            action="store_true",
            help="Create the user as a machine account (no password) when it does not exist.",
        )

    def handle(self, *args, email: str, name: str, days: int, machine: bool, **options) -> None:
        user = User.objects.filter(email=email.lower()).first()
        if user is None and machine:
            user = User.objects.create_user(email=email, is_machine=True)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        try:
            _token, plain = api_token_create(user=user, name=name, days=days)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(plain)
