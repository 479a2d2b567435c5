"""IsTenantMember: the X-Tenant header names the organization, and only members get in."""

from http import HTTPStatus
from typing import Any

import pytest
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apps.tenants.context import get_current_tenant
from apps.tenants.models import Tenant
from apps.tenants.permissions import IsTenantMember
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .factories import TenantFactory

pytestmark = pytest.mark.django_db


class WhoAmIView(APIView):
    permission_classes = [IsAuthenticated, IsTenantMember]

    def get(self, request: Request, **kwargs: Any) -> Response:
        tenant = get_current_tenant()
        return Response({"tenant": tenant.slug if tenant else None})


def call(user: User | None, **headers: str) -> Any:
    request = APIRequestFactory().get("/whoami/", headers=headers)
    if user is not None:
        force_authenticate(request, user)
    return WhoAmIView.as_view()(request)


def test_a_member_works_in_the_organization_the_header_names(user: User) -> None:
    other = TenantFactory.create(slug="other")
    user.memberships.create(tenant=other)
    assert call(user, **{"X-Tenant": "other"}).data == {"tenant": "other"}


def test_the_slug_may_come_with_stray_spaces(user: User, tenant: Tenant) -> None:
    assert call(user, **{"X-Tenant": f"  {tenant.slug} "}).data == {"tenant": tenant.slug}


def test_no_header_is_400_with_a_clear_code(user: User) -> None:
    response = call(user)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.data["errors"][0]["code"] == "tenant_required"


@pytest.mark.parametrize("slug", ["not-a-member-here", "no-such-org"])
def test_someone_elses_or_an_unknown_organization_is_404_alike(user: User, slug: str) -> None:
    TenantFactory.create(slug="not-a-member-here")
    response = call(user, **{"X-Tenant": slug})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.data["errors"][0]["detail"] == "No such organization."


def test_an_inactive_member_is_turned_away(tenant: Tenant) -> None:
    inactive = UserFactory.create(is_active=False)
    assert call(inactive, **{"X-Tenant": tenant.slug}).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_stays_401_even_with_a_valid_header(tenant: Tenant) -> None:
    assert call(None, **{"X-Tenant": tenant.slug}).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize("value", ["a\x00b", "not a slug", "../other", "é"])
def test_a_header_that_is_no_slug_names_no_organization(
    user: User, value: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):  # a NUL byte would make PostgreSQL fail the query
        response = call(user, **{"X-Tenant": value})
    assert response.status_code == HTTPStatus.NOT_FOUND
