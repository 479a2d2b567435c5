import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_api_url_is_a_json_404_in_the_api_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_unknown_api_version_is_a_404(client: Client) -> None:
    assert client.get("/api/v2/users/me/").status_code == 404


def test_pages_outside_the_api_keep_the_html_404(admin_client: Client) -> None:
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
