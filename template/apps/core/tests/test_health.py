import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_touching_the_database(
    client: Client, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_each_check(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.parametrize("failing", ["database", "cache"])
def test_readiness_is_503_and_names_the_failing_check(
    client: Client, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    from apps.core import health

    def broken() -> None:
        raise ConnectionError(f"{failing} is down")

    monkeypatch.setitem(health.CHECKS, failing, broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "unavailable"
    assert all(v == "ok" for k, v in body["checks"].items() if k != failing)


def test_health_endpoints_refuse_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
