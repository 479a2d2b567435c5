"""/readyz checks the Redis server behind the channel layer."""

from http import HTTPStatus

import pytest
from django.test import Client, override_settings

from apps.core.tests.reachability import require_redis

pytestmark = pytest.mark.django_db


def redis_layer(url: str) -> dict[str, object]:
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [url]},  # readiness pings the server; it writes no key
    }


def test_the_in_memory_layer_is_ready(client: Client) -> None:
    assert client.get("/readyz").json()["checks"]["channel_layer"] == "ok"


def test_a_reachable_redis_layer_is_ready(client: Client) -> None:
    with override_settings(CHANNEL_LAYERS={"default": redis_layer(require_redis())}):
        assert client.get("/readyz").json()["checks"]["channel_layer"] == "ok"


def test_an_unreachable_redis_layer_makes_readiness_503(client: Client) -> None:
    # The discard port: nothing listens there.
    with override_settings(CHANNEL_LAYERS={"default": redis_layer("redis://127.0.0.1:9/1")}):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["channel_layer"] == "unavailable"
