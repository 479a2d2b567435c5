"""Every database test runs in one organization's schema, as every request to its domain does.

A pytest plugin (listed in the root conftest). The public tenant and the test organization
(schema "test", domain "testserver", the test clients' default host) are created once per
session: creating a schema runs its migrations, which is far too slow to repeat per test.
Each test then works in the test organization's schema; users made by UserFactory join it.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection as default_connection
from django_tenants.utils import get_public_schema_name

from apps.core.tests.scope import TEST_TENANT_DOMAIN
from apps.tenants.middleware import domain_cache
from apps.tenants.models import Client, Domain

# django-tenants' connection methods (set_tenant, …) are unknown to django-stubs.
connection: Any = default_connection

TEST_SCHEMA = "test"
PUBLIC_DOMAIN = "localhost"
# A second organization for isolation tests, created once with the first.
OTHER_SCHEMA = "globex"
OTHER_DOMAIN = "globex.testserver"


def ensure_test_tenants() -> Client:
    """The public tenant and the two test organizations, with their domains; returns the
    test organization. Cheap once the schemas exist."""
    public, _ = Client.objects.get_or_create(
        schema_name=get_public_schema_name(), defaults={"name": "Public"}
    )
    Domain.objects.get_or_create(domain=PUBLIC_DOMAIN, defaults={"tenant": public})
    # The schema outlives its row when a transactional test flushes the public tables, and
    # saving a new row for an existing schema does not migrate it again.
    tenant, _ = Client.objects.get_or_create(
        schema_name=TEST_SCHEMA, defaults={"name": "Test organization"}
    )
    Domain.objects.get_or_create(domain=TEST_TENANT_DOMAIN, defaults={"tenant": tenant})
    other, _ = Client.objects.get_or_create(schema_name=OTHER_SCHEMA, defaults={"name": "Globex"})
    Domain.objects.get_or_create(domain=OTHER_DOMAIN, defaults={"tenant": other})
    return tenant


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        ensure_test_tenants()


def _uses_database(item: Any) -> bool:
    database_fixtures = {"db", "transactional_db", "live_server"}
    return bool(
        item.get_closest_marker("django_db") or database_fixtures.intersection(item.fixturenames)
    )


def _transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"}.intersection(item.fixturenames)
    )


def pytest_collection_modifyitems(items: list[Any]) -> None:
    # A transactional test ends by truncating the public tables, which the organizations'
    # tables reference (users, for one): PostgreSQL only allows that with CASCADE, which
    # Django uses when the test names its available_apps.
    installed = [config.name for config in apps.get_app_configs()]
    for item in items:
        if _transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            with_apps = pytest.mark.django_db(**kwargs, available_apps=installed)
            item.add_marker(with_apps, append=False)  # first, so it is the closest


@pytest.fixture
def other_hosts(settings: Any) -> None:
    """Lets test requests reach the other organization's host, hosts under the public domain,
    and a host no organization has (which answers 404)."""
    settings.ALLOWED_HOSTS = [
        *settings.ALLOWED_HOSTS,
        OTHER_DOMAIN,
        f".{PUBLIC_DOMAIN}",
        "nobody.testserver",
    ]


@pytest.fixture
def other_tenant(tenant: Client) -> Client:
    """The second organization (schema "globex", host "globex.testserver")."""
    return Client.objects.get(schema_name=OTHER_SCHEMA)


@pytest.fixture(autouse=True)
def tenant(request: pytest.FixtureRequest) -> Iterator[Client | None]:
    if not _uses_database(request.node):
        yield None
        return
    request.getfixturevalue("db")
    # A transactional test's flush recreates the organizations' rows with new keys.
    domain_cache.clear()
    connection.set_schema_to_public()
    tenant = ensure_test_tenants()
    # As in a process that has served its host before: query counts are the steady state.
    domain_cache.put(TEST_TENANT_DOMAIN, tenant, seconds=3600)
    connection.set_tenant(tenant)
    yield tenant
    connection.set_schema_to_public()
