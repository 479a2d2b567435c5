"""The API's exception handler: bodies too large and outages get their own answers."""

import json
from http import HTTPStatus
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from apps.core.outages import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_shape(
    client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"email": "someone@example.com", "password": "x" * 2048})
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["errors"][0]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "outage", [OperationalError("connection refused"), RedisConnectionError("refused")]
)
def test_an_outage_is_a_503_with_retry_after(
    client: Client, monkeypatch: pytest.MonkeyPatch, outage: Exception
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise outage

    # The token view's own reference to authenticate(), which reads the user table.
    monkeypatch.setattr("rest_framework_simplejwt.serializers.authenticate", fail)
    response = client.post(
        TOKEN_URL, {"email": "someone@example.com", "password": "secret"}, "application/json"
    )
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["errors"][0]["code"] == "service_unavailable"
