"""simplejwt's token serializers (settings.SIMPLE_JWT names these), with what signing in and
refreshing mean for the rest of the project."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.contrib import rest_framework_simplejwt as simplejwt_schema
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.authentication import JWTAuthentication

from apps.core.api.serializers import StrictStringsMixin


class TokenObtainPairSerializer(StrictStringsMixin, serializers.TokenObtainPairSerializer):
    """Issuing a token pair is signing in: it sends user_logged_in as Django's login() does for
    a session, so last_login moves and the account's failed attempts are forgotten (django-axes,
    apps/users/lockout.py)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        data = super().validate(attrs)
        user_logged_in.send(sender=type(self.user), request=self.context["request"], user=self.user)
        return data


class TokenRefreshSerializer(StrictStringsMixin, serializers.TokenRefreshSerializer):
    """Refuses a refresh token on the same terms as an access token: an unknown or inactive
    account, or a password changed since the token was issued (its `hash_password` claim,
    SIMPLE_JWT["CHECK_REVOKE_TOKEN"]). Rotation and blacklisting are simplejwt's own."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        JWTAuthentication().get_user(self.token_class(attrs["refresh"]))
        return super().validate(attrs)


# The API schema documents these as drf-spectacular documents simplejwt's own serializers.


class TokenObtainPairSchema(simplejwt_schema.TokenObtainPairSerializerExtension):
    target_class = "apps.users.api.tokens.TokenObtainPairSerializer"


class TokenRefreshSchema(simplejwt_schema.TokenRefreshSerializerExtension):
    target_class = "apps.users.api.tokens.TokenRefreshSerializer"
