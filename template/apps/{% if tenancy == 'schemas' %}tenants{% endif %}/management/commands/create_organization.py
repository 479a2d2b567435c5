"""Create an organization: its schema (migrated), its domain and its first admin (owner).

    manage.py create_organization acme --name "Acme" --domain acme.example.com \\
        --admin-email boss@acme.example
    manage.py create_organization --public --domain example.com   # once per database

The admin user is created if no user has that email (with the password from
--admin-password or ORGANIZATION_ADMIN_PASSWORD; without one, an unusable password to
reset), and becomes the organization's owner.
"""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from apps.tenants import services
from apps.tenants.models import Client, Domain
from apps.users.models import User


class Command(BaseCommand):
    help = "Create an organization with its schema, domain and first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("schema", nargs="?", help="Schema name: lowercase letters, digits, _")
        parser.add_argument("--name", help="Display name (default: the schema name)")
        parser.add_argument("--domain", required=True, help="Host name that selects it")
        parser.add_argument("--admin-email", help="The first admin (owner)")
        parser.add_argument("--admin-password", help="Default: $ORGANIZATION_ADMIN_PASSWORD")
        parser.add_argument(
            "--public", action="store_true", help="Create the public tenant and its domain"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Organizations are rows of the public schema, whatever schema is current.
        with schema_context(get_public_schema_name()):
            self._create(options)

    def _create(self, options: dict[str, Any]) -> None:
        domain = options["domain"].strip().lower()
        try:
            if options["public"]:
                client = self._public(domain, options["verbosity"])
            else:
                client = self._organization(options, domain)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f'Created "{client.name}" at {domain}.'))

    def _organization(self, options: dict[str, Any], domain: str) -> Client:
        schema = options["schema"]
        if not schema:
            raise CommandError("Name the schema, or pass --public.")
        if not options["admin_email"]:
            raise CommandError("An organization needs its first admin: pass --admin-email.")
        services.check_new_organization(schema_name=schema, domain=domain)
        Client(schema_name=schema, name=options["name"] or schema).full_clean()
        existing = self._existing(options["admin_email"])
        if existing is not None:  # before the (slow) schema is made for nothing
            services.check_organization_limit(existing)
        with transaction.atomic():
            owner = self._admin(options["admin_email"], options["admin_password"])
        return services.create_organization(
            owner=owner,
            name=options["name"] or schema,
            schema_name=schema,
            domain=domain,
            verbosity=options["verbosity"],
        )

    def _public(self, domain: str, verbosity: int) -> Client:
        schema = get_public_schema_name()
        if Client.objects.filter(schema_name=schema).exists():
            raise CommandError(f'An organization with schema "{schema}" already exists.')
        if Domain.objects.filter(domain=domain).exists():
            raise CommandError(f'The domain "{domain}" already belongs to an organization.')
        client = Client(schema_name=schema, name=schema)
        client.full_clean()
        client.save(verbosity=verbosity)
        Domain.objects.create(domain=domain, tenant=client, is_primary=True)
        return client

    def _existing(self, email: str) -> User | None:
        return User.objects.filter(email__iexact=email).first()

    def _admin(self, email: str, password: str | None) -> User:
        user = self._existing(email)
        if user is not None:
            return user
        password = password or os.environ.get("ORGANIZATION_ADMIN_PASSWORD")
        user = User.objects.create_user(email=email, password=password)
        if not password:
            self.stdout.write(f"{email} has no password yet: set one with `changepassword`.")
        return user
