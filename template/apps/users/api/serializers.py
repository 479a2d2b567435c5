from apps.core.api.serializers import ModelSerializer
from apps.users.models import User


class UserSerializer(ModelSerializer[User]):
    """The signed-in user's own profile. The email is the login, so it is not editable here."""

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "full_name", "created_at"]
        read_only_fields = ["id", "email", "full_name", "created_at"]


class UserSummarySerializer(ModelSerializer[User]):
    """Another user as others see them: no private fields."""

    class Meta:
        model = User
        fields = ["id", "email", "full_name"]
        read_only_fields = fields
