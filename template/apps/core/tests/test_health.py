import threading
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from apps.core import health

pytestmark = pytest.mark.django_db

# Used by HEALTH_CHECKS overrides below (the setting holds dotted paths).
released = threading.Event()
calls: list[str] = []


def broken_check() -> None:
    raise ConnectionError("refused")


def hanging_check() -> None:
    calls.append("hanging")
    released.wait(timeout=30)


@pytest.fixture
def hanging() -> Iterator[None]:
    released.clear()
    calls.clear()
    yield
    released.set()  # let the check's thread finish
    for future in list(health.readiness._running.values()):
        future.result(timeout=30)


def test_liveness_answers_without_touching_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_for_any_host(client: Client, settings: Any, path: str) -> None:
    settings.ALLOWED_HOSTS = ["tracker.example.com"]
    # The image's HEALTHCHECK asks 127.0.0.1; an orchestrator asks the pod's IP.
    for host in ["127.0.0.1:8000", "10.42.0.17", "evil.example"]:
        assert client.get(path, headers={"host": host}).status_code == HTTPStatus.OK


def test_other_paths_still_refuse_an_unknown_host(client: Client, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["tracker.example.com"]
    response = client.get("/api/v1/users/me/", headers={"host": "evil.example"})
    assert response.status_code in {
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.NOT_FOUND,
    }  # a host that is not allowed, or names nothing


def test_readiness_reports_each_check(client: Client, settings: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": dict.fromkeys(sorted(settings.HEALTH_CHECKS), "ok"),
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("failing", ["database", "cache"])
def test_readiness_is_503_and_names_the_failing_check(
    client: Client, settings: Any, failing: str
) -> None:
    settings.HEALTH_CHECKS = {**settings.HEALTH_CHECKS, failing: f"{__name__}.broken_check"}
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "unavailable"
    assert all(value == "ok" for name, value in body["checks"].items() if name != failing)


def test_a_cache_server_that_refuses_makes_readiness_503(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The discard port: nothing listens there.
    monkeypatch.setattr(health, "cache", RedisCache("redis://127.0.0.1:9/0", {}))
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["cache"] == "unavailable"


@pytest.mark.usefixtures("hanging")
def test_a_hanging_service_gets_a_503_without_waiting_for_it(client: Client, settings: Any) -> None:
    settings.HEALTH_CHECKS = {"cache": f"{__name__}.hanging_check"}
    response = client.get("/readyz")
    assert not released.is_set()  # the check is still blocked, and the probe has answered
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"] == {"cache": "unavailable"}
    # The next probe reports the hung check again instead of starting a second one.
    assert client.get("/readyz").status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert calls == ["hanging"]


def test_probes_refuse_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post("/readyz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.head("/healthz").status_code == HTTPStatus.OK
