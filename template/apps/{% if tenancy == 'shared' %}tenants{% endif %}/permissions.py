"""DRF permission that selects the request's organization from the X-Tenant header."""

from typing import Any

from django.core.validators import slug_re
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from . import selectors
from .context import activate

#: The request header that names the organization an API request works in (its slug).
TENANT_HEADER = "X-Tenant"


class TenantRequired(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = f"Name the organization in the {TENANT_HEADER} header (its slug)."
    default_code = "tenant_required"


class IsTenantMember(BasePermission):
    """The user belongs to the organization the request names, which becomes current.

    An organization that does not exist and one the user does not belong to both answer
    404, so the header cannot be used to discover other organizations. Put it after
    IsAuthenticated: permissions run in order, and an anonymous request must stay a 401.
    """

    # In the schema of every operation that uses this permission (apps/core/api/schema.py).
    openapi_parameters = [
        OpenApiParameter(
            TENANT_HEADER,
            {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
            OpenApiParameter.HEADER,
            required=True,
            description="The slug of the organization the request works in.",
        )
    ]
    client_error_codes = [TenantRequired.default_code]

    def has_permission(self, request: Request, view: Any) -> bool:
        slug = request.headers.get(TENANT_HEADER, "").strip()
        if not slug:
            raise TenantRequired
        # Not a slug: no organization has it (and it never reaches the database).
        tenant = (
            selectors.tenant_for_member(request.user, slug)  # type: ignore[arg-type]
            if slug_re.match(slug)
            else None
        )
        if tenant is None:
            raise NotFound("No such organization.")
        activate(tenant)  # reset by TenantContextMiddleware when the request ends
        return True
