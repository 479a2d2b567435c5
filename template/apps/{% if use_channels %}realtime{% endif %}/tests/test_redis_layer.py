"""The delivery path of test_consumers, over a real Redis channel layer."""

from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from apps.core.tests.async_support import async_test
from apps.core.tests.reachability import redis_prefix, require_redis
from apps.realtime.broadcast import notify_user
from apps.users.models import User

from .websocket import ORIGIN, close_code, communicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_channel_layer() -> Iterator[None]:
    with redis_prefix("channels") as prefix:
        layer = {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [require_redis()], "prefix": prefix},
        }
        with override_settings(CHANNEL_LAYERS={"default": layer}):
            yield


@pytest.mark.usefixtures("redis_channel_layer")
@async_test
async def test_notifications_cross_a_real_redis_layer(
    user: User, user_cookie: tuple[bytes, bytes]
) -> None:
    ws = communicator("/ws/notifications/", ORIGIN, user_cookie)
    assert await close_code(ws) is None
    await sync_to_async(notify_user)(user.pk, {"type": "hello", "over": "redis"})
    assert await ws.receive_json_from(timeout=5) == {"type": "hello", "over": "redis"}
    await ws.disconnect()
