"""The client's address comes from the deployment's own proxies, never from the client."""

from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client, RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from apps.core.proxies import client_ip

TOKEN_URL = "/api/v1/auth/token/"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.9"),
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the leftmost entry is forged
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the leftmost
        (1, "not-an-address", "10.0.0.9"),
    ],
)
def test_client_ip(settings: Any, proxies: int, forwarded: str, expected: str) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", headers=headers)
    assert client_ip(request) == expected


@pytest.fixture
def three_logins_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates into the throttle class when it is imported.
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def attempt_login(client: Client, forwarded_for: str) -> int:
    response = client.post(
        TOKEN_URL,
        {"email": "nobody@example.com", "password": "wrong"},
        content_type="application/json",
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


@pytest.mark.django_db
@pytest.mark.usefixtures("three_logins_a_minute")
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_new_forwarded_address_per_request_does_not_escape_the_login_throttle(
    client: Client, settings: Any, proxies: int
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    # With a proxy, the client's forgery is on the left and the proxy's entry on the right.
    statuses = [attempt_login(client, f"198.51.100.{n}, 203.0.113.7") for n in range(4)]
    assert statuses[:3] == [
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.UNAUTHORIZED,
    ]
    assert statuses[3] == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.django_db
@pytest.mark.usefixtures("three_logins_a_minute")
def test_clients_behind_the_same_proxy_are_throttled_apart(client: Client, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [attempt_login(client, "203.0.113.7") for _ in range(4)]
    assert statuses[3] == HTTPStatus.TOO_MANY_REQUESTS
    assert attempt_login(client, "203.0.113.8") == HTTPStatus.UNAUTHORIZED
