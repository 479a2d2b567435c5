"""Hostile JSON bodies: anonymous requests to any JSON endpoint get a 400 (or a 413) in the
API's error shape, never a 500, and ADMINS get no mail."""

import io
import json
from http import HTTPStatus
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import RequestDataTooBig
from django.test import Client

from apps.core.api.parsers import MAX_DEPTH, JSONParser

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def client() -> Client:
    # What a real client gets, even for a 500 (which the test client would re-raise).
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,  # past Python's recursion limit: a RecursionError inside json
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # valid JSON, nested too deeply
        '{"email": NaN, "password": "x"}',
        '{"email": "a@example.com", "password": -Infinity}',
        '{"email": "\\ud800"',
        b'{"email": "\xff"}',
    ],
    ids=["deep-array", "deep-object", "past-max-depth", "nan", "infinity", "truncated", "latin1"],
)
def test_a_hostile_body_is_a_400_parse_error(client: Client, body: str | bytes) -> None:
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "parse_error"
    assert mail.outbox == []


def test_nesting_up_to_the_limit_is_parsed() -> None:
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert JSONParser().parse(io.BytesIO(body.encode())) is not None


def test_the_parser_reads_no_more_than_the_upload_limit(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    small = json.dumps({"text": "x" * 50}).encode()
    assert JSONParser().parse(io.BytesIO(small)) == {"text": "x" * 50}
    with pytest.raises(RequestDataTooBig):
        JSONParser().parse(io.BytesIO(json.dumps({"text": "x" * 200}).encode()))


def test_a_streamed_body_over_the_limit_is_a_413(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"email": "someone@example.com", "password": "x" * 4096})
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["errors"][0]["code"] == "payload_too_large"
    assert mail.outbox == []
