"""The host name picks the organization; only its members get in; health checks skip it."""

from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client as HttpClient

from apps.core.tests.clients import new_api_client
from apps.tenants.models import Client
from apps.users.models import User

from .fixtures import OTHER_DOMAIN, PUBLIC_DOMAIN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("other_hosts")]

ME = "/api/v1/users/me/"


def test_an_unknown_host_is_404(user: User) -> None:
    assert (
        new_api_client(user).get(ME, HTTP_HOST="nobody.testserver").status_code
        == HTTPStatus.NOT_FOUND
    )


def test_the_public_domain_serves_the_public_routes(user: User) -> None:
    response = new_api_client(user).get(ME, HTTP_HOST=PUBLIC_DOMAIN)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["email"] == user.email


def test_each_organizations_host_works_in_its_schema(
    tenant: Client, other_tenant: Client, user: User
) -> None:
    seen = []
    for host in ("testserver", OTHER_DOMAIN):
        response = new_api_client(user).get(ME, HTTP_HOST=host)
        assert response.status_code == HTTPStatus.OK
        seen.append(response.wsgi_request.tenant.schema_name)  # type: ignore[attr-defined]
    assert seen == [tenant.schema_name, other_tenant.schema_name]


@pytest.mark.parametrize("host", ["nobody.testserver", PUBLIC_DOMAIN, "testserver"])
def test_health_checks_answer_on_any_host_without_a_lookup(
    host: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert HttpClient().get("/healthz", HTTP_HOST=host).status_code == HTTPStatus.OK


def test_a_host_is_looked_up_once_then_remembered(
    user: User, django_assert_num_queries: Any, settings: Any
) -> None:
    client = new_api_client(user)
    client.get(ME, HTTP_HOST=OTHER_DOMAIN)  # looks the host up
    # /users/me/ with a forced user reads nothing, so any query here is the lookup's.
    with django_assert_num_queries(0):
        assert client.get(ME, HTTP_HOST=OTHER_DOMAIN).status_code == HTTPStatus.OK
    settings.TENANT_DOMAIN_CACHE_SECONDS = 0
    with django_assert_num_queries(2):  # the search_path set to public, then the lookup
        assert client.get(ME, HTTP_HOST=OTHER_DOMAIN).status_code == HTTPStatus.OK
