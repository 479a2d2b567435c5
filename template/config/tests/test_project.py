"""Project-wide invariants: migrations match the models, the OpenAPI schema is valid."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_migrations_are_up_to_date() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


@pytest.mark.django_db
def test_postgresql_uses_the_psycopg_connection_pool() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL points at PostgreSQL")
    assert getattr(connection, "pool", None) is not None


def test_openapi_schema_is_valid_and_warning_free() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


@pytest.mark.django_db
def test_schema_and_docs_are_served(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == HTTPStatus.OK
    assert "/api/v1/users/me/" in schema.json()["paths"]
    docs = api_client.get("/api/docs/")
    assert docs.status_code == HTTPStatus.OK
    # Swagger UI is served from drf-spectacular-sidecar, not a CDN.
    assert b"cdn." not in docs.content
