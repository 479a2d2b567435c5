"""The request type of API views that only signed-in users reach."""

from rest_framework.request import Request

from apps.users.models import User


class AuthenticatedRequest(Request):
    """A request whose user is signed in: annotate `request` with it in such views.

    A type for the checker only: DRF builds plain Requests, and what makes the annotation true
    is the view's permission classes, which turn anonymous requests away before any handler
    or queryset runs (IsAuthenticated is every view's default).
    """

    user: User
