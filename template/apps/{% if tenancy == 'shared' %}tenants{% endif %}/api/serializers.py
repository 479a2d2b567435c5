from typing import Any

from rest_framework import serializers

from apps.tenants.models import Invitation, Membership, Role, Tenant
from apps.users.api.serializers import UserSummarySerializer


class TenantSerializer(serializers.ModelSerializer[Tenant]):
    # Annotated by the view: the requesting user's role in each organization.
    role = serializers.CharField(read_only=True)

    class Meta:
        model = Tenant
        fields = ["id", "name", "slug", "role", "created_at"]
        read_only_fields = ["id", "role", "created_at"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "created_at"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "expires_at", "created_at"]
        read_only_fields = ["id", "expires_at", "created_at"]


class AcceptInvitationSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=200, trim_whitespace=True)
