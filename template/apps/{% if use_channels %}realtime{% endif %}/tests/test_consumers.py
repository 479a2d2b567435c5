import pytest
from asgiref.sync import sync_to_async

from apps.core.tests.async_support import async_test
from apps.realtime.broadcast import notify_user
from apps.users.models import User

from .websocket import ORIGIN, close_code, communicator

pytestmark = pytest.mark.django_db

PATH = "/ws/notifications/"


@async_test
async def test_ping_is_answered_with_pong(user_cookie: tuple[bytes, bytes]) -> None:
    ws = communicator(PATH, ORIGIN, user_cookie)
    assert await close_code(ws) is None
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"text_data": "{not json"}, "invalid_json"),
        ({"text_data": '"just a string"'}, "unknown_type"),
        ({"text_data": '{"type": "launch"}'}, "unknown_type"),
        ({"text_data": '{"type": 42}'}, "unknown_type"),
        ({"bytes_data": b"\x00\x01"}, "unsupported"),
    ],
)
@async_test
async def test_bad_messages_get_an_error_frame_and_the_connection_survives(
    user_cookie: tuple[bytes, bytes], frame: dict[str, object], code: str
) -> None:
    ws = communicator(PATH, ORIGIN, user_cookie)
    assert await close_code(ws) is None
    await ws.send_to(**frame)
    error = await ws.receive_json_from()
    assert error["type"] == "error"
    assert error["code"] == code
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


@async_test
async def test_notifications_reach_only_their_user(
    user: User, user_cookie: tuple[bytes, bytes], other_user_cookie: tuple[bytes, bytes]
) -> None:
    mine = communicator(PATH, ORIGIN, user_cookie)
    theirs = communicator(PATH, ORIGIN, other_user_cookie)
    assert await close_code(mine) is None
    assert await close_code(theirs) is None
    # notify_user is for synchronous callers (services, tasks): call it from a thread.
    await sync_to_async(notify_user)(user.pk, {"type": "export.ready", "id": 7})
    assert await mine.receive_json_from() == {"type": "export.ready", "id": 7}
    assert await theirs.receive_nothing(timeout=0.2)
    await mine.disconnect()
    await theirs.disconnect()
