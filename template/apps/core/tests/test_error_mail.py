"""ADMINS get mail about server errors only, once per error per few minutes: nothing an
anonymous client sends can flood their inbox."""

import logging
from http import HTTPStatus
from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from apps.core.logging import OncePerInterval
from apps.core.tests.scope import HEADERS
from config.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db


@login_not_required
def broken_view(request: HttpRequest, n: int) -> HttpResponse:
    raise ZeroDivisionError("a bug")


@login_not_required
def other_broken_view(request: HttpRequest) -> HttpResponse:
    raise KeyError("another bug")


# The project's routes (middleware reverses some), and two broken views.
urlpatterns = [
    path("broken/<int:n>/", broken_view),
    path("other-broken/", other_broken_view),
    *project_urlpatterns,
]


@pytest.fixture
def client() -> Client:
    return Client(headers=HEADERS, raise_request_exception=False)


def test_a_disallowed_host_mails_nobody(client: Client) -> None:
    response = client.get(reverse("admin:login"), headers={"Host": "attacker.example"})
    # 404 where the host name picks the schema
    assert response.status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND}
    assert mail.outbox == []


@pytest.mark.parametrize("limit", ["DATA_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS"])
def test_a_body_over_the_limits_mails_nobody(client: Client, settings: Any, limit: str) -> None:
    setattr(settings, limit, 10)
    fields = {f"field{n}": "x" * 20 for n in range(20)}
    response = client.post(reverse("admin:login"), fields)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mail.outbox == []


def test_client_errors_of_the_api_mail_nobody(client: Client) -> None:
    assert client.get("/api/v1/users/me/").status_code == HTTPStatus.UNAUTHORIZED
    malformed = client.post("/api/v1/auth/token/", "{", content_type="application/json")
    assert malformed.status_code == HTTPStatus.BAD_REQUEST
    assert client.get("/api/v1/no-such-endpoint/").status_code == HTTPStatus.NOT_FOUND
    assert mail.outbox == []


@pytest.mark.urls(__name__)
def test_a_burst_of_one_server_error_mails_once(client: Client) -> None:
    statuses = [client.get(f"/broken/{n}/").status_code for n in range(5)]
    assert statuses == [HTTPStatus.INTERNAL_SERVER_ERROR] * 5
    assert len(mail.outbox) == 1
    assert "ZeroDivisionError" in str(mail.outbox[0].body)

    # Another error is news.
    assert client.get("/other-broken/").status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert len(mail.outbox) == 2


def test_with_the_cache_down_each_process_still_mails_an_error_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class DownCache:
        def add(self, *args: Any, **kwargs: Any) -> bool:
            raise ConnectionError("cache down")

    monkeypatch.setattr("apps.core.logging.cache", DownCache())
    once = OncePerInterval(seconds=300)
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    assert [once.filter(record) for _ in range(3)] == [True, False, False]
