"""Organizations (tenants), who belongs to them, and the base of every tenant-owned model.

Shared-schema tenancy: every tenant-owned row carries a `tenant` key, and the default
manager of those models (`objects`) only ever shows the current tenant's rows.
"""

import datetime
import hashlib
import secrets
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from apps.core.models import BaseModel

from .context import get_current_tenant, require_current_tenant
from .managers import AllTenantsManager, TenantScopedManager

INVITATION_LIFETIME = datetime.timedelta(days=7)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


#: Roles that may manage an organization's members and invitations.
MANAGER_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Tenant(BaseModel):
    """An organization. Its slug names it in URLs (/t/<slug>/) and the X-Tenant header."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=63, unique=True)
    members: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="tenants"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # "Acme" and "acme" would name two organizations that people cannot tell apart.
            models.UniqueConstraint(
                Lower("slug"),
                name="tenants_tenant_slug_ci_unique",
                violation_error_code="duplicate_slug",
                violation_error_message="An organization already has this slug.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        # The case-insensitive constraint above covers the slug (with its own message).
        super().validate_unique(exclude={*(exclude or ()), "slug"})

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # Django reports a constraint on an expression for the whole object; attach it to
            # `slug`, the field a person can change to fix it.
            errors = exc.update_error_dict({})
            for error in errors.pop(NON_FIELD_ERRORS, []):
                target = "slug" if error.code == "duplicate_slug" else NON_FIELD_ERRORS
                errors.setdefault(target, []).append(error)
            raise ValidationError(errors) from exc


class Membership(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)

    class Meta:
        ordering = ["tenant", "user"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="tenants_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.tenant} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES

    def may_manage(self, other: "Membership") -> bool:
        """Whether this member may change the role of, or remove, `other`: owners and admins
        manage the others, and only owners manage owners."""
        return (
            self.can_manage
            and other.user_id != self.user_id
            and (self.role == Role.OWNER or other.role != Role.OWNER)
        )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(BaseModel):
    """An invitation by email. Only the token's hash is stored; the email carries the token."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organization; a new one replaces it.
            models.UniqueConstraint(
                "tenant",
                Lower("email"),
                name="tenants_invitation_open_unique",
                condition=models.Q(accepted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.tenant}"

    @classmethod
    def issue(cls, **fields: Any) -> tuple["Invitation", str]:
        """A new, unsaved invitation and its token (shown once, never stored)."""
        token = _new_token()
        invitation = cls(
            token_hash=hash_token(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
            **fields,
        )
        return invitation, token

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class CrossTenantWrite(RuntimeError):
    """A tenant-owned row was saved while another tenant is selected."""


class TenantOwnedModel(models.Model):
    """A row that belongs to one organization.

    `objects` is scoped to the current tenant; `all_tenants` is not, for the admin,
    validation and cross-tenant jobs. A new row takes the organization of its parent (the
    row its first foreign key to a tenant-owned model points at, say a task's project) or
    else the current one; saving a
    row of another organization while one is selected is refused, so no code path writes
    across organizations.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")

    # First, so it is Django's default manager (`_default_manager`): the admin, validation
    # and schema tools must see rows whatever the current organization.
    all_tenants = AllTenantsManager()
    objects = TenantScopedManager()

    class Meta:
        abstract = True

    tenant_id: Any

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.take_tenant()
        current = get_current_tenant()
        if current is not None and self.tenant_id != current.pk:
            raise CrossTenantWrite(
                f"{type(self).__name__} {self.pk} belongs to another organization."
            )
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Before validation, so that constraints that include the tenant are checked.
        self.take_tenant()
        super().clean_fields(exclude)

    @classmethod
    def tenant_source(cls) -> str | None:
        """The foreign key whose row decides this row's organization: the first one to
        another tenant-owned model, if any."""
        for field in cls._meta.concrete_fields:
            related = field.related_model if field.many_to_one else None
            if isinstance(related, type) and issubclass(related, TenantOwnedModel):
                return field.name
        return None

    def take_tenant(self) -> None:
        """Set the organization of a new row (from its parent's, or the current one)."""
        if self.tenant_id is None:
            source = self.tenant_source()
            # getattr's default: a missing parent (RelatedObjectDoesNotExist) is an AttributeError.
            parent = getattr(self, source, None) if source else None
            self.tenant = parent.tenant if parent is not None else require_current_tenant()
