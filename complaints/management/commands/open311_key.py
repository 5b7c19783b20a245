"""Open311 client keys: `create <client name>` prints a new key once; `list`; `revoke <prefix>`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from common.exceptions import ApplicationError
from complaints.models import Open311Client
from complaints.services.intake import open311_client_create, open311_client_revoke


class Command(BaseCommand):
    help = "Create, list or revoke the api_keys of Open311 clients."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a key for a client and print it once.")
        create.add_argument("name", nargs="+")
        sub.add_parser("list", help="The clients and their key prefixes.")
        revoke = sub.add_parser("revoke", help="Stop a key from filing.")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            try:
                client, key = open311_client_create(name=" ".join(options["name"]))
            except ApplicationError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"Open311 client: {client.name}")
            self.stdout.write(f"api_key: {key}")
            self.stdout.write("Keep it now: it is not stored and cannot be shown again.")
        elif action == "list":
            for client in Open311Client.objects.order_by("name"):
                state = "active" if client.is_active else "revoked"
                self.stdout.write(f"{client.key_prefix}  {state:7}  {client.name}")
        else:
            if not open311_client_revoke(key_prefix=options["prefix"]):
                raise CommandError(f"No active client with the key prefix {options['prefix']}")
            self.stdout.write(f"Revoked {options['prefix']}")
