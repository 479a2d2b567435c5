from http import HTTPStatus
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from apps.core.outages import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db


def test_unknown_api_url_is_a_json_404_in_the_api_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_unknown_api_version_is_a_404(client: Client) -> None:
    assert client.get("/api/v2/users/me/").status_code == HTTPStatus.NOT_FOUND


def test_pages_outside_the_api_keep_the_html_404(admin_client: Client) -> None:
    response = admin_client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("text/html")


@pytest.fixture
def sessions_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every session read fails as it does when the database is unreachable."""

    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", unreachable)


@pytest.mark.usefixtures("sessions_down")
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/admin/", "text/html"), ("/api/v1/users/me/", "application/json")],
)
def test_an_outage_outside_the_api_views_is_a_503_with_retry_after(
    path: str, content_type: str
) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-would-hold"
    response = client.get(path)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith(content_type)


def test_other_server_errors_stay_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", broken)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-would-hold"
    assert client.get("/admin/").status_code == HTTPStatus.INTERNAL_SERVER_ERROR
