from typing import Any

import pytest
from asgiref.sync import sync_to_async

from apps.core.tests.async_support import async_test
from apps.realtime.broadcast import notify_user, revoke_access
from apps.realtime.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from apps.users import services
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
        # Deeper than the interpreter's stack: json.loads raises RecursionError.
        ({"text_data": "[" * 100_000 + "]" * 100_000}, "too_deep"),
        ({"text_data": '{"a":' * 100_000 + "1" + "}" * 100_000}, "too_deep"),
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


@async_test
async def test_a_name_change_reaches_every_page_its_user_has_open(
    user: User,
    user_cookie: tuple[bytes, bytes],
    other_user_cookie: tuple[bytes, bytes],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = communicator(PATH, ORIGIN, user_cookie)
    theirs = communicator(PATH, ORIGIN, other_user_cookie)
    assert await close_code(mine) is None
    assert await close_code(theirs) is None

    def rename() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(user, first_name="Ada", last_name="Lovelace")

    await sync_to_async(rename)()
    assert await mine.receive_json_from() == {
        "type": "profile.updated",
        "full_name": "Ada Lovelace",
    }
    assert await theirs.receive_nothing(timeout=0.2)
    await mine.disconnect()
    await theirs.disconnect()


@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/notifications/extra/", "/elsewhere"])
@async_test
async def test_an_unknown_path_is_closed_with_4404(
    user_cookie: tuple[bytes, bytes], path: str
) -> None:
    # Channels' router raises for a path no route matches; the server then fails the
    # handshake with an HTTP 500.
    assert await close_code(communicator(path, ORIGIN, user_cookie)) == CLOSE_NOT_FOUND
    assert await close_code(communicator(path, ORIGIN)) == CLOSE_NOT_FOUND


@async_test
async def test_revoked_access_closes_every_connection_of_the_user_only(
    user: User, user_cookie: tuple[bytes, bytes], other_user_cookie: tuple[bytes, bytes]
) -> None:
    mine = communicator(PATH, ORIGIN, user_cookie)
    theirs = communicator(PATH, ORIGIN, other_user_cookie)
    assert await close_code(mine) is None
    assert await close_code(theirs) is None

    # Removal from an organization closes that organization's connections only: these
    # notifications belong to none.
    await sync_to_async(revoke_access)(user.pk, organization="some-org", reason="removed")
    assert await mine.receive_nothing(timeout=0.2)

    await sync_to_async(revoke_access)(user.pk, reason="deactivated")
    assert await mine.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    assert await theirs.receive_nothing(timeout=0.2)
    await theirs.disconnect()
