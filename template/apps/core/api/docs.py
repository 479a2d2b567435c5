"""Who may read the API's schema (/api/schema/) and Swagger UI (/api/docs/): settings.API_DOCS."""

from django.conf import settings
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class APIDocsAccess(BasePermission):
    """API_DOCS "public": anyone. "staff": signed-in staff, with a session (sign in to the
    admin first) or a JWT. "off", or any other value: nobody, and the pages answer 404."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if settings.API_DOCS == "public":
            return True
        if settings.API_DOCS == "staff":
            return bool(request.user and request.user.is_staff)
        raise NotFound()
