"""Organizations (tenants), their domains, and who belongs to them.

Schema-per-tenant: each Client has its own PostgreSQL schema holding the TENANT_APPS' tables
(settings.base); these models live in the public schema, shared by all.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from apps.core.models import BaseModel


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


#: Roles that may manage an organization's members.
MANAGER_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Client(TenantMixin):
    """An organization: `schema_name` names its schema; creating one creates and migrates it."""

    # Annotated: TenantMixin is untyped, so the django-stubs plugin cannot infer them.
    name: "models.CharField[str, str]" = models.CharField(max_length=200)
    created_at: "models.DateTimeField[datetime, datetime]" = models.DateTimeField(auto_now_add=True)

    # Deleting the row keeps the schema (and its data) until dropped on purpose.
    auto_drop_schema = False

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Domain(DomainMixin):
    """A host name that selects its organization (`acme.example.com`)."""


class Membership(BaseModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)

    class Meta:
        ordering = ["client", "user"]
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="tenants_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.client} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES
