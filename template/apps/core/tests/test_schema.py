"""The served OpenAPI document is valid, and documents the errors the API answers."""

import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from .openapi import error_codes, served_schema

pytestmark = pytest.mark.django_db

TOKEN_ENDPOINTS = [
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
    "/api/v1/auth/token/verify/",
]


@pytest.fixture
def schema(api_client: APIClient, settings: Any) -> dict[str, Any]:
    settings.API_DOCS = "public"
    return served_schema(api_client)


def test_the_served_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate(schema)  # raises, naming the first error


def test_every_operation_documents_the_errors_any_request_can_get(
    schema: dict[str, Any],
) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            # A malformed body or query, a wrong method, a bug, an outage.
            assert {"400", "405", "500", "503"} <= operation["responses"].keys(), (method, path)
            if method in ("post", "put", "patch"):
                assert "413" in operation["responses"], (method, path)


@pytest.mark.parametrize("path", TOKEN_ENDPOINTS)
def test_token_endpoints_document_their_401(schema: dict[str, Any], path: str) -> None:
    codes = error_codes(schema, path, "post", "401")[("client_error", None)]
    assert {"no_active_account", "token_not_valid"} <= codes


def test_strings_in_requests_say_what_the_api_refuses(schema: dict[str, Any]) -> None:
    """A fuzzer (or a client) that follows the schema sends nothing the API refuses: no NUL."""
    strings = [
        (name, field)
        for name, component in schema["components"]["schemas"].items()
        if name.endswith("Request")
        for field in component.get("properties", {}).values()
        if field.get("type") == "string" and not field.get("readOnly")
    ]
    assert strings
    for name, field in strings:
        if "enum" in field:
            continue
        assert "pattern" in field or "format" in field, (name, field)
        if "pattern" in field:
            assert not re.search(field["pattern"], "a\x00b"), (name, field)
