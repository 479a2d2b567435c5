"""Reading the served OpenAPI document in tests."""

from http import HTTPStatus
from typing import Any

from django.test import Client

SCHEMA_URL = "/api/schema/?format=json"


def served_schema(client: Client) -> dict[str, Any]:
    """The document /api/schema/ serves (API_DOCS must let `client` read it)."""
    response = client.get(SCHEMA_URL)
    assert response.status_code == HTTPStatus.OK
    schema: dict[str, Any] = response.json()
    return schema


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def error_codes(
    schema: dict[str, Any], path: str, method: str, status: str = "400"
) -> dict[tuple[str, str | None], set[str]]:
    """The error codes an operation documents for `status`, by (error type, attr)."""
    response = schema["paths"][path][method]["responses"][status]
    body = resolve(schema, response["content"]["application/json"]["schema"])
    codes: dict[tuple[str, str | None], set[str]] = {}
    for shape in [resolve(schema, s) for s in body.get("oneOf", [body])]:
        (error_type,) = resolve(schema, shape["properties"]["type"])["enum"]
        error = resolve(schema, shape["properties"]["errors"]["items"])
        for item in [resolve(schema, e) for e in error.get("oneOf", [error])]:
            attr = resolve(schema, item["properties"]["attr"]).get("enum", [None])[0]
            code = resolve(schema, item["properties"]["code"])["enum"]
            codes.setdefault((error_type, attr), set()).update(code)
    return codes


def header_parameters(schema: dict[str, Any], path: str, method: str) -> dict[str, bool]:
    """An operation's header parameters, and whether each is required."""
    parameters = schema["paths"][path][method].get("parameters", [])
    return {p["name"]: p.get("required", False) for p in parameters if p["in"] == "header"}
