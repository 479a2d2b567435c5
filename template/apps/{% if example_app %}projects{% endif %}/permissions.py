"""Who may do what through the API.

Visibility is the queryset's job (selectors.projects_for / tasks_for): a project or task the
user is not a member of does not exist for them, so they get 404, never 403. These classes
then decide what a member who can see an object may do with it. The services check the same
rules again, so no other entry point can skip them.
"""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from .models import Project
from .scope import API_ACCESS

#: What every endpoint of the example app requires before its own rules.
MEMBER_ACCESS: list[type[BasePermission]] = [IsAuthenticated, *API_ACCESS]


class IsProjectOwnerOrReadOnly(BasePermission):
    """Members may read a project; only its owner may change it or manage its members."""

    message = "Only the project owner can do this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return isinstance(obj, Project) and obj.owner_id == request.user.pk
