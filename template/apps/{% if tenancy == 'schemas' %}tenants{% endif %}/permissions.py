"""DRF permission: the user belongs to the organization the request's host name selected."""

from typing import Any, cast

from django.db import connection
from django_tenants.utils import get_public_schema_name
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from apps.users.models import User

from .models import Membership


class IsTenantMember(BasePermission):
    """404 for anyone who is not a member, as if the organization's data did not exist.

    Put it after IsAuthenticated: permissions run in order, and anonymous stays a 401.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        tenant = connection.tenant  # type: ignore[attr-defined]  # set by django-tenants
        if tenant.schema_name == get_public_schema_name():
            raise NotFound("No such organization.")
        user = cast(User, request.user)
        # Authentication turned inactive users away already; checked again without a join.
        if (
            not user.is_active
            or not Membership.objects.filter(client_id=tenant.pk, user=user).exists()
        ):
            raise NotFound("No such organization.")
        return True
