"""Input the API cannot use is a 400 naming the field or parameter: never silently ignored,
coerced or stored unbounded."""

import re
from http import HTTPStatus
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.core.tests.openapi import error_codes, served_schema
from apps.core.validators import TEXT_MAX_LENGTH
from apps.projects.models import Project

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
TASKS = "/api/v1/tasks/"


def errors(response: Any) -> list[tuple[str | None, str]]:
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.json()
    return [(error["attr"], error["code"]) for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"page_size": "0"}, ("page_size", "min_value")),
        ({"page_size": "-5"}, ("page_size", "min_value")),
        ({"page_size": "abc"}, ("page_size", "invalid")),
        ({"page_size": "101"}, ("page_size", "max_value")),
        ({"ordering": "password"}, ("ordering", "invalid")),
        ({"ordering": "due_date,nope"}, ("ordering", "invalid")),
        ({"page": "0"}, ("page", "min_value")),
        ({"page": ""}, ("page", "invalid")),
        ({"is_open": "maybe"}, ("is_open", "invalid")),
        ({"is_open": ""}, ("is_open", "blank")),
        ({"project": ""}, ("project", "blank")),
        ({"assignee": "someone"}, ("assignee", "invalid")),
        ({"search": "a\x00b"}, ("search", "null_characters_not_allowed")),
    ],
)
def test_unusable_query_parameters_are_refused(
    auth_client: APIClient, project: Project, params: dict[str, str], expected: tuple[str, str]
) -> None:
    assert errors(auth_client.get(TASKS, params)) == [expected]


def test_usable_query_parameters_are_used(auth_client: APIClient, project: Project) -> None:
    params = {"page_size": "100", "ordering": "-priority,due_date", "is_open": "true"}
    assert auth_client.get(TASKS, params).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": 123}, ("name", "invalid")),
        ({"name": ["a list"]}, ("name", "invalid")),
        ({"name": "Line\nbreak"}, ("name", "control_characters")),
        ({"name": "\x1b[31mred"}, ("name", "control_characters")),
        ({"name": "ok", "description": 42}, ("description", "invalid")),
        ({"name": "ok", "description": "x" * (TEXT_MAX_LENGTH + 1)}, ("description", "max_length")),
        ({"name": "ok", "description": "x" * 2_000_000}, ("description", "max_length")),
    ],
)
def test_unusable_text_is_refused(
    auth_client: APIClient, fields: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert errors(auth_client.post(PROJECTS, fields)) == [expected]
    assert not Project.objects.exists()


def test_descriptions_keep_their_line_breaks(auth_client: APIClient) -> None:
    description = "First line.\n\n\tIndented."
    response = auth_client.post(PROJECTS, {"name": "Notes", "description": description})
    assert response.status_code == HTTPStatus.CREATED, response.json()
    assert response.json()["description"] == description


def test_task_titles_are_strings_too(auth_client: APIClient, project: Project) -> None:
    response = auth_client.post(TASKS, {"project_id": str(project.pk), "title": 7})
    assert errors(response) == [("title", "invalid")]


@pytest.mark.parametrize("field", ["project_id", "assignee_id"])
def test_an_empty_string_is_no_id(auth_client: APIClient, project: Project, field: str) -> None:
    """DRF reads "" as null for a related field; the schema says an id (or null for assignee):
    found by schemathesis (PATCH with `"assignee_id": ""` unassigned the task)."""
    fields = {"project_id": str(project.pk), "title": "Plan", field: ""}
    assert errors(auth_client.post(TASKS, fields)) == [(field, "incorrect_type")]


class TestSchema:
    """The schema lists the codes above, and those the services answer."""

    @pytest.fixture
    def schema(self, api_client: APIClient, settings: Any) -> dict[str, Any]:
        settings.API_DOCS = "public"
        return served_schema(api_client)

    def test_query_parameter_errors(self, schema: dict[str, Any]) -> None:
        codes = error_codes(schema, TASKS, "get")
        assert {"min_value", "max_value", "invalid"} <= codes[("validation_error", "page_size")]
        assert "invalid" in codes[("validation_error", "ordering")]
        assert "invalid" in codes[("validation_error", "is_open")]

    def test_names_state_their_pattern(self, schema: dict[str, Any]) -> None:
        pattern = schema["components"]["schemas"]["ProjectRequest"]["properties"]["name"]["pattern"]
        assert re.search(pattern, "Website relaunch")
        for refused in ["Line\nbreak", "\x1b[31mred", "   ", "a\x00b"]:
            assert not re.search(pattern, refused), refused

    def test_service_errors(self, schema: dict[str, Any]) -> None:
        create_project = error_codes(schema, PROJECTS, "post")
        assert {"duplicate_name", "control_characters"} <= create_project[
            ("validation_error", "name")
        ]
        create_task = error_codes(schema, TASKS, "post")
        assert {"does_not_exist", "not_a_member"} <= create_task[
            ("validation_error", "assignee_id")
        ]
        remove_member = error_codes(schema, "/api/v1/projects/{id}/members/{user_id}/", "delete")
        assert ("validation_error", "user_id") in remove_member
