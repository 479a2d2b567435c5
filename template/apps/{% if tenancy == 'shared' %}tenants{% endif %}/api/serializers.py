from typing import Any

from rest_framework import serializers

from apps.core.api.serializers import ModelSerializer, Serializer
from apps.tenants.models import Invitation, Membership, Role, Tenant
from apps.users.api.serializers import UserSummarySerializer


class TenantSerializer(ModelSerializer[Tenant]):
    # Annotated by the view: the requesting user's role in each organization.
    role = serializers.CharField(read_only=True)

    class Meta:
        model = Tenant
        fields = ["id", "name", "slug", "role", "created_at"]
        read_only_fields = ["id", "role", "created_at"]
        # Whether the slug is taken is the service's check (case-insensitive, duplicate_slug).
        extra_kwargs: dict[str, dict[str, Any]] = {"slug": {"validators": []}}


class MembershipSerializer(ModelSerializer[Membership]):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "created_at"]
        read_only_fields = fields


class InvitationSerializer(ModelSerializer[Invitation]):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "expires_at", "created_at"]
        read_only_fields = ["id", "expires_at", "created_at"]


class AcceptInvitationSerializer(Serializer):
    token = serializers.CharField(max_length=200, trim_whitespace=True)
