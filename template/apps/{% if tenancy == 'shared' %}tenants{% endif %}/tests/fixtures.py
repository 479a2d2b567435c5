"""Every database test runs inside one organization, as every API request does.

A pytest plugin (listed in the root conftest). The `tenant` fixture creates the test's
organization and selects it for the test's own code, and the test clients
(apps/core/tests/clients.py) name it in their X-Tenant header; users made by UserFactory
join it. Tests about several organizations make more with TenantFactory and switch with
`use_tenant`.
"""

from collections.abc import Iterator

import pytest

from apps.core.tests.scope import TEST_TENANT_SLUG
from apps.tenants.context import use_tenant
from apps.tenants.models import Tenant

from .factories import TenantFactory


def _uses_database(request: pytest.FixtureRequest) -> bool:
    database_fixtures = {"db", "transactional_db", "live_server"}
    return bool(
        request.node.get_closest_marker("django_db")
        or database_fixtures.intersection(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def tenant(request: pytest.FixtureRequest) -> Iterator[Tenant | None]:
    if not _uses_database(request):
        yield None
        return
    request.getfixturevalue("db")  # the test's own database access, transactional or not
    tenant = TenantFactory.create(name="Test organization", slug=TEST_TENANT_SLUG)
    with use_tenant(tenant):
        yield tenant
