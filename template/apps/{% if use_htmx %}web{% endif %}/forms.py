from django.contrib.auth.forms import BaseUserCreationForm

from apps.users.models import User


class SignUpForm(BaseUserCreationForm):
    """Email and password (twice), checked by AUTH_PASSWORD_VALIDATORS."""

    class Meta:
        model = User
        fields = ["email"]
