import pytest
from rest_framework_simplejwt.tokens import AccessToken

from apps.core.tests.async_support import async_test
from apps.realtime.consumers import CLOSE_UNAUTHENTICATED
from apps.users.models import User

from .websocket import ORIGIN, close_code, communicator

pytestmark = pytest.mark.django_db

PATH = "/ws/notifications/"


def bearer(token: str) -> tuple[bytes, bytes]:
    return (b"authorization", f"Bearer {token}".encode())


@async_test
async def test_anonymous_connections_are_closed_with_4401() -> None:
    assert await close_code(communicator(PATH, ORIGIN)) == CLOSE_UNAUTHENTICATED


@async_test
async def test_browser_session_cookie_authenticates(user_cookie: tuple[bytes, bytes]) -> None:
    ws = communicator(PATH, ORIGIN, user_cookie)
    assert await close_code(ws) is None
    await ws.disconnect()


@async_test
async def test_jwt_in_header_or_query_authenticates_clients_without_origin(user: User) -> None:
    token = str(AccessToken.for_user(user))
    for ws in (communicator(PATH, bearer(token)), communicator(f"{PATH}?token={token}")):
        assert await close_code(ws) is None
        await ws.disconnect()


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
@async_test
async def test_forged_or_empty_tokens_are_refused(token: str) -> None:
    ws = communicator(f"{PATH}?token={token}", bearer(token))
    assert await close_code(ws) == CLOSE_UNAUTHENTICATED


@async_test
async def test_tokens_of_deactivated_users_are_refused(user: User) -> None:
    token = str(AccessToken.for_user(user))
    user.is_active = False
    await user.asave(update_fields=["is_active"])
    assert await close_code(communicator(PATH, bearer(token))) == CLOSE_UNAUTHENTICATED


@async_test
async def test_a_foreign_origin_cannot_use_a_browser_session(
    user_cookie: tuple[bytes, bytes],
) -> None:
    ws = communicator(PATH, (b"origin", b"https://evil.example"), user_cookie)
    connected, _ = await ws.connect()
    assert not connected
