"""Read-side queries of organizations and their members."""

from django.db.models import QuerySet

from apps.users.models import User

from .context import require_current_tenant
from .models import Invitation, Membership, Tenant


def tenants_of(user: User) -> QuerySet[Tenant]:
    return Tenant.objects.filter(memberships__user=user)


def membership(user: User, slug: str) -> Membership | None:
    """`user`'s membership of the organization named `slug`; None if either does not exist."""
    return Membership.objects.select_related("tenant").filter(user=user, tenant__slug=slug).first()


def tenant_for_member(user: User, slug: str) -> Tenant | None:
    """The organization named `slug` if `user` belongs to it, else None.

    Runs on every API request: one indexed join, no ordering, no user row (authentication has
    already turned inactive users away; checked again here without a query).
    """
    if not user.is_active:
        return None
    found = Tenant.objects.filter(slug=slug, memberships__user=user).order_by()[:1]
    return next(iter(found), None)


def members_of(tenant: Tenant) -> QuerySet[Membership]:
    return tenant.memberships.select_related("user").order_by("user__email")


def open_invitations(tenant: Tenant) -> QuerySet[Invitation]:
    return tenant.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def current_members() -> QuerySet[User]:
    """The members of the current organization (the request's)."""
    return User.objects.filter(memberships__tenant=require_current_tenant())
