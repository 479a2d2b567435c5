"""DRF permission that selects the request's organization from the X-Tenant header."""

from typing import Any

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

    def has_permission(self, request: Request, view: Any) -> bool:
        slug = request.headers.get(TENANT_HEADER, "").strip()
        if not slug:
            raise TenantRequired
        tenant = selectors.tenant_for_member(request.user, slug)  # type: ignore[arg-type]
        if tenant is None:
            raise NotFound("No such organization.")
        activate(tenant)  # reset by TenantContextMiddleware when the request ends
        return True
