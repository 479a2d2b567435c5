"""Read-side queries of organizations and their members."""

from django.db import connection
from django.db.models import QuerySet

from apps.users.models import User


def current_members() -> QuerySet[User]:
    """The members of the current organization (the one the request's host selected)."""
    tenant = connection.tenant  # type: ignore[attr-defined]  # set by django-tenants
    return User.objects.filter(memberships__client_id=tenant.pk)
