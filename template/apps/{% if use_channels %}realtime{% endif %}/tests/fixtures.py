"""WebSocket test fixtures for every app (a pytest plugin, listed in the root conftest.py)."""

from collections.abc import Iterator

import pytest
from channels.layers import InMemoryChannelLayer
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from apps.realtime.tests.websocket import session_cookie_for
from apps.users.models import User


@pytest.fixture(autouse=True)
def in_memory_channel_layer() -> Iterator[None]:
    # A fresh in-memory layer per test: no state leaks between tests and no Redis needed,
    # even when REDIS_URL is set (tests of the Redis layer override this themselves).
    with override_settings(
        CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    ):
        yield


class UnreachableChannelLayer(InMemoryChannelLayer):
    """A channel layer whose Redis is down: every send fails as channels_redis's would."""

    async def group_send(self, group: str, message: dict[str, object]) -> None:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def unreachable_channel_layer() -> Iterator[None]:
    backend = f"{__name__}.{UnreachableChannelLayer.__name__}"
    with override_settings(CHANNEL_LAYERS={"default": {"BACKEND": backend}}):
        yield


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # database_sync_to_async closes "old" connections around each call; inside a test that is
    # the connection holding the test's transaction (PostgreSQL then refuses to reconnect in
    # the atomic block). Django's test client skips the same clean-up for the same reason.
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.fixture
def user_cookie(user: User) -> tuple[bytes, bytes]:
    """The `user` fixture's browser session, as a handshake header."""
    return session_cookie_for(user)


@pytest.fixture
def other_user_cookie(other_user: User) -> tuple[bytes, bytes]:
    return session_cookie_for(other_user)
