from rest_framework import generics
from rest_framework.serializers import BaseSerializer

from apps.core.api.requests import AuthenticatedRequest
from apps.users import services
from apps.users.models import User

from .serializers import UserSerializer


class MeView(generics.RetrieveUpdateAPIView[User]):
    """Read (GET) or edit (PATCH) the signed-in user's profile."""

    request: AuthenticatedRequest
    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        # IsAuthenticated (the default permission) has already turned anonymous users away.
        return self.request.user

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        data = serializer.validated_data
        serializer.instance = services.update_profile(
            self.request.user, first_name=data.get("first_name"), last_name=data.get("last_name")
        )
