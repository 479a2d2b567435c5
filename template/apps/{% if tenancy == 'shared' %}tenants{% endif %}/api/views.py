"""Organizations: mine, their members, invitations.

Endpoints about one organization take it from the URL (`/tenants/<slug>/…`) and answer 404
to anyone who is not a member, exactly like the X-Tenant header does for the rest of the API.
"""

from http import HTTPStatus
from typing import Any, cast

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import service_errors
from apps.tenants import selectors, services
from apps.tenants.models import Membership, Tenant
from apps.users.models import User

from .serializers import (
    AcceptInvitationSerializer,
    InvitationSerializer,
    MembershipSerializer,
    TenantSerializer,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


# Errors the services raise, besides the serializers' (which the schema finds by itself).
@extend_validation_errors(["duplicate_slug"], field_name="slug", actions=["create"])
@extend_validation_errors(["organization_limit"], field_name="non_field_errors", actions=["create"])
class TenantViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Tenant],
):
    """The organizations you belong to; creating one makes you its owner."""

    serializer_class = TenantSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Tenant]:
        if getattr(self, "swagger_fake_view", False):
            return Tenant.objects.none()
        role = Membership.objects.filter(tenant=OuterRef("pk"), user=_user(self.request))
        return selectors.tenants_of(_user(self.request)).annotate(
            role=Subquery(role.values("role")[:1])
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Tenant]) -> None:
        with service_errors():
            tenant = services.create_tenant(owner=_user(self.request), **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=tenant.pk)


class TenantScopedView(APIView):
    """A view of one organization named in the URL; non-members get 404."""

    def membership(self) -> Membership:
        found = selectors.membership(_user(self.request), self.kwargs["slug"])
        if found is None:
            raise NotFound("No such organization.")
        return found


class MemberListView(TenantScopedView, generics.ListAPIView[Membership]):
    """The members of an organization you belong to."""

    serializer_class = MembershipSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.members_of(self.membership().tenant)


@extend_validation_errors(["invalid"], field_name="user_id", methods=["delete"])
class MemberDetailView(TenantScopedView):
    @extend_schema(
        summary="Remove a member (or leave)", request=None, responses={HTTPStatus.NO_CONTENT: None}
    )
    def delete(self, request: Request, slug: str, user_id: str, **kwargs: Any) -> Response:
        tenant = self.membership().tenant
        member = get_object_or_404(selectors.members_of(tenant), user__pk=user_id).user
        with service_errors({"user": "user_id"}):
            services.remove_member(tenant, actor=_user(request), user=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_validation_errors(["member_limit"], field_name="non_field_errors", methods=["post"])
class InvitationListView(TenantScopedView, generics.ListCreateAPIView[Any]):
    """Open invitations of an organization; owners and admins invite by email."""

    serializer_class = InvitationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.open_invitations(self.membership().tenant)

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        tenant = self.membership().tenant
        with service_errors():
            serializer.instance = services.invite(
                tenant, actor=_user(self.request), **serializer.validated_data
            )


@extend_schema(
    summary="Accept an invitation",
    request=AcceptInvitationSerializer,
    responses={HTTPStatus.CREATED: MembershipSerializer},
)
@extend_validation_errors(
    ["member_limit", "organization_limit"], field_name="non_field_errors", methods=["post"]
)
class AcceptInvitationView(APIView):
    def post(self, request: Request, **kwargs: Any) -> Response:
        serializer = AcceptInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            membership = services.accept_invitation(
                token=serializer.validated_data["token"], user=_user(request)
            )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
